package app

import "testing"

// TestTooEarlyRunTimeWords: the caution under an early verdict says how
// long the test has run in plain English: "only" goes before a number of
// hours or days, and never after "less than an hour".
func TestTooEarlyRunTimeWords(t *testing.T) {
	for _, tt := range []struct {
		name string
		days float64
		want string
	}{
		{"minutes", 0.01, "the test has run for less than an hour"},
		{"one hour", 1.5 / 24, "the test has run for only 1 hour"},
		{"hours", 5.2 / 24, "the test has run for only 5 hours"},
		{"one day", 1.2, "the test has run for only 1 day"},
		{"days", 3.7, "the test has run for only 3 days"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			why, until := tooEarly(tt.days, nil, 0)
			if len(why) != 1 || why[0] != tt.want {
				t.Errorf("why %q, want [%q]", why, tt.want)
			}
			if len(until) != 1 || until[0] != "for at least a full week" {
				t.Errorf("until %q", until)
			}
		})
	}
	if why, _ := tooEarly(earlyDays, nil, 0); len(why) != 0 {
		t.Errorf("a full week: why %q, want nothing", why)
	}
}
