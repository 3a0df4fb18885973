package experiments_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"copylab/experiments"
)

// TestDeleteUserCancelsInvites: removing a user deletes every invite they
// made, whatever the case of the email it names them by, and counts the
// ones whose link still worked: not one that had expired, nor one for an
// email that has got an account meanwhile. Another user's invites and the
// command line's stay.
func TestDeleteUserCancelsInvites(t *testing.T) {
	ctx := context.Background()
	s, ann := ownerAndAnn(t)
	now := time.Now()
	week := now.Add(7 * 24 * time.Hour)
	for _, inv := range []struct{ hash, email, by string }{
		{"ann-1", "x1@example.com", "ann@example.com"},
		{"ann-2", "x2@example.com", "ann@example.com"},
		{"ann-case", "x3@example.com", "Ann@Example.com"},
		{"ann-taken", "hal@example.com", "ann@example.com"},
		{"owner-1", "keep@example.com", "owner@example.com"},
		{"cli-1", "cli@example.com", ""},
	} {
		if _, _, err := s.CreateInvite(ctx, inv.hash, inv.email, "", inv.by, now, week); err != nil {
			t.Fatalf("invite %s: %v", inv.hash, err)
		}
	}
	if _, _, err := s.CreateInvite(ctx, "ann-expired", "late@example.com", "", "ann@example.com", now.Add(-8*24*time.Hour), now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// hal got an account by hand after ann's invite: it is not pending.
	if _, err := s.CreateUser(ctx, "hal@example.com", "", "hash"); err != nil {
		t.Fatal(err)
	}

	n, err := s.DeleteUser(ctx, ann.ID)
	if err != nil || n != 3 {
		t.Fatalf("delete ann: cancelled %d, %v; want 3 (two pending, one named in other case)", n, err)
	}
	for _, hash := range []string{"ann-1", "ann-2", "ann-case", "ann-taken"} {
		if inv, err := s.InviteByHash(ctx, hash, now); !errors.Is(err, experiments.ErrNotFound) {
			t.Errorf("ann's invite %s is still there: %+v, %v", hash, inv, err)
		}
	}
	// Deleted, not only expired: it is not found at a time it was valid.
	if _, err := s.InviteByHash(ctx, "ann-expired", now.Add(-2*time.Hour)); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("ann's expired invite is still stored: %v", err)
	}
	for _, hash := range []string{"owner-1", "cli-1"} {
		if _, err := s.InviteByHash(ctx, hash, now); err != nil {
			t.Errorf("invite %s went with ann: %v", hash, err)
		}
	}

	if n, err := s.DeleteUser(ctx, ann.ID); !errors.Is(err, experiments.ErrNotFound) || n != 0 {
		t.Errorf("delete ann again: cancelled %d, %v; want 0, ErrNotFound", n, err)
	}
	// A user who sent none: nothing cancelled, nothing else touched.
	hal, _, err := s.UserByEmail(ctx, "hal@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteUser(ctx, hal.ID); err != nil || n != 0 {
		t.Errorf("delete hal: cancelled %d, %v; want 0", n, err)
	}
	if pending, err := s.Invites(ctx, now); err != nil || len(pending) != 2 {
		t.Errorf("pending after both removals: %+v, %v; want the owner's and the command line's", pending, err)
	}
}

// TestDeleteUserInvitesAllOrNothing: when the user's deletion fails, the
// invites they made are still there: both go in one transaction.
func TestDeleteUserInvitesAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, ann := ownerAndAnn(t)
	now := time.Now()
	if _, _, err := s.CreateInvite(ctx, "ann-1", "x1@example.com", "", "ann@example.com", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A trigger makes the last statement, the user's own deletion, fail.
	db, err := sql.Open("sqlite3", "file:"+s.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `create trigger refuse_user_delete before delete on users begin select raise(abort, 'refused by the test'); end`); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteUser(ctx, ann.ID); err == nil {
		t.Fatalf("delete ann with the trigger: cancelled %d and no error", n)
	}
	if _, err := s.InviteByHash(ctx, "ann-1", now); err != nil {
		t.Errorf("the failed removal deleted ann's invite: %v", err)
	}
	if _, err := s.User(ctx, ann.ID); err != nil {
		t.Errorf("ann after the failed removal: %v", err)
	}
}

// TestDeleteUserVoidsInviteToThem: an invite to someone added by hand
// afterwards goes with their account, uncounted (they did not send it):
// otherwise the removal would make its link work again.
func TestDeleteUserVoidsInviteToThem(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.CreateUser(ctx, "owner@example.com", "", "hash"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, _, err := s.CreateInvite(ctx, "to-ben", "ben@example.com", "", "owner@example.com", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ben, err := s.CreateUser(ctx, "Ben@Example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteUser(ctx, ben.ID); err != nil || n != 0 {
		t.Fatalf("delete ben: cancelled %d, %v; want 0", n, err)
	}
	if inv, err := s.InviteByHash(ctx, "to-ben", now); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the invite to ben works again after his removal: %+v, %v", inv, err)
	}
}

// TestCreateInviteInviterGone: an invite from a user removed while the
// request was on its way is refused and nothing is stored, so no link
// outlives the removal that cancelled the others; the command line's
// invites name nobody and need no account.
func TestCreateInviteInviterGone(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.Now()
	if _, _, err := s.CreateInvite(ctx, "gone", "x@example.com", "", "gone@example.com", now, now.Add(time.Hour)); !errors.Is(err, experiments.ErrInviterGone) {
		t.Fatalf("invite from nobody: %v, want ErrInviterGone", err)
	}
	if _, err := s.InviteByHash(ctx, "gone", now); !errors.Is(err, experiments.ErrNotFound) {
		t.Fatalf("the refused invite was stored: %v", err)
	}
	if _, err := s.CreateUser(ctx, "Ann@Example.com", "", "hash"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, "ann", "x@example.com", "", "ann@example.com", now, now.Add(time.Hour)); err != nil {
		t.Fatalf("invite from Ann, her email in another case: %v", err)
	}
	if _, _, err := s.CreateInvite(ctx, "cli", "y@example.com", "", "", now, now.Add(time.Hour)); err != nil {
		t.Fatalf("invite from the command line: %v", err)
	}
}

// ownerAndAnn opens a store with two users, owner@example.com and
// ann@example.com, and returns Ann, the one the tests remove.
func ownerAndAnn(t *testing.T) (*experiments.Store, experiments.User) {
	t.Helper()
	s := openStore(t)
	for _, email := range []string{"owner@example.com", "ann@example.com"} {
		if _, err := s.CreateUser(context.Background(), email, "", "hash"); err != nil {
			t.Fatal(err)
		}
	}
	ann, _, err := s.UserByEmail(context.Background(), "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return s, ann
}
