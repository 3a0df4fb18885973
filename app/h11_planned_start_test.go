package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// planStart gives x a planned start at day through the store, as the
// form and the API save it.
func planStart(t *testing.T, e *env, id string, day time.Time) {
	t.Helper()
	if _, err := e.store.PatchExperiment(context.Background(), id, func(x *experiments.Experiment) error { x.StartsAt = day; return nil }); err != nil {
		t.Fatal(err)
	}
}

// countAction counts the lines of an action in an experiment's history.
func countAction(t *testing.T, e *env, id, action string) (int, []experiments.Change) {
	t.Helper()
	h, err := e.store.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range h {
		if c.Action == action {
			n++
		}
	}
	return n, h
}

// TestPlannedStart: the job of the planned stops also starts a draft
// once its planned start has come by the app's clock, as a person's
// Start does: it runs, the tag serves its variants, its history says it
// started on its planned date, the plan is gone, and a second run
// changes nothing.
func TestPlannedStart(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Brand new headline")
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 9)
	planStart(t, e, x.ID, day)
	ctx := context.Background()
	tag := func() string {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}
	wantNotContains(t, tag(), "Brand new headline")

	// The page of the planned draft says when, and still offers Start.
	_, page := c.get("/experiments/" + x.ID)
	wantContains(t, page, "<dt>Starts</dt>", "Starts at 00:00 UTC on "+day.Format("2 Jan 2006")+", in 9 days", `action="/experiments/`+x.ID+`/start"`)

	// Before its time, nothing happens.
	e.app.now = func() time.Time { return day.Add(-time.Minute) }
	if n := e.app.startPlanned(ctx); n != 0 {
		t.Fatalf("started %d before its time", n)
	}

	// The job's loop, with the clock past the day: its first pass runs
	// at once.
	e.app.now = func() time.Time { return day.Add(30 * time.Second) }
	jobCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.app.runPlannedStops(jobCtx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := e.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == experiments.StatusRunning {
			if !got.StartsAt.IsZero() || got.StartedAt.IsZero() {
				t.Fatalf("started: starts at %v, started at %v", got.StartsAt, got.StartedAt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s", got.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	wantContains(t, tag(), "Brand new headline")
	if n := e.app.startPlanned(ctx); n != 0 {
		t.Fatalf("second run started %d", n)
	}
	n, h := countAction(t, e, x.ID, experiments.ChangeStarted)
	if n != 1 {
		t.Fatalf("%d start lines in %+v", n, h)
	}
	if h[0].Action != experiments.ChangeStarted || h[0].Detail != "Started on its planned date." || h[0].Actor != "" {
		t.Errorf("start line %+v", h[0])
	}
	_, page = c.get("/experiments/" + x.ID)
	wantContains(t, page, "Started on its planned date")
	wantNotContains(t, page, "Starts on ")
}

// TestPlannedStartRefused: a draft whose planned start comes while Start
// would refuse it stays a draft, its plan cleared, and its History says
// why in Start's own words, on its page; the job does not try again.
func TestPlannedStartRefused(t *testing.T) {
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 3)
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env, siteID string) experiments.Experiment
		want  string
	}{
		{name: "only the original", want: "Add at least one variant of the copy before starting.",
			setup: func(t *testing.T, e *env, siteID string) experiments.Experiment {
				return e.experiment(siteID, "Hero", "Original headline")
			}},
		{name: "no traffic", want: "The traffic share is 0%, so no visitor would be in the test.",
			setup: func(t *testing.T, e *env, siteID string) experiments.Experiment {
				x := e.experiment(siteID, "Hero")
				x, err := e.store.PatchExperiment(context.Background(), x.ID, func(x *experiments.Experiment) error { x.CoverageBP = 0; return nil })
				if err != nil {
					t.Fatal(err)
				}
				return x
			}},
		{name: "no page yet", want: "Choose a goal",
			setup: func(t *testing.T, e *env, siteID string) experiments.Experiment {
				x, err := e.store.CreateDraft(context.Background(), experiments.Experiment{SiteID: siteID, Name: "Hero",
					Goal: experiments.Goal{Type: experiments.GoalClick}, CoverageBP: 10000,
					Variants: []experiments.Variant{{Text: "Original headline"}, {Text: "New headline"}}})
				if err != nil {
					t.Fatal(err)
				}
				return x
			}},
		{name: "element in another test", want: "“Running” already tests this element on the same pages",
			setup: func(t *testing.T, e *env, siteID string) experiments.Experiment {
				other := e.experimentOn(siteID, "Running", "/pricing", heroSelector)
				e.transition(other.ID, experiments.ActionStart)
				return e.experimentOn(siteID, "Hero", "/pricing", heroSelector, "Original headline", "Another headline")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := tc.setup(t, e, site.ID)
			planStart(t, e, x.ID, day)
			ctx := context.Background()
			e.app.now = func() time.Time { return day.Add(time.Minute) }
			if n := e.app.startPlanned(ctx); n != 0 {
				t.Fatalf("started %d", n)
			}
			got, err := e.store.Experiment(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != experiments.StatusDraft || !got.StartsAt.IsZero() {
				t.Fatalf("after the refusal: %s, starts at %v", got.Status, got.StartsAt)
			}
			n, h := countAction(t, e, x.ID, experiments.ChangeNotStarted)
			if n != 1 || !strings.HasPrefix(h[0].Detail, "Not started on its planned date: ") || !strings.Contains(h[0].Detail, tc.want) || h[0].Actor != "" {
				t.Fatalf("history %+v", h)
			}
			if n := e.app.startPlanned(ctx); n != 0 {
				t.Fatalf("second run started %d", n)
			}
			if n, h := countAction(t, e, x.ID, experiments.ChangeNotStarted); n != 1 {
				t.Fatalf("second run: %+v", h)
			}
			_, page := c.get("/experiments/" + x.ID)
			wantContains(t, page, "<strong>Not started</strong>", "Not started on its planned date: ")
			wantNotContains(t, page, "Starts on ")
		})
	}
}

// TestPlannedStartByHand: a person's Start of a planned draft starts it
// at once and clears the plan, so the job later has nothing to do.
func TestPlannedStartByHand(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2)
	planStart(t, e, x.ID, day)
	resp, body := c.post("/experiments/"+x.ID+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil || got.Status != experiments.StatusRunning || !got.StartsAt.IsZero() {
		t.Fatalf("after Start: %s, starts at %v, %v", got.Status, got.StartsAt, err)
	}
	_, h := countAction(t, e, x.ID, experiments.ChangeStarted)
	if h[0].Action != experiments.ChangeStarted || !strings.Contains(h[0].Detail, day.Format("2 Jan 2006")) || h[0].Actor != "owner@example.com" {
		t.Errorf("start line %+v", h[0])
	}
	e.app.now = func() time.Time { return day.Add(time.Minute) }
	if n := e.app.startPlanned(context.Background()); n != 0 {
		t.Fatalf("the job started %d", n)
	}
	if n, _ := countAction(t, e, x.ID, experiments.ChangeStarted); n != 1 {
		t.Fatalf("%d start lines", n)
	}
	_, page := c.get("/experiments/" + x.ID)
	wantNotContains(t, page, "Starts on ", "Started on its planned date")
}
