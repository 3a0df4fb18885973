package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestPlannedStop: the job stops a running test once its planned end
// has come by the app's clock, as a person's Stop does: it is stopped,
// its history says it stopped on its planned date, the tag no longer
// serves its variants, and a second run changes nothing.
func TestPlannedStop(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Brand new headline")
	e.transition(x.ID, experiments.ActionStart)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 9)
	ctx := context.Background()
	if _, err := e.store.PatchExperiment(ctx, x.ID, func(x *experiments.Experiment) error { x.StopsAt = day; return nil }); err != nil {
		t.Fatal(err)
	}
	tag := func() string {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}
	wantContains(t, tag(), "Brand new headline")

	// Before its time, nothing happens.
	e.app.now = func() time.Time { return day.Add(-time.Minute) }
	if n := e.app.stopPlanned(ctx); n != 0 {
		t.Fatalf("stopped %d before its time", n)
	}
	wantContains(t, tag(), "Brand new headline")

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
		if got.Status == experiments.StatusStopped {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s", got.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	wantNotContains(t, tag(), "Brand new headline")
	if n := e.app.stopPlanned(ctx); n != 0 {
		t.Fatalf("second run stopped %d", n)
	}
	h, err := e.store.History(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	for _, c := range h {
		if c.Action == experiments.ChangeStopped {
			stops++
			if c.Detail != "Stopped on its planned date." || c.Actor != "" {
				t.Errorf("stop line %+v", c)
			}
		}
	}
	if stops != 1 {
		t.Errorf("%d stop lines in %+v", stops, h)
	}
}

// TestPlannedStopPage: the experiment page says when a running test
// stops ("Stops at 00:00 UTC on 12 Dec 2026, in 9 days"), and once the job stopped it,
// that it stopped on its planned date; a test a person stopped does not
// say so.
func TestPlannedStopPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 9)
	plan := func(x experiments.Experiment) {
		t.Helper()
		if _, err := e.store.PatchExperiment(ctx, x.ID, func(x *experiments.Experiment) error { x.StopsAt = day; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	plan(x)
	byHand := e.experiment(site.ID, "By hand")
	e.transition(byHand.ID, experiments.ActionStart)
	plan(byHand)

	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, "Stops at 00:00 UTC on "+day.Format("2 Jan 2006")+", in 9 days")
	wantNotContains(t, body, "may stop before it can be called")

	e.transition(byHand.ID, experiments.ActionStop)
	e.app.now = func() time.Time { return day.Add(time.Minute) }
	if n := e.app.stopPlanned(ctx); n != 1 {
		t.Fatalf("stopped %d", n)
	}
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Stopped on its planned date")
	wantNotContains(t, body, "Stops on ")
	_, body = c.get("/experiments/" + byHand.ID)
	wantNotContains(t, body, "Stopped on its planned date", "Stops on ")
}
