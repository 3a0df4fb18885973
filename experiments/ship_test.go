package experiments_test

import (
	"context"
	"errors"
	"testing"

	"copylab/experiments"
)

// TestShip: a started experiment ships one variant (and stops); the site's
// shipped list carries it until Unship; drafts, the original and unknown
// variants are refused with a code, changing nothing.
func TestShip(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	e, err := s.CreateExperiment(ctx, draft(site.ID))
	if err != nil {
		t.Fatal(err)
	}
	wantState := func(err error, code string) {
		t.Helper()
		var se *experiments.StateError
		if !errors.As(err, &se) || se.Code != code {
			t.Fatalf("got %v, want the state error %s", err, code)
		}
	}
	shipped := func() []string {
		t.Helper()
		xs, err := s.ShippedExperiments(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range xs {
			out = append(out, x.ID+":"+x.ShippedVariant)
		}
		return out
	}

	_, err = s.Ship(ctx, e.ID, "b")
	wantState(err, "invalid_transition")
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	_, err = s.Ship(ctx, e.ID, "control")
	wantState(err, "ship_control")
	_, err = s.Ship(ctx, e.ID, "zz")
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || ve[0].Code != "unknown_variant" || ve[0].Field != "variant" {
		t.Fatalf("unknown variant: %v", err)
	}
	if got, _ := s.Experiment(ctx, e.ID); got.Status != experiments.StatusRunning || got.ShippedVariant != "" {
		t.Fatalf("a refused ship changed the experiment: %s %q", got.Status, got.ShippedVariant)
	}
	// Nothing shipped: nothing to do, and nothing refused.
	if got, err := s.Unship(ctx, e.ID); err != nil || got.Status != experiments.StatusRunning || got.ShippedVariant != "" {
		t.Fatalf("unship with nothing shipped: %v %s %q", err, got.Status, got.ShippedVariant)
	}

	got, err := s.Ship(ctx, e.ID, "c")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != experiments.StatusStopped || got.ShippedVariant != "c" || got.ShippedAt.IsZero() || got.EndedAt.IsZero() {
		t.Fatalf("shipped: %+v", got)
	}
	if running, _ := s.RunningExperiments(ctx, site.ID); len(running) != 0 {
		t.Fatalf("still running after ship: %d", len(running))
	}
	ended := got.EndedAt
	// Another version replaces the shipped one; the end of the test stays.
	got, err = s.Ship(ctx, e.ID, "b")
	if err != nil || got.ShippedVariant != "b" || !got.EndedAt.Equal(ended) {
		t.Fatalf("ship b after c: %q ended %v (was %v), %v", got.ShippedVariant, got.EndedAt, ended, err)
	}
	if l := shipped(); len(l) != 1 || l[0] != e.ID+":b" {
		t.Fatalf("shipped list %v", l)
	}
	got, err = s.Unship(ctx, e.ID)
	if err != nil || got.ShippedVariant != "" || !got.ShippedAt.IsZero() || got.Status != experiments.StatusStopped {
		t.Fatalf("unship: %+v %v", got, err)
	}
	if l := shipped(); len(l) != 0 {
		t.Fatalf("shipped list after unship %v", l)
	}
	if _, err := s.Ship(ctx, "nope", "b"); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("ship unknown experiment: %v", err)
	}
	if _, err := s.Unship(ctx, "nope"); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("unship unknown experiment: %v", err)
	}
}
