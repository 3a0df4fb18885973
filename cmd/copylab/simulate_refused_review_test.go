package main

import (
	"errors"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSimulateFailsBeforeTraffic: a simulate run that ends before it sent
// any traffic prints no report (it used to print one of zeros), only one
// line saying why, and exits 1: a token copylab refuses says so and names
// --token and its twin (it used to print the API's raw 401 answer), and a
// --timeout that runs out first says that. A --timeout of 0 or less is a
// mistake on the command line (exit 2): it used to run out at once.
func TestSimulateFailsBeforeTraffic(t *testing.T) {
	var site experiments.Site
	var running, paused string
	base, token := simulateServer(t, func(d simulateDB) {
		site = d.site("Shop", "shop.example")
		running = d.experiment(site, "running", experiments.ActionStart)
		paused = d.experiment(site, "paused", experiments.ActionStart, experiments.ActionPause)
	})
	const wrong = "cl_thisisnotatokenthisisnotatoken0123"
	const refused = "simulate: copylab refused the API token given as --token (or COPYLAB_TOKEN): it is not valid, or was revoked. "

	args := func(exp string, more ...string) []string {
		return append([]string{"simulate", "--url", base, "--site", site.Key, "--experiment", exp, "--visitors", "20", "--rates", "control=0.1,b=0.2"}, more...)
	}
	for _, tt := range []struct {
		name  string
		env   map[string]string
		args  []string
		usage bool
		want  string // the start of the one line
	}{
		{"a wrong token", nil, args(running, "--token", wrong), false, refused},
		{"a wrong token from the twin", map[string]string{"COPYLAB_TOKEN": wrong}, args(running), false, refused},
		{"a wrong token, experiment paused", nil, args(paused, "--token", wrong), false, refused},
		{"a timeout that runs out first", nil, args(running, "--timeout", "1ns"), false,
			"simulate: --timeout 1ns ran out before any traffic was sent"},
		{"a timeout of 0", nil, args(running, "--timeout", "0"), true, "--timeout (COPYLAB_TIMEOUT) 0s: use more than 0, such as 10m"},
		{"a negative timeout", nil, args(running, "--timeout", "-5s"), true, "--timeout (COPYLAB_TIMEOUT) -5s: use more than 0, such as 10m"},
		{"a timeout of 0 for the tag", nil, []string{"simulate", "--url", base, "--site", site.Key, "--snippet", "5", "--timeout", "0"}, true,
			"--timeout (COPYLAB_TIMEOUT) 0s: use more than 0, such as 10m"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, env(tt.env), "", tt.args...)
			if err == nil {
				t.Fatalf("no error; printed %q", stdout)
			}
			if usage := errors.As(err, new(usageError)); usage != tt.usage {
				t.Errorf("usage error (exit 2): %v, want %v: %v", usage, tt.usage, err)
			}
			if stdout != "" {
				t.Errorf("printed before the error:\n%s", stdout)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error\n%q\nwant one line starting\n%q", msg, tt.want)
			}
		})
	}

	// The right token runs and verifies.
	stdout, _, err := runCmd(t, env(map[string]string{"COPYLAB_TOKEN": token}), "", args(running)...)
	if err != nil || !strings.Contains(stdout, "verify: ok") {
		t.Fatalf("with the right token: %v\n%s", err, stdout)
	}
}
