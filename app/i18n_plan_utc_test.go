package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestPlanSaysUTC: a planned stop or start says its time of day and that
// it is UTC wherever it is stated, as the form sets it (00:00 UTC) or as
// the API set it (17:30 UTC): a reader far from London would otherwise
// take "Stops on 25 Nov 2026, tomorrow" for their own midnight.
func TestPlanSaysUTC(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	// The App's clock ten days ahead, so that the store, on the real
	// clock, takes plans that have passed by the App's.
	today := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)
	now := today.Add(9 * time.Hour)
	day := func(n int, hour, minute int) time.Time {
		return today.AddDate(0, 0, n).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	on := func(t time.Time) string { return t.Format("2 Jan 2006") }
	for _, tc := range []struct {
		name          string
		started       bool
		starts, stops time.Time
		want          []string
	}{
		{name: "stop at midnight, tomorrow", stops: day(1, 0, 0),
			want: []string{"Stops at 00:00 UTC on " + on(day(1, 0, 0)) + ", tomorrow"}},
		{name: "stop set by the API", started: true, stops: day(20, 17, 30),
			want: []string{"Stops at 17:30 UTC on " + on(day(20, 0, 0)) + ", in 20 days"}},
		{name: "start and stop", starts: day(0, 22, 15), stops: day(36, 0, 0),
			want: []string{"Starts at 22:15 UTC on " + on(today) + ", today", "Stops at 00:00 UTC on " + on(day(36, 0, 0)) + ", in 36 days"}},
		{name: "stop passed", stops: day(-4, 0, 0),
			want: []string{"Stop at 00:00 UTC on " + on(day(-4, 0, 0)) + " has passed: move or remove it to start the test.",
				"Its planned stop, 00:00 UTC on " + on(day(-4, 0, 0)) + ", has passed."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.app.now = time.Now
			x := e.experiment(site.ID, tc.name)
			if tc.started {
				e.transition(x.ID, experiments.ActionStart)
			}
			h1Plan(t, e, x.ID, tc.starts, tc.stops)
			e.app.now = func() time.Time { return now }
			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
			text := strings.Join(strings.Fields(textOf(parseHTML(t, body))), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the page does not say %q", w)
				}
			}
		})
	}
}

// TestEditFormSaysPlannedTime: a stop set through the API within a day
// (17:30 UTC) shows on the edit form as its day, and the help beside it
// says the planned time, that saving that day unchanged keeps it, and
// that another day is 00:00 UTC of that day; both saves do what it says.
// A stop at 00:00 UTC has the usual help. The warning that the test may
// stop before it can be called counts from the planned times, not from
// their days' 00:00.
func TestEditFormSaysPlannedTime(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	token := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	stops := h1Day(20).Add(17*time.Hour + 30*time.Minute)
	resp, out := e.api("PATCH", "/api/v1/experiments/"+x.ID, token, `{"stops_at": "`+stops.Format(time.RFC3339)+`"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: %d %v", resp.StatusCode, out)
	}

	_, form := c.get("/experiments/" + x.ID + "/edit")
	if got := inputValue(t, form, "f-stops-at"); got != stops.Format(time.DateOnly) {
		t.Fatalf("the stop's field holds %q, want its day", got)
	}
	help := helpOf(t, form, "f-stops-at-help")
	for _, w := range []string{"Planned for 17:30 UTC on " + stops.Format("2 Jan 2006") + ".",
		"Saved with this day, it stays at 17:30 UTC; another day moves it to 00:00 UTC of that day."} {
		if !strings.Contains(help, w) {
			t.Errorf("the stop's help %q does not say %q", help, w)
		}
	}
	if strings.HasPrefix(help, "At 00:00 UTC on this day") {
		t.Errorf("the stop's help %q says the test stops at 00:00 UTC", help)
	}

	resp, body := c.post("/experiments/"+x.ID+"/edit", h1Resend(t, c, h1Stored(t, e, x.ID), nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got := h1Stored(t, e, x.ID).StopsAt; !got.Equal(stops) {
		t.Fatalf("saved unchanged, the stop moved to %v, want %v", got.UTC(), stops)
	}
	moved := h1Day(21)
	resp, body = c.post("/experiments/"+x.ID+"/edit", h1Resend(t, c, h1Stored(t, e, x.ID), map[string][]string{"stops_at": {moved.Format(time.DateOnly)}}))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got := h1Stored(t, e, x.ID).StopsAt; !got.Equal(moved) {
		t.Fatalf("saved with another day, the stop is %v, want %v", got.UTC(), moved)
	}
	_, form = c.get("/experiments/" + x.ID + "/edit")
	if help := helpOf(t, form, "f-stops-at-help"); !strings.HasPrefix(help, "At 00:00 UTC on this day, copylab stops the test by itself") {
		t.Errorf("a stop at 00:00 UTC has the help %q", help)
	}

	// Planned to run 6 days and 16 hours: too short to be called, though
	// the days alone are a week apart.
	y := e.experiment(site.ID, "Footer")
	h1Plan(t, e, y.ID, h1Day(10).Add(20*time.Hour), h1Day(17).Add(12*time.Hour))
	_, form = c.get("/experiments/" + y.ID + "/edit")
	wantContains(t, form, "The test may stop before it can be called: it runs less than 7 days after its planned start")
	help = helpOf(t, form, "f-starts-at-help")
	if !strings.Contains(help, "Planned for 20:00 UTC on "+h1Day(10).Format("2 Jan 2006")+".") {
		t.Errorf("the start's help %q does not say the planned time", help)
	}
}
