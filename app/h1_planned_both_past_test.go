package app

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// h1Day is 00:00 UTC of the day n days from today.
func h1Day(n int) time.Time { return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, n) }

// h1Plan sets x's planned start and stop through the store, as the API
// saves them (any time of day).
func h1Plan(t *testing.T, e *env, id string, startsAt, stopsAt time.Time) {
	t.Helper()
	if _, err := e.store.PatchExperiment(context.Background(), id, func(x *experiments.Experiment) error {
		x.StartsAt, x.StopsAt = startsAt, stopsAt
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// h1Stored is x as stored now.
func h1Stored(t *testing.T, e *env, id string) experiments.Experiment {
	t.Helper()
	x, err := e.store.Experiment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// h1Resend is the edit form of x as a browser sends it back unchanged
// (every field and row as the page shows it, the date inputs included),
// with the fields of change set on top.
func h1Resend(t *testing.T, c *client, x experiments.Experiment, change url.Values) url.Values {
	t.Helper()
	_, body := c.get("/experiments/" + x.ID + "/edit")
	v := editForm(x, "save", formRows(t, body))
	for _, name := range []string{"starts_at", "stops_at"} {
		if m := regexp.MustCompile(`name="` + name + `" type="date" value="([^"]*)"`).FindStringSubmatch(body); m != nil {
			v.Set(name, html.UnescapeString(m[1]))
		}
	}
	for k, vs := range change {
		v[k] = vs
	}
	return v
}

// TestPlannedStartAfterStopPassed: when the server was down past both a
// draft's planned start and its planned stop, the job's next run does
// not start it (then stop it at once, an empty test): it stays a draft
// with neither plan, its History says why in the words of the other
// refused starts, and its page no longer says when it starts or stops.
func TestPlannedStartAfterStopPassed(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	starts, stops := h1Day(3), h1Day(5).Add(14*time.Hour+30*time.Minute)
	h1Plan(t, e, x.ID, starts, stops)
	ctx := context.Background()
	e.app.now = func() time.Time { return stops.Add(time.Hour) }
	// The job's one pass: startPlanned, then stopPlanned.
	if n := e.app.startPlanned(ctx); n != 0 {
		t.Errorf("started %d", n)
	}
	if n := e.app.stopPlanned(ctx); n != 0 {
		t.Errorf("stopped %d", n)
	}
	got := h1Stored(t, e, x.ID)
	if got.Status != experiments.StatusDraft || !got.StartsAt.IsZero() || !got.StopsAt.IsZero() || !got.StartedAt.IsZero() {
		t.Fatalf("after the job: %s, starts at %v, stops at %v, started at %v", got.Status, got.StartsAt, got.StopsAt, got.StartedAt)
	}
	n, h := countAction(t, e, x.ID, experiments.ChangeNotStarted)
	want := "Not started on its planned date: Its planned stop, " + stops.UTC().Format("15:04") + " UTC on " + stops.UTC().Format("2 Jan 2006") + ", had already passed"
	if n != 1 || !strings.HasPrefix(h[0].Detail, want) || h[0].Actor != "" {
		t.Fatalf("history %+v, want %q…", h, want)
	}
	if n, _ := countAction(t, e, x.ID, experiments.ChangeStarted); n != 0 {
		t.Fatalf("%d start lines", n)
	}
	_, page := c.get("/experiments/" + x.ID)
	wantContains(t, page, "<strong>Not started</strong>", html.EscapeString(want))
	wantNotContains(t, page, "Starts on ", "Stops on ")
}
