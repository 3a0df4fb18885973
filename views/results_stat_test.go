package views

import (
	"strings"
	"testing"
)

// TestResultsRunTimeStat: the stat of how long a test has run says
// "running" while it runs and "of running" once it has stopped or shipped:
// a test stopped after forty minutes did not keep "<1 hour running". A
// paused test is not running either: "of running, now paused".
func TestResultsRunTimeStat(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status string
		ended  bool
		days   float64
		want   string
	}{
		{"running, minutes in", "running", false, 0.03, "<1 hour running"},
		{"paused, minutes in", "paused", false, 0.03, "<1 hour of running, now paused"},
		{"paused, days in", "paused", false, 3.2, "3 days of running, now paused"},
		{"stopped, minutes in", "stopped", true, 0.03, "<1 hour of running"},
		{"stopped, days in", "stopped", true, 9.5, "9 days of running"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := renderDoc(t, ResultsPanel(Results{Status: tt.status, Days: tt.days,
				Verdict: Verdict{Status: "not_enough_data", Text: "…", Ended: tt.ended}}))
			var got string
			for _, s := range find(doc, byClass("stat")) {
				parts := []string{}
				for _, span := range find(s, byClass("stat-value")) {
					parts = append(parts, text(span))
				}
				for _, span := range find(s, byClass("stat-label")) {
					parts = append(parts, text(span))
				}
				if line := strings.Join(parts, " "); strings.Contains(line, "hour") || strings.Contains(line, "day") {
					got = line
				}
			}
			if got != tt.want {
				t.Errorf("stat %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHealthLineNotFound: a variant whose element was on none of its page
// views says so, not "Shown on 0% of page views".
func TestHealthLineNotFound(t *testing.T) {
	for _, tt := range []struct {
		h    Health
		want string
	}{
		{Health{Missed: 13}, "Not found on any of its 13 page views"},
		{Health{Missed: 1}, "Not found on its 1 page view"},
		{Health{Applied: 1, Missed: 13}, "Shown on 7.1% of page views"},
	} {
		if got := healthLine(tt.h); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.h, got, tt.want)
		}
	}
}
