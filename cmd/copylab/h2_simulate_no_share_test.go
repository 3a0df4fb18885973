package main

import (
	"errors"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSimulateNothingToSend: a run that can send nothing prints one line
// saying why and exits 1, without a report. With the experiment's traffic
// share at 0% simulate used to print "visitors 100 (outside the test
// 100) … requests 0 … verify: ok" and exit 0. A share so small that none
// of the visitors fell in it is said the same way.
func TestSimulateNothingToSend(t *testing.T) {
	var key string
	ids := map[int]string{}
	base, token := simulateServer(t, func(d simulateDB) {
		site := d.site("Shop", "shop.example")
		key = site.Key
		for _, share := range []int{0, 1} {
			id := d.experiment(site, "Share "+string(rune('a'+share)), experiments.ActionStart)
			x, err := d.s.Experiment(d.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			x.CoverageBP = share // 0%, 0.01%: running tests whose share was lowered
			if _, err := d.s.UpdateExperiment(d.ctx, x); err != nil {
				t.Fatal(err)
			}
			ids[share] = id
		}
	})
	for _, tt := range []struct {
		name  string
		share int
		want  []string // the line starts with the first, holds the others
	}{
		{"a share of 0%", 0, []string{"simulate: experiment " + ids[0] + " has a traffic share of 0%, so no visitor takes part in it and there is nothing to send.",
			"Raise its share in copylab first."}},
		{"no visitor in a tiny share", 1, []string{"simulate: none of the 3 visitors fell in the traffic share of experiment " + ids[1] + " (0.01%), so nothing was sent.",
			"--visitors (COPYLAB_VISITORS)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", key, "--experiment", ids[tt.share],
				"--rates", "control=0.1,b=0.1", "--visitors", "3", "--token", token)
			if err == nil {
				t.Fatalf("no error, exit 0; printed\n%s", stdout)
			}
			var said strings.Builder
			if code := exitMessage(&said, err); code != 1 {
				t.Errorf("exit %d, want 1: %v", code, err)
			}
			if stdout != "" {
				t.Errorf("printed a report:\n%s", stdout)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want[0]) || strings.Contains(msg, "\n") {
				t.Errorf("error\n%q\nwant one line starting\n%q", msg, tt.want[0])
			}
			for _, w := range tt.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%q\nlacks %q", msg, w)
				}
			}
			if errors.As(err, new(usageError)) {
				t.Errorf("a usage error (exit 2): %v", err)
			}
		})
	}
}
