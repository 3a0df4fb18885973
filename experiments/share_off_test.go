package experiments_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestShareOffMigration: the links of experiments started before copylab
// could turn a link off stay on after the migration that adds it: their
// token still opens their results.
func TestShareOffMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	// The database as the copylab before 0023 left it.
	if _, err := s.Writer().Exec(`alter table experiments drop column share_off; delete from schema_migrations where version = 23`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = experiments.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.ExperimentByShareToken(ctx, e.ShareToken)
	if err != nil || got.ID != e.ID || got.ShareOff {
		t.Fatalf("after the migration: %v, off %v, %v", got.ID, got.ShareOff, err)
	}
}

// TestTurnOffShareLink: turning a link off keeps the experiment's token
// from finding it; turning it off again changes nothing; a new link is
// on and the link turned off never finds it again. A draft is refused,
// and an unknown experiment is not found.
func TestTurnOffShareLink(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if err != nil {
		t.Fatal(err)
	}
	var se *experiments.StateError
	if _, err := s.TurnOffShareLink(ctx, e.ID); !errors.As(err, &se) || se.Code != "not_started" {
		t.Fatalf("draft: %v", err)
	}
	if _, err := s.TurnOffShareLink(ctx, "nope"); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	old := e.ShareToken
	var offTok string
	for range 2 {
		got, err := s.TurnOffShareLink(ctx, e.ID)
		if err != nil || !got.ShareOff {
			t.Fatalf("turn off: off %v, %v", got.ShareOff, err)
		}
		offTok = got.ShareToken
	}
	// Neither the link given out nor the token kept meanwhile finds it.
	for _, tok := range []string{old, offTok} {
		if _, err := s.ExperimentByShareToken(ctx, tok); !errors.Is(err, experiments.ErrNotFound) {
			t.Fatalf("a token of the link turned off still finds: %v", err)
		}
	}
	on, err := s.NewShareLink(ctx, e.ID)
	if err != nil || on.ShareOff || on.ShareToken == old {
		t.Fatalf("new link: off %v, same token %v, %v", on.ShareOff, on.ShareToken == old, err)
	}
	if got, err := s.ExperimentByShareToken(ctx, on.ShareToken); err != nil || got.ID != e.ID {
		t.Fatalf("the new link: %v", err)
	}
	for _, tok := range []string{old, offTok} {
		if _, err := s.ExperimentByShareToken(ctx, tok); !errors.Is(err, experiments.ErrNotFound) {
			t.Fatalf("a token of the link turned off finds again: %v", err)
		}
	}
}
