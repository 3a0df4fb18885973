package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestEditKeepsPlanTime: the form shows a planned start or stop as its
// UTC day, so a time the API set within a day (14:30 UTC) is saved
// again as it was when the form is sent back with that day, untouched:
// nothing moves, and the History gains no line. A new day is 00:00 UTC
// of that day, and an emptied field removes the plan. A stop later
// today, whose 00:00 has passed, is no longer refused as in the past.
func TestEditKeepsPlanTime(t *testing.T) {
	at := 14*time.Hour + 30*time.Minute
	soon := time.Now().UTC().Add(time.Hour).Truncate(time.Minute)
	tests := []struct {
		name               string
		started            bool
		starts, stops      time.Time
		change             url.Values
		wantStarts, wantSt time.Time
		edited             bool
	}{
		{name: "draft, both untouched", starts: h1Day(10).Add(at), stops: h1Day(40).Add(at),
			wantStarts: h1Day(10).Add(at), wantSt: h1Day(40).Add(at)},
		{name: "draft, renamed", starts: h1Day(10).Add(at), stops: h1Day(40).Add(at), change: url.Values{"name": {"Hero 2"}},
			wantStarts: h1Day(10).Add(at), wantSt: h1Day(40).Add(at), edited: true},
		{name: "draft, stop moved", starts: h1Day(10).Add(at), stops: h1Day(40).Add(at), change: url.Values{"stops_at": {h1Day(41).Format(time.DateOnly)}},
			wantStarts: h1Day(10).Add(at), wantSt: h1Day(41), edited: true},
		{name: "draft, start removed", starts: h1Day(10).Add(at), stops: h1Day(40).Add(at), change: url.Values{"starts_at": {""}},
			wantSt: h1Day(40).Add(at), edited: true},
		{name: "running, untouched", started: true, stops: h1Day(20).Add(at), wantSt: h1Day(20).Add(at)},
		// 00:00 of its day has passed (but in the last hour of a UTC day):
		// the save was refused as a stop in the past.
		{name: "running, stop within the hour", started: true, stops: soon, wantSt: soon},
		{name: "running, moved", started: true, stops: h1Day(20).Add(at), change: url.Values{"stops_at": {h1Day(21).Format(time.DateOnly)}},
			wantSt: h1Day(21), edited: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := e.experiment(site.ID, "Hero")
			if tc.started {
				x = e.transition(x.ID, experiments.ActionStart)
			}
			h1Plan(t, e, x.ID, tc.starts, tc.stops)
			before, _ := countAction(t, e, x.ID, experiments.ChangeEdited)
			resp, body := c.post("/experiments/"+x.ID+"/edit", h1Resend(t, c, h1Stored(t, e, x.ID), tc.change))
			wantStatus(t, resp, http.StatusSeeOther, body)
			got := h1Stored(t, e, x.ID)
			if !got.StartsAt.Equal(tc.wantStarts) || !got.StopsAt.Equal(tc.wantSt) {
				t.Fatalf("starts at %v, stops at %v; want %v, %v", got.StartsAt.UTC(), got.StopsAt.UTC(), tc.wantStarts, tc.wantSt)
			}
			after, h := countAction(t, e, x.ID, experiments.ChangeEdited)
			if edited := after > before; edited != tc.edited {
				t.Fatalf("edited %v, want %v: %+v", edited, tc.edited, h[0])
			}
			if tc.edited && strings.Contains(tc.name, "renamed") && strings.Contains(h[0].Detail, "Planned") {
				t.Fatalf("a rename moved a plan: %q", h[0].Detail)
			}
		})
	}
}
