package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"copylab/app"
	"copylab/experiments"
)

// TestSimulateReportCountsVisitors: the report's line per variant counts
// visitors (each once, however many page views and exposure events they
// sent), and says so: it used to read "b exposures 339", which a reader
// takes for exposure events. Its numbers add up to the visitors in the
// test, and --token's check speaks of visitors too.
func TestSimulateReportCountsVisitors(t *testing.T) {
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
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.AddUser(ctx, s, "owner@example.com", "Owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	token, err := app.CreateToken(ctx, s, "owner@example.com", "simulate")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	base := serveInProcess(t, db)

	// Three page views a visitor on average: far more exposure events
	// than visitors.
	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x.ID,
		"--visitors", "60", "--pageviews", "3", "--rates", "control=0.2,b=0.3", "--token", token)
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, stdout)
	}
	if strings.Contains(stdout, "exposure") {
		t.Errorf("the report speaks of exposures:\n%s", stdout)
	}
	line := regexp.MustCompile(`(?m)^  (\S+) +visitors +(\d+)  conversions +(\d+)$`)
	sum := 0
	for _, m := range line.FindAllStringSubmatch(stdout, -1) {
		n, _ := strconv.Atoi(m[2])
		sum += n
	}
	if len(line.FindAllString(stdout, -1)) != 2 || sum != 60 {
		t.Errorf("want a line per variant whose visitors add up to 60 (got %d):\n%s", sum, stdout)
	}
	if !strings.Contains(stdout, "verify: ok: the stored visitors and conversions grew by exactly what was acknowledged") {
		t.Errorf("the check's words:\n%s", stdout)
	}
}
