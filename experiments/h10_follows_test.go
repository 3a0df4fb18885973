package experiments_test

import (
	"context"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestH10FollowsRecorded: a follow-up keeps which test it follows
// (FollowsID), so drafting can leave out the copy that test already
// tried; a test made any other way follows none. Deleting the followed
// test leaves the follow-up as it was, following none, and its history
// still names what it followed.
func TestH10FollowsRecorded(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	x := h9Shipped(t, s, site.ID)
	if x.FollowsID != "" {
		t.Errorf("a test made from scratch follows %q", x.FollowsID)
	}

	f, err := s.FollowUpExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.FollowsID != x.ID {
		t.Errorf("follow-up follows %q, want %q", f.FollowsID, x.ID)
	}
	// Every way of reading an experiment gives it.
	if got, err := s.Experiment(ctx, f.ID); err != nil || got.FollowsID != x.ID {
		t.Errorf("Experiment: follows %q (%v)", got.FollowsID, err)
	}
	list, err := s.Experiments(ctx, experiments.ExperimentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		want := ""
		if e.ID == f.ID {
			want = x.ID
		}
		if e.FollowsID != want {
			t.Errorf("Experiments: %s follows %q, want %q", e.Name, e.FollowsID, want)
		}
	}
	d, err := s.DuplicateExperiment(ctx, x.ID, 0)
	if err != nil || d.FollowsID != "" {
		t.Errorf("a duplicate follows %q (%v)", d.FollowsID, err)
	}

	if _, err := s.DeleteExperiment(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Experiment(ctx, f.ID)
	if err != nil {
		t.Fatalf("the follow-up after its followed test was deleted: %v", err)
	}
	if got.FollowsID != "" || len(got.Variants) != 1 || got.Variants[0].Text != "Pricing that grows with you" {
		t.Errorf("follow-up after the delete: follows %q, variants %+v", got.FollowsID, got.Variants)
	}
	h, err := s.History(ctx, f.ID)
	if err != nil || len(h) == 0 || h[len(h)-1].Detail != "Follows “Pricing headline” (shipped Variant B)." {
		t.Errorf("history %+v %v", h, err)
	}
	// It can still be followed up in turn, and edited.
	got.Name = "Pricing headline, round two"
	if _, err := s.UpdateExperiment(ctx, got); err != nil {
		t.Errorf("editing the follow-up: %v", err)
	}
}

// TestH10FollowsMigration: experiments made before copylab recorded what
// a follow-up follows open as following none.
func TestH10FollowsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	x := h9Shipped(t, s, mustSite(t, s).ID)
	f, err := s.FollowUpExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The database as the copylab before 0027 left it.
	if _, err := s.Writer().Exec(`drop index experiments_follows; alter table experiments drop column follows_id;
		delete from schema_migrations where version = 27`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = experiments.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{x.ID, f.ID} {
		got, err := s.Experiment(ctx, id)
		if err != nil || got.FollowsID != "" {
			t.Errorf("%s after the migration: follows %q, %v", id, got.FollowsID, err)
		}
	}
}
