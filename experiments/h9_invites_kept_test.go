package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestExpiredInvitesKeptAWeek: an expired invite stays in the table for
// experiments.ExpiredInviteKept after it expired, so the Users page can
// say the person did not join; neither the hourly clean-up nor the next
// invite deletes it before then, and a new invite for the same email
// takes its place without counting as a replacement.
func TestExpiredInvitesKeptAWeek(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.UnixMilli(1_750_000_000_000)
	day := 24 * time.Hour
	mk := func(hash, email string, created, expires time.Time) {
		t.Helper()
		if _, _, err := s.CreateInvite(ctx, hash, email, "", "", created, expires); err != nil {
			t.Fatal(err)
		}
	}
	// Oldest last: each invite made deletes those long expired at its
	// own creation.
	mk("live", "live@example.com", now.Add(-day), now.Add(10*day))
	mk("late", "late@example.com", now.Add(-8*day), now.Add(-day))
	mk("gone", "gone@example.com", now.Add(-15*day), now.Add(-8*day))

	count := func() int {
		t.Helper()
		var n int
		if err := s.Reader().QueryRowContext(ctx, `select count(*) from invites`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, err := s.DeleteExpiredInvites(ctx, now); err != nil || n != 1 {
		t.Fatalf("delete expired at now: %d, %v; want 1 (the one expired 8 days ago)", n, err)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d invites left, want 2", n)
	}
	emails := func(invs []experiments.Invite) []string {
		var out []string
		for _, inv := range invs {
			out = append(out, inv.Email)
		}
		return out
	}
	if got, err := s.ExpiredInvites(ctx, now); err != nil || len(got) != 1 || got[0].Email != "late@example.com" {
		t.Fatalf("expired invites: %v, %v; want late@example.com", emails(got), err)
	}
	if got, err := s.Invites(ctx, now); err != nil || len(got) != 1 || got[0].Email != "live@example.com" {
		t.Fatalf("pending invites: %v, %v; want live@example.com", emails(got), err)
	}

	// Another email's invite leaves it alone.
	mk("other", "other@example.com", now, now.Add(7*day))
	if n := count(); n != 3 {
		t.Fatalf("%d invites after another invite, want 3", n)
	}

	// A week after it expired it goes.
	later := now.Add(6*day + time.Minute)
	if got, err := s.ExpiredInvites(ctx, later); err != nil || len(got) != 0 {
		t.Errorf("expired invites a week on: %v, %v; want none", emails(got), err)
	}
	if n, err := s.DeleteExpiredInvites(ctx, later); err != nil || n != 1 {
		t.Errorf("delete expired a week on: %d, %v; want 1", n, err)
	}

	// Invited again: pending, no longer expired, and not "replaced" (its
	// link had stopped working already).
	mk("late2", "late2@example.com", now.Add(-8*day), now.Add(-day))
	_, replaced, err := s.CreateInvite(ctx, "late2-again", "late2@example.com", "", "", now, now.Add(7*day))
	if err != nil || replaced {
		t.Errorf("invite again: replaced %v, %v; want not replaced", replaced, err)
	}
	if got, err := s.ExpiredInvites(ctx, now); err != nil || len(got) != 0 {
		t.Errorf("expired invites after inviting again: %v, %v; want none", emails(got), err)
	}

	// An email that got an account meanwhile is not listed.
	mk("added", "added@example.com", now.Add(-8*day), now.Add(-day))
	if _, err := s.CreateUser(ctx, "added@example.com", "", "hash"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ExpiredInvites(ctx, now); err != nil || len(got) != 0 {
		t.Errorf("expired invites with an account: %v, %v; want none", emails(got), err)
	}
}
