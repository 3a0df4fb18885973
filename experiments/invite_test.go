package experiments_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
)

// TestInviteLifecycle: an invite is found by its hash until it expires,
// listed while pending, replaced by a second invite for the same email
// (whose old hash then finds nothing), used up by accepting it, and
// refused for an email that has an account.
func TestInviteLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.UnixMilli(1_750_000_000_000)
	week := now.Add(7 * 24 * time.Hour)
	if _, err := s.CreateUser(ctx, "owner@example.com", "", "hash"); err != nil {
		t.Fatal(err)
	}

	first, replaced, err := s.CreateInvite(ctx, "hash-1", "Ana@Example.com", " Ana ", "owner@example.com", now, week)
	if err != nil || replaced {
		t.Fatalf("first invite: replaced %v, %v", replaced, err)
	}
	if got, err := s.InviteByHash(ctx, "hash-1", now); err != nil || got.ID != first.ID || got.Name != "Ana" || got.InvitedBy != "owner@example.com" || !got.ExpiresAt.Equal(week) {
		t.Fatalf("by hash: %+v, %v", got, err)
	}
	if _, err := s.InviteByHash(ctx, "hash-1", week); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("at its expiry: %v, want ErrNotFound", err)
	}

	second, replaced, err := s.CreateInvite(ctx, "hash-2", "ana@example.com", "", "", now.Add(time.Hour), week.Add(time.Hour))
	if err != nil || !replaced {
		t.Fatalf("second invite for the same email (another case): replaced %v, %v; want replaced", replaced, err)
	}
	if _, err := s.InviteByHash(ctx, "hash-1", now.Add(time.Hour)); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the replaced link: %v, want ErrNotFound", err)
	}
	pending, err := s.Invites(ctx, now.Add(time.Hour))
	if err != nil || len(pending) != 1 || pending[0].ID != second.ID || second.ID == first.ID {
		t.Fatalf("pending: %+v, %v; want the second invite alone, with an id of its own", pending, err)
	}

	u, err := s.AcceptInvite(ctx, "hash-2", "Ana B", "bcrypt-hash", now.Add(2*time.Hour))
	if err != nil || u.ID == 0 || u.Email != "ana@example.com" || u.Name != "Ana B" {
		t.Fatalf("accept: %+v, %v", u, err)
	}
	if _, err := s.AcceptInvite(ctx, "hash-2", "Ana B", "bcrypt-hash", now.Add(2*time.Hour)); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("accept twice: %v, want ErrNotFound", err)
	}
	if pending, err := s.Invites(ctx, now.Add(2*time.Hour)); err != nil || len(pending) != 0 {
		t.Errorf("pending after acceptance: %+v, %v; want none", pending, err)
	}
	if _, _, err := s.CreateInvite(ctx, "hash-3", "ANA@example.com", "", "", now, week); !errors.Is(err, experiments.ErrConflict) {
		t.Errorf("invite an email with an account: %v, want ErrConflict", err)
	}
}

// TestInviteExpiredDeleted: expired invites are not listed as pending,
// and a week after they expired (ExpiredInviteKept) the next invite
// deletes them, as does DeleteExpiredInvites.
func TestInviteExpiredDeleted(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.UnixMilli(1_750_000_000_000)
	if _, _, err := s.CreateInvite(ctx, "old", "old@example.com", "", "", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, "older", "older@example.com", "", "", now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	later := now.Add(2 * time.Hour)
	if pending, err := s.Invites(ctx, later); err != nil || len(pending) != 0 {
		t.Fatalf("expired invites listed: %+v, %v", pending, err)
	}
	kept := experiments.ExpiredInviteKept
	if n, err := s.DeleteExpiredInvites(ctx, now.Add(30*time.Minute+kept)); err != nil || n != 1 {
		t.Fatalf("delete expired at a week +30 min: %d, %v; want 1", n, err)
	}
	// The remaining one, expired a week before, goes with the next invite:
	// it was not replaced (another email), and no revoke can reach it
	// afterwards.
	if _, replaced, err := s.CreateInvite(ctx, "new", "new@example.com", "", "", later.Add(kept), later.Add(kept+time.Hour)); err != nil || replaced {
		t.Fatalf("new invite: replaced %v, %v", replaced, err)
	}
	if n, err := s.DeleteExpiredInvites(ctx, later.Add(kept)); err != nil || n != 0 {
		t.Errorf("expired invites left after the next invite: %d, %v", n, err)
	}
	// An expired invite for the same email is not "replaced": its link had
	// stopped working already.
	if _, replaced, err := s.CreateInvite(ctx, "new2", "new@example.com", "", "", later.Add(kept+2*time.Hour), later.Add(kept+3*time.Hour)); err != nil || replaced {
		t.Errorf("re-invite after expiry: replaced %v, %v; want not replaced", replaced, err)
	}
}

// TestInviteAcceptConcurrent: many acceptances of one link at once make
// one account; every other finds no invite.
func TestInviteAcceptConcurrent(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.Now()
	if _, _, err := s.CreateInvite(ctx, "race", "race@example.com", "", "", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.AcceptInvite(ctx, "race", "", "bcrypt-hash", now)
		}()
	}
	wg.Wait()
	made := 0
	for _, err := range errs {
		switch {
		case err == nil:
			made++
		case !errors.Is(err, experiments.ErrNotFound):
			t.Errorf("accept: %v, want nil or ErrNotFound", err)
		}
	}
	if users, err := s.Users(ctx); err != nil || made != 1 || len(users) != 1 {
		t.Errorf("%d acceptances succeeded, %d users (%v); want one of each", made, len(users), err)
	}
}

// TestInviteAcceptTakenEmail: when the email got an account after the
// invite was sent, accepting it is ErrConflict and uses the link up.
func TestInviteAcceptTakenEmail(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.Now()
	if _, _, err := s.CreateInvite(ctx, "h", "bo@example.com", "", "", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "bo@example.com", "", "x"); err != nil {
		t.Fatal(err)
	}
	if pending, err := s.Invites(ctx, now); err != nil || len(pending) != 0 {
		t.Errorf("an invite for an email with an account is listed: %+v, %v", pending, err)
	}
	if _, err := s.AcceptInvite(ctx, "h", "", "y", now); !errors.Is(err, experiments.ErrConflict) {
		t.Fatalf("accept: %v, want ErrConflict", err)
	}
	if _, err := s.InviteByHash(ctx, "h", now); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the link after the conflict: %v, want ErrNotFound", err)
	}
}

// TestInviteRevoke: a revoked invite's link finds nothing; revoking it
// again is ErrNotFound.
func TestInviteRevoke(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.Now()
	inv, _, err := s.CreateInvite(ctx, "h", "cy@example.com", "", "", now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.DeleteInvite(ctx, inv.ID); err != nil || got.Email != "cy@example.com" {
		t.Fatalf("revoke: %+v, %v", got, err)
	}
	if _, err := s.InviteByHash(ctx, "h", now); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("revoked link: %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteInvite(ctx, inv.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("revoke twice: %v, want ErrNotFound", err)
	}
}
