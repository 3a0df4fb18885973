package experiments_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/schematest"
)

// TestUserAdders: each account records who added it and how: setup (the
// first account), the command line, a teammate by hand, or a teammate's
// invite (or the command line's). The adder's id holds only while they
// have an account, since ids are given again; their email stays, as it
// was, for the Users page to name.
func TestUserAdders(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.UnixMilli(1_750_000_000_000)
	week := now.Add(7 * 24 * time.Hour)

	first, err := s.CreateUserBy(ctx, "first@example.com", "", "hash", experiments.Adder{Via: experiments.AddedAtSetup})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := s.CreateUser(ctx, "owner@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	backup, err := s.CreateUserBy(ctx, "it-backup@example.com", "", "hash",
		experiments.Adder{Via: experiments.AddedByHand, UserID: owner.ID, Email: owner.Email})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, "hash-ana", "ana@example.com", "", "OWNER@example.com", now, week); err != nil {
		t.Fatal(err)
	}
	ana, err := s.AcceptInvite(ctx, "hash-ana", "Ana", "hash", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, "hash-cli", "cli@example.com", "", "", now, week); err != nil {
		t.Fatal(err)
	}
	cli, err := s.AcceptInvite(ctx, "hash-cli", "", "hash", now)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		by   experiments.Adder
	}{
		{"an id nobody has", experiments.Adder{Via: experiments.AddedByHand, UserID: 999, Email: "ghost@example.com"}},
		{"an id with another email", experiments.Adder{Via: experiments.AddedByHand, UserID: owner.ID, Email: "ghost@example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.CreateUserBy(ctx, "late@example.com", "", "hash", tc.by); !errors.Is(err, experiments.ErrAdderGone) {
				t.Errorf("CreateUserBy: %v, want ErrAdderGone", err)
			}
		})
	}

	wantAdders := func(t *testing.T, want map[int64]experiments.Adder) {
		t.Helper()
		got, err := s.Adders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("user %d: added by %+v, want %+v", id, got[id], w)
			}
		}
	}
	wantAdders(t, map[int64]experiments.Adder{
		first.ID:  {Via: experiments.AddedAtSetup},
		owner.ID:  {Via: experiments.AddedFromCommandLine},
		backup.ID: {Via: experiments.AddedByHand, UserID: owner.ID, Email: "owner@example.com"},
		ana.ID:    {Via: experiments.AddedByInvite, UserID: owner.ID, Email: "OWNER@example.com"},
		cli.ID:    {Via: experiments.AddedByInvite},
	})

	r, err := s.RemoveUser(ctx, owner.ID, owner.Email)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"it-backup@example.com", "ana@example.com"}; !slices.Equal(r.AddedKept, want) {
		t.Errorf("the removal names %q as kept, want %q", r.AddedKept, want)
	}
	wantAdders(t, map[int64]experiments.Adder{
		backup.ID: {Via: experiments.AddedByHand, Email: "owner@example.com"},
		ana.ID:    {Via: experiments.AddedByInvite, Email: "OWNER@example.com"},
	})

	// Someone new with the removed adder's email added nobody.
	again, err := s.CreateUser(ctx, "owner@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.RemoveUser(ctx, again.ID, again.Email); err != nil || len(r.AddedKept) != 0 {
		t.Errorf("removing the newcomer with the old email: kept %q, %v; want none", r.AddedKept, err)
	}
}

// TestUserAddersMigrated: accounts made before migration 0025 have no
// record of who added them (Via ""), and the adder's id, a column added
// to a table that has rows, still lets go of a removed adder.
func TestUserAddersMigrated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "older.db")
	schematest.Older(t, path, 24)
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`insert into users (email, password_hash, created_at) values ('old@example.com', 'hash', 1), ('kept@example.com', 'hash', 2)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := experiments.OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old, _, err := s.UserByEmail(ctx, "old@example.com")
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.CreateUserBy(ctx, "new@example.com", "", "hash", experiments.Adder{Via: experiments.AddedByHand, UserID: old.ID, Email: old.Email})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveUser(ctx, old.ID, old.Email); err != nil {
		t.Fatal(err)
	}
	adders, err := s.Adders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := adders[added.ID], (experiments.Adder{Via: experiments.AddedByHand, Email: "old@example.com"}); got != want {
		t.Errorf("added by %+v, want %+v", got, want)
	}
	kept, _, err := s.UserByEmail(ctx, "kept@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := adders[kept.ID]; !ok || got != (experiments.Adder{}) {
		t.Errorf("an account older than the record: added by %+v (listed %v), want nothing known", got, ok)
	}
}
