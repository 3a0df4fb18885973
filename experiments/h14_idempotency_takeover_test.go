package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH14IdempotencyTakeover: a retry takes over a key whose first call
// has run past IdempotencyKeyAbandoned unanswered; when that first call
// then ends after all, its answer or its letting go applies to its own
// reservation only, which is gone, and leaves the retry's alone.
func TestH14IdempotencyTakeover(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	u, err := s.CreateUser(ctx, "ci@example.com", "", "x")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_750_000_000_000)
	late := t0.Add(experiments.IdempotencyKeyAbandoned + time.Minute)
	call := func(key string) experiments.IdempotentCall {
		return experiments.IdempotentCall{UserID: u.ID, Key: key, Method: "POST", Path: "/api/v1/sites", Body: []byte(`{"name":"a"}`)}
	}
	reserve := func(t *testing.T, c experiments.IdempotentCall, at time.Time, want experiments.KeyState) experiments.IdempotentAnswer {
		t.Helper()
		st, ans, err := s.ReserveIdempotencyKey(ctx, c, at)
		if err != nil {
			t.Fatal(err)
		}
		if st != want {
			t.Fatalf("%s at %s: state %d, want %d", c.Key, at.Sub(t0), st, want)
		}
		return ans
	}
	save := func(t *testing.T, key string, reservedAt time.Time, a experiments.IdempotentAnswer, at time.Time, want bool) {
		t.Helper()
		saved, err := s.SaveIdempotentAnswer(ctx, u.ID, key, reservedAt, a, at)
		if err != nil {
			t.Fatal(err)
		}
		if saved != want {
			t.Errorf("%s: saved %v, want %v", key, saved, want)
		}
	}
	first := experiments.IdempotentAnswer{Status: 201, Location: "/api/v1/sites/first", Body: []byte(`{"id":"first"}`)}
	retry := experiments.IdempotentAnswer{Status: 201, Location: "/api/v1/sites/retry", Body: []byte(`{"id":"retry"}`)}

	t.Run("the first call fails late", func(t *testing.T) {
		c := call("fails")
		reserve(t, c, t0, experiments.KeyReserved)
		reserve(t, c, late, experiments.KeyReserved) // the retry takes over
		if err := s.ReleaseIdempotencyKey(ctx, u.ID, c.Key, t0); err != nil {
			t.Fatal(err)
		}
		// The retry still holds the key: a third call waits for it
		// rather than being made alongside.
		reserve(t, c, late.Add(time.Second), experiments.KeyInUse)
		save(t, c.Key, late, retry, late.Add(2*time.Second), true)
		if got := reserve(t, c, late.Add(3*time.Second), experiments.KeyAnswered); string(got.Body) != string(retry.Body) {
			t.Errorf("replayed %s, want the retry's %s", got.Body, retry.Body)
		}
	})

	t.Run("the first call succeeds late", func(t *testing.T) {
		c := call("succeeds")
		reserve(t, c, t0, experiments.KeyReserved)
		reserve(t, c, late, experiments.KeyReserved)
		save(t, c.Key, t0, first, late.Add(time.Second), false)
		reserve(t, c, late.Add(2*time.Second), experiments.KeyInUse)
		save(t, c.Key, late, retry, late.Add(3*time.Second), true)
		if got := reserve(t, c, late.Add(4*time.Second), experiments.KeyAnswered); string(got.Body) != string(retry.Body) ||
			got.Location != retry.Location {
			t.Errorf("replayed %s %s, want the retry's %s %s", got.Location, got.Body, retry.Location, retry.Body)
		}
	})

	t.Run("a day later", func(t *testing.T) {
		// A first call cut off and never answered: a day later the key
		// names a new call, which a late end of the first leaves alone.
		c := call("day")
		reserve(t, c, t0, experiments.KeyReserved)
		next := c
		next.Body = []byte(`{"name":"b"}`)
		day := t0.Add(experiments.IdempotencyKeyKept)
		reserve(t, next, day, experiments.KeyReserved)
		if err := s.ReleaseIdempotencyKey(ctx, u.ID, c.Key, t0); err != nil {
			t.Fatal(err)
		}
		save(t, c.Key, t0, first, day.Add(time.Second), false)
		reserve(t, next, day.Add(2*time.Second), experiments.KeyInUse)
	})
}
