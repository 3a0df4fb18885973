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

// TestRolesUpgrade: every account made before migration 0029 could manage
// people, so each becomes an admin; nobody loses a power they had. An
// invite pending at the upgrade makes a member. Accounts made afterwards
// are members unless the adder picks otherwise.
func TestRolesUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "older.db")
	schematest.Older(t, path, 28)
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`insert into users (email, password_hash, created_at) values ('owner@example.com', 'hash', 1), ('bob@example.com', 'hash', 2)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`insert into invites (token_hash, email, invited_by, created_at, expires_at) values ('hash-ann', 'ann@example.com', 'owner@example.com', 1, 32503680000000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := experiments.OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roles, err := s.Roles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"owner@example.com", "bob@example.com"} {
		u, _, err := s.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if roles[u.ID] != experiments.RoleAdmin {
			t.Errorf("%s after the upgrade: %q, want admin", email, roles[u.ID])
		}
	}
	admins, err := s.AdminEmails(ctx)
	if err != nil || !slices.Equal(admins, []string{"owner@example.com", "bob@example.com"}) {
		t.Errorf("AdminEmails: %q, %v", admins, err)
	}
	ann, err := s.AcceptInvite(ctx, "hash-ann", "", "hash", time.UnixMilli(2))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.UserRole(ctx, ann.ID); err != nil || r != experiments.RoleMember {
		t.Errorf("an invite pending at the upgrade made %q, %v; want member", r, err)
	}
	late, err := s.CreateUser(ctx, "late@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.UserRole(ctx, late.ID); err != nil || r != experiments.RoleMember {
		t.Errorf("an account added after the upgrade: %q, %v; want member", r, err)
	}
}

// TestRolesNewAccounts: a workspace's first account is an admin; later
// ones get the role picked, a member by default, by hand or by invite.
func TestRolesNewAccounts(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.UnixMilli(1_750_000_000_000)
	week := now.Add(7 * 24 * time.Hour)
	first, err := s.CreateUserBy(ctx, "first@example.com", "", "hash", experiments.Adder{Via: experiments.AddedAtSetup})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := s.CreateUserBy(ctx, "plain@example.com", "", "hash", experiments.Adder{Via: experiments.AddedByHand, UserID: first.ID, Email: first.Email})
	if err != nil {
		t.Fatal(err)
	}
	picked, err := s.CreateUserBy(ctx, "picked@example.com", "", "hash",
		experiments.Adder{Via: experiments.AddedByHand, UserID: first.ID, Email: first.Email, Role: experiments.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUserBy(ctx, "odd@example.com", "", "hash", experiments.Adder{Via: experiments.AddedByHand, Role: "owner"}); err == nil {
		t.Error("an unknown role was accepted")
	}
	inv, _, err := s.CreateInviteAs(ctx, "hash-a", "invited-admin@example.com", "", first.Email, experiments.RoleAdmin, now, week)
	if err != nil || inv.Role != experiments.RoleAdmin {
		t.Fatalf("CreateInviteAs: %+v, %v", inv, err)
	}
	if _, _, err := s.CreateInvite(ctx, "hash-m", "invited@example.com", "", first.Email, now, week); err != nil {
		t.Fatal(err)
	}
	pending, err := s.Invites(ctx, now)
	if err != nil || len(pending) != 2 || pending[0].Role != experiments.RoleMember || pending[1].Role != experiments.RoleAdmin {
		t.Errorf("Invites: %+v, %v; want the member invite, then the admin one", pending, err)
	}
	invAdmin, err := s.AcceptInvite(ctx, "hash-a", "", "hash", now)
	if err != nil {
		t.Fatal(err)
	}
	invMember, err := s.AcceptInvite(ctx, "hash-m", "", "hash", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   int64
		want experiments.Role
	}{
		{"first account", first.ID, experiments.RoleAdmin},
		{"added, no role picked", plain.ID, experiments.RoleMember},
		{"added as admin", picked.ID, experiments.RoleAdmin},
		{"invited as admin", invAdmin.ID, experiments.RoleAdmin},
		{"invited as member", invMember.ID, experiments.RoleMember},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := s.UserRole(ctx, tc.id); err != nil || got != tc.want {
				t.Errorf("role %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestRolesLastAdmin: the only admin can be neither demoted nor removed;
// with two, either can go. A demotion cancels the invites they sent.
func TestRolesLastAdmin(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	now := time.Now()
	owner, err := s.CreateUserBy(ctx, "owner@example.com", "", "hash", experiments.Adder{Via: experiments.AddedAtSetup})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateUser(ctx, "bob@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRole(ctx, owner.ID, owner.Email, experiments.RoleMember); !errors.Is(err, experiments.ErrLastAdmin) {
		t.Errorf("demoting the only admin: %v, want ErrLastAdmin", err)
	}
	if _, err := s.RemoveUser(ctx, owner.ID, owner.Email); !errors.Is(err, experiments.ErrLastAdmin) {
		t.Errorf("removing the only admin: %v, want ErrLastAdmin", err)
	}
	if _, err := s.SetRole(ctx, bob.ID, "someone-else@example.com", experiments.RoleAdmin); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("a role change naming another email: %v, want ErrNotFound", err)
	}
	if _, err := s.SetRole(ctx, bob.ID, bob.Email, "owner"); err == nil {
		t.Error("an unknown role was accepted")
	}
	r, err := s.SetRole(ctx, bob.ID, bob.Email, experiments.RoleAdmin)
	if err != nil || r.From != experiments.RoleMember {
		t.Fatalf("promoting bob: %+v, %v", r, err)
	}
	if _, _, err := s.CreateInviteAs(ctx, "hash-x", "x@example.com", "", "BOB@example.com", experiments.RoleAdmin, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, err = s.SetRole(ctx, bob.ID, bob.Email, experiments.RoleMember)
	if err != nil || r.From != experiments.RoleAdmin || r.InvitesCancelled != 1 {
		t.Fatalf("demoting bob: %+v, %v; want from admin, 1 invite cancelled", r, err)
	}
	if _, err := s.InviteByHash(ctx, "hash-x", now); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the demoted admin's invite still works: %v", err)
	}
	if r, err := s.SetRole(ctx, bob.ID, bob.Email, experiments.RoleMember); err != nil || r.From != experiments.RoleMember {
		t.Errorf("demoting a member again: %+v, %v; want nothing changed", r, err)
	}
	if _, err := s.SetRole(ctx, bob.ID, bob.Email, experiments.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRole(ctx, owner.ID, owner.Email, experiments.RoleMember); err != nil {
		t.Errorf("demoting one of two admins: %v", err)
	}
	if _, err := s.RemoveUser(ctx, bob.ID, bob.Email); !errors.Is(err, experiments.ErrLastAdmin) {
		t.Errorf("removing the only admin left: %v, want ErrLastAdmin", err)
	}
	if _, err := s.RemoveUser(ctx, owner.ID, owner.Email); err != nil {
		t.Errorf("removing a member: %v", err)
	}
}
