package experiments_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH8UnshipTwice: unshipping what is not shipped answers the
// experiment unchanged, with no history line; an unknown one is still
// not found.
func TestH8UnshipTwice(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	x, err := s.CreateExperiment(ctx, draft(site.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unship(ctx, x.ID); err != nil {
		t.Fatalf("unship of a draft: %v", err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ship(ctx, x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	first, err := s.Unship(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := s.History(ctx, x.ID)
	time.Sleep(3 * time.Millisecond)
	again, err := s.Unship(ctx, x.ID)
	if err != nil || !again.UpdatedAt.Equal(first.UpdatedAt) || again.ShippedVariant != "" {
		t.Fatalf("unship again: %v, %+v", err, again)
	}
	if now, _ := s.History(ctx, x.ID); len(now) != len(lines) {
		t.Errorf("unship again wrote history: %d lines, was %d", len(now), len(lines))
	}
	if _, err := s.Unship(ctx, "nope"); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("unknown experiment: %v", err)
	}
}
