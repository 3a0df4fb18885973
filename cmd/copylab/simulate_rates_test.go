package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSimulateEveryVariantNeedsARate: copylab simulate on a test with a
// variant that --rates leaves out sends nothing and says which variant
// lacks a rate, with a --rates value that can be run as it is. (It used to
// send the traffic with that variant never converting, so that copying the
// README's control=0.10,b=0.12 onto the three-variant demo made Variant C
// look like a disaster.) A rate of 0, given on purpose, is run.
func TestSimulateEveryVariantNeedsARate(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "#hero",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}, {Text: "Try it free"}, {Text: "Get going"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	s.Close()
	base := serveInProcess(t, db)
	simulate := func(rates string) (string, error) {
		t.Helper()
		stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x.ID,
			"--visitors", "40", "--rates", rates)
		return stdout, err
	}

	for _, tt := range []struct {
		name, rates, want string
	}{
		{"one missing", "control=0.1,b=0.12,d=0.2",
			"simulate: --rates gives no rate for variant c of experiment " + x.ID +
				". Give every variant one, such as --rates control=0.1,b=0.12,c=0.1,d=0.2 (c=0 for one that never converts)."},
		{"two missing", "control=0.1,b=0.12",
			"simulate: --rates gives no rate for variants c and d of experiment " + x.ID +
				". Give every variant one, such as --rates control=0.1,b=0.12,c=0.1,d=0.1 (c=0 for one that never converts)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, err := simulate(tt.rates)
			if err == nil {
				t.Fatalf("no error; printed %q", stdout)
			}
			if _, usage := err.(usageError); usage {
				t.Errorf("a usage error (exit 2), want a failure (exit 1): %v", err)
			}
			if stdout != "" {
				t.Errorf("printed a report although nothing should be sent:\n%s", stdout)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%q\nwant\n%q", err, tt.want)
			}
		})
	}

	// The example the refusal gives runs, and so does a rate of 0.
	stdout, err := simulate("control=0.1,b=0.12,c=0,d=0.2")
	if err != nil || !strings.Contains(stdout, "visitors 40") {
		t.Fatalf("every variant with a rate: %v\n%s", err, stdout)
	}
}
