package main

import (
	"context"
	"strings"
	"testing"

	"copylab/app/syncbuf"
	"copylab/experiments"
)

// TestSimulateRefusals: copylab simulate against a site or experiment that
// cannot take traffic prints no report of zeros, only one sentence that
// says what is wrong and what to do, and fails (exit status 1). With an
// API token, the sentence says which it is: a draft, paused, stopped, on
// another site, or no experiment at all.
func TestSimulateRefusals(t *testing.T) {
	var shop experiments.Site
	var running, paused, draft, stopped, elsewhere string
	base, token := simulateServer(t, func(d simulateDB) {
		shop = d.site("Shop", "shop.example")
		blog := d.site("Blog", "blog.example")
		running = d.experiment(shop, "Running", experiments.ActionStart)
		paused = d.experiment(shop, "Paused", experiments.ActionStart, experiments.ActionPause)
		draft = d.experiment(shop, "Draft")
		stopped = d.experiment(shop, "Stopped", experiments.ActionStart, experiments.ActionStop)
		elsewhere = d.experiment(blog, "On the blog", experiments.ActionStart)
	})
	const unknown = "01900000-0000-7000-8000-000000000000"

	for _, tt := range []struct {
		name       string
		site, exp  string
		url, token string
		rates      string
		want       string // the start of the one line
	}{
		{"unknown site key", "nosuchkey12345", running, "", "", "",
			`simulate: no site has the key "nosuchkey12345" at ` + base + `. The key is the part of the site's tag after /s/`},
		{"copylab not there", shop.Key, running, "http://127.0.0.1:1", "", "",
			"simulate: cannot reach copylab at http://127.0.0.1:1 ("},
		{"paused, no token", shop.Key, paused, "", "", "",
			"simulate: experiment " + paused + " is not running on the site with key " + shop.Key + ". Start it (or resume it, if paused) in copylab"},
		{"paused", shop.Key, paused, "", token, "",
			"simulate: experiment " + paused + " is paused, so it takes no traffic. Resume it in copylab first."},
		{"draft", shop.Key, draft, "", token, "",
			"simulate: experiment " + draft + " is a draft, so it takes no traffic. Start it in copylab first."},
		{"stopped", shop.Key, stopped, "", token, "",
			"simulate: experiment " + stopped + " has stopped, so it takes no more traffic."},
		{"unknown experiment", shop.Key, unknown, "", token, "",
			"simulate: no experiment has the id " + unknown + "."},
		{"unknown experiment, no token", shop.Key, unknown, "", "", "",
			"simulate: experiment " + unknown + " is not running on the site with key " + shop.Key + "."},
		{"another site's experiment", shop.Key, elsewhere, "", token, "",
			"simulate: experiment " + elsewhere + " runs on another site than the one with key " + shop.Key + ". Give that site's key as --site."},
		{"a variant the experiment lacks", shop.Key, running, "", "", "control=0.1,z=0.2",
			"simulate: experiment " + running + ` has no variant "z": its variants are control, b.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url, rates := tt.url, tt.rates
			if url == "" {
				url = base
			}
			if rates == "" {
				rates = "control=0.1,b=0.2"
			}
			args := []string{"simulate", "--url", url, "--site", tt.site, "--experiment", tt.exp, "--visitors", "20", "--rates", rates}
			if tt.token != "" {
				args = append(args, "--token", tt.token)
			}
			stdout, _, err := runCmd(t, env(nil), "", args...)
			if err == nil {
				t.Fatalf("no error; printed %q", stdout)
			}
			if _, usage := err.(usageError); usage {
				t.Errorf("a usage error (exit 2), want a failure (exit 1): %v", err)
			}
			if stdout != "" {
				t.Errorf("printed before the error:\n%s", stdout)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error\n%q\nwant one line starting\n%q", msg, tt.want)
			}
		})
	}

	// A running experiment of the site gets its traffic and its report.
	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", shop.Key, "--experiment", running,
		"--visitors", "20", "--rates", "control=0.1,b=0.2", "--token", token)
	if err != nil || !strings.Contains(stdout, "visitors 20") || !strings.Contains(stdout, "verify: ok") {
		t.Fatalf("the running experiment: %v\n%s", err, stdout)
	}
}

// serveInProcess runs `copylab serve` on db in this process, on a free
// port, until the test ends, and returns its base URL.
func serveInProcess(t *testing.T, db string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs *syncbuf.Buffer
	var exited <-chan error
	t.Cleanup(func() {
		cancel() // also when serve never came up
		if exited == nil {
			return
		}
		if err := <-exited; err != nil {
			t.Errorf("serve: %v\n%s", err, logs)
		}
	})
	addr, done := serveOnFreePort(t, func(addr string) (<-chan error, func() string) {
		logs = &syncbuf.Buffer{} // this attempt's only
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--addr", addr, "--db", db, "--log-level", "warn", "--rate-ip", "0", "--rate-site", "0"},
				strings.NewReader(""), logs, logs, env(nil))
		}()
		return done, logs.String
	})
	exited = done
	return "http://" + addr
}
