package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSimulateReportCountsVisitors: the report's line per variant counts
// visitors (each once, however many page views and exposure events they
// sent), and says so: it used to read "b exposures 339", which a reader
// takes for exposure events. Its numbers add up to the visitors in the
// test, and --token's check speaks of visitors too.
func TestSimulateReportCountsVisitors(t *testing.T) {
	var site experiments.Site
	var x string
	base, token := simulateServer(t, func(d simulateDB) {
		site = d.site("Shop", "shop.example")
		x = d.experiment(site, "Hero", experiments.ActionStart)
	})

	// Three page views a visitor on average: far more exposure events
	// than visitors.
	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x,
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
