package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// peopleState is what the admin-only writes change, as one string to
// compare: every account with its role, and the pending invites.
func peopleState(t *testing.T, s *experiments.Store, now time.Time) string {
	t.Helper()
	ctx := context.Background()
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := s.Roles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range users {
		out = append(out, fmt.Sprintf("%d %s %s", u.ID, u.Email, roles[u.ID]))
	}
	invites, err := s.Invites(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invites {
		out = append(out, fmt.Sprintf("invite %d %s %s by %s", inv.ID, inv.Email, inv.Role, inv.InvitedBy))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestH4AdminWritesCheckTheRole: each admin-only write of the store
// (add, invite, revoke an invite, remove, change a role), asked for by
// someone who is not an admin when it runs, is ErrNotAdmin and changes
// nothing: a member, an admin demoted after the app let their request
// through, and an admin's id with another's email (ids are given again).
// The same writes asked for by an admin go through.
func TestH4AdminWritesCheckTheRole(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	week := now.Add(7 * 24 * time.Hour)

	type people struct {
		s                    *experiments.Store
		owner, ann, bob, tom experiments.User
		invite               experiments.Invite
	}
	setup := func(t *testing.T) people {
		t.Helper()
		p := people{s: openStore(t)}
		// The first account is an admin, the others members.
		for _, u := range []struct {
			to    *experiments.User
			email string
		}{{&p.owner, "owner@example.com"}, {&p.ann, "ann@example.com"}, {&p.bob, "bob@example.com"}, {&p.tom, "tom@example.com"}} {
			var err error
			if *u.to, err = p.s.CreateUser(ctx, u.email, "", "hash"); err != nil {
				t.Fatal(err)
			}
		}
		// ann was an admin, and is a member now: demoted by the owner
		// while her request was on its way.
		if _, err := p.s.SetRole(ctx, p.ann.ID, p.ann.Email, experiments.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if _, err := p.s.SetRole(ctx, p.ann.ID, p.ann.Email, experiments.RoleMember); err != nil {
			t.Fatal(err)
		}
		var err error
		if p.invite, _, err = p.s.CreateInviteAs(ctx, "hash-ivy", "ivy@example.com", "", p.owner.Email, experiments.RoleMember, now, week); err != nil {
			t.Fatal(err)
		}
		return p
	}
	asAdmin := func(u experiments.User) experiments.Admin { return experiments.Admin{UserID: u.ID, Email: u.Email} }

	writes := []struct {
		name string
		do   func(p people, by experiments.Admin) error
	}{
		{"add", func(p people, by experiments.Admin) error {
			_, err := p.s.CreateUserByAdmin(ctx, "new@example.com", "", "hash",
				experiments.Adder{Via: experiments.AddedByHand, UserID: by.UserID, Email: by.Email, Role: experiments.RoleAdmin})
			return err
		}},
		{"invite", func(p people, by experiments.Admin) error {
			_, _, err := p.s.CreateInviteByAdmin(ctx, "hash-new", "new@example.com", "", by, experiments.RoleAdmin, now, week)
			return err
		}},
		{"revoke", func(p people, by experiments.Admin) error {
			_, err := p.s.DeleteInviteByAdmin(ctx, p.invite.ID, by)
			return err
		}},
		{"remove", func(p people, by experiments.Admin) error {
			_, err := p.s.RemoveUserByAdmin(ctx, p.tom.ID, p.tom.Email, by)
			return err
		}},
		{"promote", func(p people, by experiments.Admin) error {
			_, err := p.s.SetRoleByAdmin(ctx, p.tom.ID, p.tom.Email, experiments.RoleAdmin, by)
			return err
		}},
	}
	actors := []struct {
		name string
		by   func(p people) experiments.Admin
	}{
		{"member", func(p people) experiments.Admin { return asAdmin(p.bob) }},
		{"demoted", func(p people) experiments.Admin { return asAdmin(p.ann) }},
		{"admin's id, member's email", func(p people) experiments.Admin {
			return experiments.Admin{UserID: p.owner.ID, Email: p.bob.Email}
		}},
	}
	for _, w := range writes {
		for _, a := range actors {
			t.Run(w.name+" by "+a.name, func(t *testing.T) {
				p := setup(t)
				before := peopleState(t, p.s, now)
				want := experiments.ErrNotAdmin
				if w.name == "add" && a.name == "admin's id, member's email" {
					// An adder is named by both already: no such account.
					want = experiments.ErrAdderGone
				}
				if err := w.do(p, a.by(p)); !errors.Is(err, want) {
					t.Errorf("err %v, want %v", err, want)
				}
				if after := peopleState(t, p.s, now); after != before {
					t.Errorf("changed:\n%s\nwas:\n%s", after, before)
				}
			})
		}
		t.Run(w.name+" by an admin", func(t *testing.T) {
			p := setup(t)
			before := peopleState(t, p.s, now)
			if err := w.do(p, asAdmin(p.owner)); err != nil {
				t.Fatal(err)
			}
			if after := peopleState(t, p.s, now); after == before {
				t.Error("nothing changed")
			}
		})
	}
}
