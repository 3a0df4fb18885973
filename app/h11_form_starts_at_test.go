package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"copylab/experiments"
)

// TestFormStartsAt: the experiment form's "Start on" date, beside "Stop
// on", is saved as its 00:00 UTC and shown again on a draft's edit form;
// a day in the past is refused beside the field as Stop on's is; a Stop
// on not after it is refused beside Stop on; and Stop on's warning that
// the test may stop before it can be called counts from the planned
// start.
func TestFormStartsAt(t *testing.T) {
	day := func(days int) string {
		return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, days).Format(time.DateOnly)
	}
	tests := []struct {
		name             string
		startsAt, stopAt string
		status           int
		want             []string
		saved            bool
		warn             bool
	}{
		{name: "in ten days", startsAt: day(10), stopAt: day(40), status: http.StatusSeeOther, saved: true},
		{name: "yesterday", startsAt: day(-1), status: http.StatusUnprocessableEntity,
			want: []string{"The planned start is in the past: choose a day after today (UTC)."}},
		{name: "today", startsAt: day(0), status: http.StatusUnprocessableEntity,
			want: []string{"The planned start is in the past"}},
		{name: "not a date", startsAt: "soon", status: http.StatusUnprocessableEntity,
			want: []string{"Enter a date such as 2026-12-12, or leave it empty."}},
		{name: "stop on the start day", startsAt: day(10), stopAt: day(10), status: http.StatusUnprocessableEntity,
			want: []string{"The planned stop is not after the planned start: choose a stop day after the start day."}},
		{name: "stop before the start", startsAt: day(10), stopAt: day(5), status: http.StatusUnprocessableEntity,
			want: []string{"The planned stop is not after the planned start"}},
		{name: "stop three days after the start", startsAt: day(10), stopAt: day(13), status: http.StatusSeeOther, saved: true, warn: true,
			want: []string{"The test may stop before it can be called: it runs only 3 days after its planned start"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			_, page := c.get("/experiments/new")
			wantContains(t, page, `name="starts_at"`, "Start on (optional)", "copylab starts the test by itself, with the same checks as Start")
			resp, body := c.post("/experiments", url.Values{
				"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {heroSelector},
				"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"}, "starts_at": {tc.startsAt}, "stops_at": {tc.stopAt},
				"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"},
			})
			wantStatus(t, resp, tc.status, body)
			if tc.status == http.StatusSeeOther {
				_, body = c.get(resp.Header.Get("Location"))
			} else {
				wantContains(t, body, `value="`+tc.startsAt+`"`)
			}
			wantContains(t, body, tc.want...)
			xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{SiteID: site.ID})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.saved {
				if len(xs) != 0 {
					t.Fatalf("saved %d experiments", len(xs))
				}
				return
			}
			if len(xs) != 1 || xs[0].StartsAt.UTC().Format(time.DateOnly) != tc.startsAt || !xs[0].StartsAt.Equal(xs[0].StartsAt.Truncate(24*time.Hour)) {
				t.Fatalf("stored %+v, want starts at %s", xs, tc.startsAt)
			}
			_, show := c.get("/experiments/" + xs[0].ID)
			wantContains(t, show, "Starts at 00:00 UTC on "+xs[0].StartsAt.Format("2 Jan 2006")+", in 10 days")
			_, edit := c.get("/experiments/" + xs[0].ID + "/edit")
			wantContains(t, edit, `name="starts_at"`, `value="`+tc.startsAt+`"`)
			if tc.warn {
				wantContains(t, edit, "after its planned start")
			} else {
				wantNotContains(t, edit, "may stop before it can be called")
			}
		})
	}
}

// TestFormStartsAtStarted: a started test's edit form has no Start on,
// and a Start on posted to it anyway (a page opened while it was a
// draft) is not saved.
func TestFormStartsAtStarted(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	_, edit := c.get("/experiments/" + x.ID + "/edit")
	wantNotContains(t, edit, `name="starts_at"`)
	wantContains(t, edit, `name="stops_at"`)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 20).Format(time.DateOnly)
	resp, body := c.post("/experiments/"+x.ID+"/edit", url.Values{"op": {"save"}, "name": {"Hero"}, "coverage": {"100"},
		"starts_at": {day}, "variants[0].key": {"control"}, "variants[1].key": {"b"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil || !got.StartsAt.IsZero() || got.Status != experiments.StatusRunning {
		t.Fatalf("after save: %v %s %v", got.StartsAt, got.Status, err)
	}
}
