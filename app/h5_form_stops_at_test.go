package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestFormStopsAt: the experiment form's "Stop on" date, a UTC day, is
// saved as its 00:00 UTC and shown again on the edit form; a day in the
// past is refused beside the field with nothing saved; a day sooner than
// the full week a verdict needs is saved with a warning, on the message
// after the save and beside the field.
func TestFormStopsAt(t *testing.T) {
	day := func(days int) time.Time { return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, days) }
	tests := []struct {
		name     string
		stopsAt  time.Time
		status   int
		want     []string
		saved    bool
		warnEdit bool
	}{
		{name: "a month ahead", stopsAt: day(30), status: http.StatusSeeOther, saved: true},
		{name: "yesterday", stopsAt: day(-1), status: http.StatusUnprocessableEntity,
			want: []string{"The planned stop is in the past: choose a day after today (UTC)."}},
		{name: "today", stopsAt: day(0), status: http.StatusUnprocessableEntity,
			want: []string{"The planned stop is in the past"}},
		{name: "in three days", stopsAt: day(3), status: http.StatusSeeOther, saved: true, warnEdit: true,
			want: []string{"The test may stop before it can be called", "a full week"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			_, page := c.get("/experiments/new")
			wantContains(t, page, `name="stops_at"`, `type="date"`, "00:00 UTC", "every visitor sees the original copy again", "the results stay")
			resp, body := c.post("/experiments", url.Values{
				"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {heroSelector},
				"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"}, "stops_at": {tc.stopsAt.Format("2006-01-02")},
				"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"},
			})
			wantStatus(t, resp, tc.status, body)
			if tc.status == http.StatusSeeOther {
				_, body = c.get(resp.Header.Get("Location"))
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
			if len(xs) != 1 || !xs[0].StopsAt.Equal(tc.stopsAt) {
				t.Fatalf("stored %+v, want stops at %v", xs, tc.stopsAt)
			}
			_, edit := c.get("/experiments/" + xs[0].ID + "/edit")
			wantContains(t, edit, `value="`+tc.stopsAt.Format("2006-01-02")+`"`)
			if tc.warnEdit {
				wantContains(t, edit, "The test may stop before it can be called")
			} else {
				wantNotContains(t, edit, "may stop before it can be called")
			}
		})
	}
}

// TestFormStopsAtEditRunning: a running test's edit form changes its
// stop date, and a save that leaves the date alone keeps it.
func TestFormStopsAtEditRunning(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 20)
	c.get("/experiments/" + x.ID + "/edit")
	for _, name := range []string{"Hero", "Hero renamed"} {
		resp, body := c.post("/experiments/"+x.ID+"/edit", url.Values{"op": {"save"}, "name": {name}, "coverage": {"100"},
			"stops_at": {day.Format("2006-01-02")}, "variants[0].key": {"control"}, "variants[1].key": {"b"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		got, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil || !got.StopsAt.Equal(day) || got.Name != name {
			t.Fatalf("after save: %v %q %v", got.StopsAt, got.Name, err)
		}
	}
	h, _ := e.store.History(context.Background(), x.ID)
	if n := strings.Count(h[0].Detail+h[1].Detail, "Planned to stop at 00:00 UTC on"); n != 1 {
		t.Errorf("history %+v", h[:2])
	}
}
