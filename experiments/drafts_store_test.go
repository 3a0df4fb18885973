package experiments_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"copylab/experiments"
)

// TestDraftJobs: a kept drafting job is written in place of itself, read
// back newest first from a time on, touched only forward, deleted one at
// a time or by age, refused (ErrNotFound) for an experiment or a user
// that is gone, and goes with its user.
func TestDraftJobs(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if err != nil {
		t.Fatal(err)
	}
	ann, err := s.CreateUser(ctx, "ann@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateUser(ctx, "bob@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	base := time.UnixMilli(1_700_000_000_000)
	job := func(id string, u experiments.User, seq int64, touched time.Time) experiments.DraftJob {
		return experiments.DraftJob{ID: id, ExperimentID: e.ID, UserID: u.ID, UserCreated: u.CreatedAt.UnixMilli(),
			Seq: seq, State: "running", Touched: touched, Data: []byte(`{"n":1}`)}
	}
	ids := func(since time.Time) []string {
		t.Helper()
		jobs, err := s.DraftJobs(ctx, since, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, j := range jobs {
			out = append(out, j.ID)
		}
		return out
	}
	for _, j := range []experiments.DraftJob{job("a", ann, 1, base), job("b", ann, 2, base.Add(time.Minute)), job("c", bob, 3, base.Add(2*time.Minute))} {
		if err := s.SaveDraftJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	done := job("a", ann, 1, base.Add(3*time.Minute))
	done.State, done.Data = "done", []byte(`{"drafts":["Plan every launch"]}`)
	if err := s.SaveDraftJob(ctx, done); err != nil {
		t.Fatal(err)
	}
	jobs, err := s.DraftJobs(ctx, base, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 3 || jobs[0].ID != "a" || jobs[0].State != "done" || string(jobs[0].Data) != string(done.Data) ||
		!jobs[0].Touched.Equal(done.Touched) || jobs[0].UserCreated != ann.CreatedAt.UnixMilli() || jobs[0].Seq != 1 {
		t.Fatalf("after a second save: %+v", jobs)
	}
	if got := ids(base.Add(90 * time.Second)); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("since 1m30s: %v", got)
	}

	// A touch moves forward only.
	if err := s.TouchDraftJob(ctx, "b", base.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchDraftJob(ctx, "b", base); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchDraftJob(ctx, "nobody", base); err != nil {
		t.Fatal(err)
	}
	if got := ids(base); !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Errorf("after touches: %v", got)
	}

	// Deleted by age, then one by one.
	if n, err := s.DeleteDraftJobsBefore(ctx, base.Add(150*time.Second)); err != nil || n != 1 {
		t.Errorf("deleted by age %d (%v), want 1", n, err)
	}
	if err := s.DeleteDraftJob(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if got := ids(time.Time{}); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after deletes: %v", got)
	}

	// Gone with its user; refused for a user or an experiment gone. Ann,
	// the first account, is the only admin until Bob is made one.
	if _, err := s.SetRole(ctx, bob.ID, bob.Email, experiments.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteUser(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}
	if got := ids(time.Time{}); len(got) != 0 {
		t.Errorf("after the user was deleted: %v", got)
	}
	if err := s.SaveDraftJob(ctx, job("d", ann, 4, base)); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("a removed user's job: %v", err)
	}
	gone := job("e", bob, 5, base)
	gone.ExperimentID = "nope"
	if err := s.SaveDraftJob(ctx, gone); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("a job of no experiment: %v", err)
	}
}
