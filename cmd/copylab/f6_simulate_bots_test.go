package main

import (
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

const f6Googlebot = "Googlebot/2.1 (+http://www.google.com/bot.html)"

// TestSimulateBotsVerifyWhatCopylabCounted: a run sent with a crawler's
// user agent is stored and not counted, and copylab's answers say so
// ("stored; N not counted: bot"). simulate reads that: its table counts
// no visitor or conversion as counted, says how many copylab did not
// count and why, and --token's check passes when the counted visitors
// and conversions did not grow and the bots grew by the visitors marked
// bot. It used to fail the check as 10 visitors "lost" per variant.
func TestSimulateBotsVerifyWhatCopylabCounted(t *testing.T) {
	var site experiments.Site
	var x string
	base, token := simulateServer(t, func(d simulateDB) {
		site = d.site("Shop", "shop.example")
		x = d.experiment(site, "Hero", experiments.ActionStart)
	})
	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x,
		"--rates", "control=0.5,b=0.5", "--visitors", "20", "--token", token, "--user-agent", f6Googlebot)
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, stdout)
	}
	t.Logf("report:\n%s", stdout)
	line := regexp.MustCompile(`(?m)^  (control|b) +visitors +0  conversions +0  not counted by copylab: (\d+) visitors?, (\d+) conversions?$`)
	if n := len(line.FindAllString(stdout, -1)); n != 2 {
		t.Errorf("want each variant's line to count 0 and say what copylab did not count (%d such lines):\n%s", n, stdout)
	}
	for _, w := range []string{"not counted by copylab:", "(bot ", "20 visitors marked as bots",
		"verify: ok: the stored visitors and conversions grew by exactly what copylab counted", "bots by 20"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("report lacks %q:\n%s", w, stdout)
		}
	}
}

// TestSimulateBotsShare: --bots 0.3 sends about 30% of the visitors with
// a crawler's user agent. The report counts them apart, and the check
// passes: the counted visitors grew by the others, the bots by them.
func TestSimulateBotsShare(t *testing.T) {
	var site experiments.Site
	var x string
	base, token := simulateServer(t, func(d simulateDB) {
		site = d.site("Shop", "shop.example")
		x = d.experiment(site, "Hero", experiments.ActionStart)
	})
	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x,
		"--rates", "control=0.3,b=0.3", "--visitors", "200", "--bots", "0.3", "--token", token)
	if err != nil {
		t.Fatalf("simulate --bots: %v\n%s", err, stdout)
	}
	t.Logf("report:\n%s", stdout)
	m := regexp.MustCompile(`(\d+) visitors marked as bots`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no count of bots:\n%s", stdout)
	}
	if n := atoiOr(m[1]); n < 30 || n > 90 {
		t.Errorf("%d of 200 visitors sent as bots, want about 60:\n%s", n, stdout)
	}
	if !strings.Contains(stdout, "verify: ok") {
		t.Errorf("check:\n%s", stdout)
	}

	for _, bad := range []string{"-0.1", "1.5", "lots"} {
		_, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--experiment", x,
			"--rates", "control=0.3,b=0.3", "--bots", bad)
		if err == nil || !strings.Contains(err.Error(), "--bots (COPYLAB_BOTS) \""+bad+"\": use a share from 0 to 1, such as 0.1") {
			t.Errorf("--bots %s: %v", bad, err)
		}
	}
}

func atoiOr(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
