package app

import (
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH3StopsTooSoonWords: the warning says how long the test runs
// without rounding it down: a plan that leaves 1 day and 20 hours runs
// "less than 2 days", as the Setup card counts the days to its stop
// ("in 2 days"), and only a whole number of days is said as it is.
func TestH3StopsTooSoonWords(t *testing.T) {
	start := time.Date(2026, 11, 25, 3, 30, 0, 0, time.UTC)
	midnight := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		from, stopsAt time.Time
		want          string
	}{
		{"1 day 20 hours", start, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), "it runs less than 2 days after its start,"},
		{"6 days 16 hours", start.Add(-7*time.Hour - 30*time.Minute), start.Add(6*24*time.Hour + 8*time.Hour + 30*time.Minute), "it runs less than 7 days after its start,"},
		{"20 hours", start, start.Add(20 * time.Hour), "it runs less than a day after its start,"},
		{"a whole day", midnight, midnight.AddDate(0, 0, 1), "it runs only 1 day after its start,"},
		{"three whole days", midnight, midnight.AddDate(0, 0, 3), "it runs only 3 days after its start,"},
		{"1 day and a minute", midnight, midnight.AddDate(0, 0, 1).Add(time.Minute), "it runs less than 2 days after its start,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stopsTooSoon(tt.stopsAt, tt.from, time.Time{}, tt.from)
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
	if got := stopsTooSoon(midnight.AddDate(0, 0, 7), midnight, time.Time{}, midnight); got != "" {
		t.Errorf("a full week warns: %q", got)
	}
}

// TestH3StopsWordsAgreeOnThePage: on a test started now and planned to
// stop at 00:00 UTC two days on, the page's Setup card says "in 2 days"
// and the warning "less than 2 days", not "only 1 day".
func TestH3StopsWordsAgreeOnThePage(t *testing.T) {
	now := time.Now().UTC()
	if now.Sub(now.Truncate(24*time.Hour)) < time.Minute || now.Add(time.Minute).Day() != now.Day() {
		t.Skip("too near 00:00 UTC for the day count to hold through the test")
	}
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	h1Plan(t, e, x.ID, time.Time{}, h1Day(2))
	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, ", in 2 days", "The test may stop before it can be called: it runs less than 2 days after its start")
	wantNotContains(t, body, "only 1 day")
}
