package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestStopsAt: a planned end is stored and read back, its changes are in
// the history, and StopDue stops a test once its time has come, once,
// through the same transition as a person's Stop.
func TestStopsAt(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)
	in := draft(site.ID)
	in.StopsAt = day
	e, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !e.StopsAt.Equal(day) {
		t.Fatalf("stops at %v, want %v", e.StopsAt, day)
	}
	later := day.AddDate(0, 0, 2)
	e, err = s.PatchExperiment(ctx, e.ID, func(x *experiments.Experiment) error { x.StopsAt = later; return nil })
	if err != nil || !e.StopsAt.Equal(later) {
		t.Fatalf("patch: %v %v", e.StopsAt, err)
	}
	h, err := s.History(ctx, e.ID)
	if err != nil || len(h) == 0 || h[0].Detail != "Planned stop moved from 00:00 UTC on "+day.Format("2 Jan 2006")+" to 00:00 UTC on "+later.Format("2 Jan 2006")+"." {
		t.Fatalf("history %+v %v", h, err)
	}
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if got, err := s.StopDue(ctx, later.Add(-time.Second)); err != nil || len(got) != 0 {
		t.Fatalf("before its time: %v %v", got, err)
	}
	got, err := s.StopDue(ctx, later)
	if err != nil || len(got) != 1 || got[0].Status != experiments.StatusStopped || got[0].EndedAt.IsZero() {
		t.Fatalf("at its time: %+v %v", got, err)
	}
	if again, err := s.StopDue(ctx, later.Add(time.Hour)); err != nil || len(again) != 0 {
		t.Fatalf("second run: %v %v", again, err)
	}
	h, _ = s.History(ctx, e.ID)
	if h[0].Action != experiments.ChangeStopped || h[0].Detail != experiments.PlannedStopDetail || h[0].Actor != "" {
		t.Fatalf("stop line %+v", h[0])
	}
	stops := 0
	for _, c := range h {
		if c.Action == experiments.ChangeStopped {
			stops++
		}
	}
	if stops != 1 {
		t.Fatalf("%d stop lines", stops)
	}
}
