package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH8IdempotencyKeys: a key is held by its first call, answered once,
// replayed for the same call only, let go when the call fails, taken over
// once abandoned, a user's own, and forgotten after a day.
func TestH8IdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	u, err := s.CreateUser(ctx, "ci@example.com", "", "x")
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateUser(ctx, "other@example.com", "", "x")
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_750_000_000_000)
	call := experiments.IdempotentCall{UserID: u.ID, Key: "k1", Method: "POST", Path: "/api/v1/sites", Body: []byte(`{"name":"a"}`)}
	reserve := func(c experiments.IdempotentCall, at time.Time, want experiments.KeyState) experiments.IdempotentAnswer {
		t.Helper()
		st, ans, err := s.ReserveIdempotencyKey(ctx, c, at)
		if err != nil {
			t.Fatal(err)
		}
		if st != want {
			t.Fatalf("%s %s %s: state %d, want %d", c.Key, c.Path, c.Body, st, want)
		}
		return ans
	}

	reserve(call, now, experiments.KeyReserved)
	reserve(call, now.Add(time.Second), experiments.KeyInUse)
	otherBody := call
	otherBody.Body = []byte(`{"name":"b"}`)
	reserve(otherBody, now.Add(time.Second), experiments.KeyReused)
	otherPath := call
	otherPath.Path = "/api/v1/experiments"
	reserve(otherPath, now.Add(time.Second), experiments.KeyReused)
	theirs := call
	theirs.UserID = other.ID
	reserve(theirs, now.Add(time.Second), experiments.KeyReserved)

	want := experiments.IdempotentAnswer{Status: 201, Location: "/api/v1/sites/1", Body: []byte(`{"id":"1"}`)}
	if saved, err := s.SaveIdempotentAnswer(ctx, u.ID, "k1", now, want, now.Add(2*time.Second)); err != nil || !saved {
		t.Fatalf("save: %v %v", saved, err)
	}
	// An answer kept is not let go.
	if err := s.ReleaseIdempotencyKey(ctx, u.ID, "k1", now); err != nil {
		t.Fatal(err)
	}
	got := reserve(call, now.Add(time.Hour), experiments.KeyAnswered)
	if got.Status != want.Status || got.Location != want.Location || string(got.Body) != string(want.Body) {
		t.Errorf("answer %+v, want %+v", got, want)
	}

	// A failed call lets its key go: the next call is answered anew.
	failed := call
	failed.Key = "k2"
	reserve(failed, now, experiments.KeyReserved)
	if err := s.ReleaseIdempotencyKey(ctx, u.ID, "k2", now); err != nil {
		t.Fatal(err)
	}
	failed.Body = []byte(`{"name":"fixed"}`)
	reserve(failed, now.Add(time.Second), experiments.KeyReserved)
	// Still unanswered long after: abandoned, and taken over.
	reserve(failed, now.Add(experiments.IdempotencyKeyAbandoned+2*time.Second), experiments.KeyReserved)

	// A day later the key names a new call; the housekeeping forgets it.
	reserve(otherBody, now.Add(experiments.IdempotencyKeyKept), experiments.KeyReserved)
	n, err := s.DeleteIdempotencyKeysBefore(ctx, now.Add(time.Minute))
	if err != nil || n != 1 { // theirs; k1 began again a day later, k2 minutes later
		t.Fatalf("deleted %d, %v; want 1", n, err)
	}
	// A user removed takes their keys along (another admin first: the
	// only admin cannot be removed).
	if _, err := s.SetRole(ctx, other.ID, other.Email, experiments.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.Reader().QueryRowContext(ctx, `select count(*) from idempotency_keys`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d keys left, %v", left, err)
	}
}
