package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// makeAdmin makes the user with that email an admin, as another admin
// would on the Users page. A test's second account (env.signIn, as
// copylab user add makes it) is a member; tests in which it manages
// people make it an admin first.
func (e *env) makeAdmin(email string) {
	e.t.Helper()
	ctx := context.Background()
	u, _, err := e.store.UserByEmail(ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.SetRole(ctx, u.ID, u.Email, experiments.RoleAdmin); err != nil {
		e.t.Fatal(err)
	}
}

// usersFlash checks a form's answer: back to the Users page, whose flash
// has the words (why it was refused, or what it did).
func usersFlash(t *testing.T, c *client, resp *http.Response, body string, words ...string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users" {
		t.Fatalf("status %d, Location %q, want 303 to /users: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, page := c.get("/users")
	wantContains(t, page, words...)
}

// roleOf is the stored role of the user with that email.
func (e *env) roleOf(email string) experiments.Role {
	e.t.Helper()
	ctx := context.Background()
	u, _, err := e.store.UserByEmail(ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := e.store.UserRole(ctx, u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// TestH6MemberCannotManagePeople: the review's attack. A member adds an
// account with a password they chose, invites someone, revokes the
// owner's invite, removes the owner, makes themselves an admin: each form
// is refused with a sentence that names the admin to ask, and nothing
// changes.
func TestH6MemberCannotManagePeople(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	bob := e.signIn("bob@example.com")
	ownerUser, _, _ := e.store.UserByEmail(ctx, "owner@example.com")
	bobUser, _, _ := e.store.UserByEmail(ctx, "bob@example.com")
	// A pending invite of the owner's, for bob to try to revoke.
	if resp, body := owner.post("/users/invites", url.Values{"invite_email": {"ann@example.com"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("owner's invite: %d: %s", resp.StatusCode, body)
	}
	invites, err := e.store.Invites(ctx, time.Now())
	if err != nil || len(invites) != 1 {
		t.Fatalf("invites: %+v, %v", invites, err)
	}
	bob.get("/users")

	for _, tc := range []struct {
		name string
		path string
		form url.Values
		what string
	}{
		{"add", "/users", url.Values{"email": {"mallory@example.com"}, "password": {"bob-chose-this-one"}, "role": {"admin"}}, "add people"},
		{"invite", "/users/invites", url.Values{"invite_email": {"eve@example.com"}, "invite_role": {"admin"}}, "invite people"},
		{"revoke", "/users/invites/" + itoa64(invites[0].ID) + "/delete", url.Values{"email": {"ann@example.com"}}, "revoke invites"},
		{"remove", "/users/" + itoa64(ownerUser.ID) + "/delete", url.Values{"email": {"owner@example.com"}}, "remove people"},
		{"promote self", "/users/" + itoa64(bobUser.ID) + "/role", url.Values{"email": {"bob@example.com"}, "role": {"admin"}}, "change roles"},
		{"demote owner", "/users/" + itoa64(ownerUser.ID) + "/role", url.Values{"email": {"owner@example.com"}, "role": {"member"}}, "change roles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := bob.post(tc.path, tc.form)
			usersFlash(t, bob, resp, body, "Only an admin can "+tc.what+". Ask owner@example.com.")
		})
	}

	users, err := e.store.Users(ctx)
	if err != nil || len(users) != 2 {
		t.Errorf("users after the member's tries: %+v, %v; want the owner and bob only", users, err)
	}
	if got := e.roleOf("owner@example.com"); got != experiments.RoleAdmin {
		t.Errorf("owner: %q, want admin", got)
	}
	if got := e.roleOf("bob@example.com"); got != experiments.RoleMember {
		t.Errorf("bob: %q, want member", got)
	}
	if now, err := e.store.Invites(ctx, time.Now()); err != nil || len(now) != 1 || now[0].Email != "ann@example.com" {
		t.Errorf("invites after the member's tries: %+v, %v; want ann's alone", now, err)
	}
	// The owner is still signed in.
	if resp, _ := owner.get("/users"); resp.StatusCode != http.StatusOK {
		t.Errorf("the owner's session: %d", resp.StatusCode)
	}
}

// TestH6AdminManagesPeople: an admin adds an admin and a member, invites
// with a role, revokes an invite, changes roles and removes an account.
func TestH6AdminManagesPeople(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")

	resp, body := owner.post("/users", url.Values{"email": {"ada@example.com"}, "password": {testPassword}, "role": {"admin"}})
	usersFlash(t, owner, resp, body, "ada@example.com can now sign in, as an admin, with the password you chose.")
	resp, body = owner.post("/users", url.Values{"email": {"max@example.com"}, "password": {testPassword}})
	usersFlash(t, owner, resp, body, "max@example.com can now sign in, as a member, with the password you chose.")
	if got := e.roleOf("ada@example.com"); got != experiments.RoleAdmin {
		t.Errorf("ada: %q, want admin", got)
	}
	if got := e.roleOf("max@example.com"); got != experiments.RoleMember {
		t.Errorf("max (no role picked): %q, want member", got)
	}
	if resp, body := owner.post("/users", url.Values{"email": {"odd@example.com"}, "password": {testPassword}, "role": {"owner"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown role: %d, want 422: %s", resp.StatusCode, body)
	}

	if resp, body := owner.post("/users/invites", url.Values{"invite_email": {"ivy@example.com"}, "invite_role": {"admin"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("invite: %d: %s", resp.StatusCode, body)
	}
	if resp, body := owner.post("/users/invites", url.Values{"invite_email": {"joe@example.com"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("invite: %d: %s", resp.StatusCode, body)
	}
	invites, err := e.store.Invites(ctx, time.Now())
	if err != nil || len(invites) != 2 {
		t.Fatalf("invites: %+v, %v", invites, err)
	}
	roles := map[string]experiments.Role{}
	for _, inv := range invites {
		roles[inv.Email] = inv.Role
	}
	if roles["ivy@example.com"] != experiments.RoleAdmin || roles["joe@example.com"] != experiments.RoleMember {
		t.Errorf("invite roles: %v; want ivy admin, joe member", roles)
	}
	resp, body = owner.post("/users/invites/"+itoa64(invites[0].ID)+"/delete", url.Values{"email": {invites[0].Email}})
	usersFlash(t, owner, resp, body, "is revoked")

	max, _, _ := e.store.UserByEmail(ctx, "max@example.com")
	resp, body = owner.post("/users/"+itoa64(max.ID)+"/role", url.Values{"email": {"max@example.com"}, "role": {"admin"}})
	usersFlash(t, owner, resp, body, "max@example.com is now an admin")
	if got := e.roleOf("max@example.com"); got != experiments.RoleAdmin {
		t.Errorf("max after the promotion: %q", got)
	}
	resp, body = owner.post("/users/"+itoa64(max.ID)+"/role", url.Values{"email": {"max@example.com"}, "role": {"member"}})
	usersFlash(t, owner, resp, body, "max@example.com is now a member")
	resp, body = owner.post("/users/"+itoa64(max.ID)+"/delete", url.Values{"email": {"max@example.com"}})
	usersFlash(t, owner, resp, body, "max@example.com was removed")
	if _, _, err := e.store.UserByEmail(ctx, "max@example.com"); err == nil {
		t.Error("max is still there")
	}
}

// TestH6LastAdmin: the only admin can neither become a member nor be
// removed; with another admin, they can step down, and their very next
// request (the same session) has a member's rights. A demoted admin's
// other browser is refused too.
func TestH6LastAdmin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	ownerUser, _, _ := e.store.UserByEmail(ctx, "owner@example.com")

	resp, body := owner.post("/users/"+itoa64(ownerUser.ID)+"/role", url.Values{"email": {"owner@example.com"}, "role": {"member"}})
	usersFlash(t, owner, resp, body, "You are the only admin, so you stay one: make someone else an admin first.")
	if got := e.roleOf("owner@example.com"); got != experiments.RoleAdmin {
		t.Fatalf("the only admin became %q", got)
	}

	ada := e.signIn("ada@example.com")
	e.makeAdmin("ada@example.com")
	adaUser, _, _ := e.store.UserByEmail(ctx, "ada@example.com")
	// Ada, an admin, in a second browser too.
	ada2 := e.client()
	ada2.get("/login")
	ada2.post("/login", url.Values{"email": {"ada@example.com"}, "password": {testPassword}})
	ada2.get("/users")

	resp, body = owner.post("/users/"+itoa64(ownerUser.ID)+"/role", url.Values{"email": {"owner@example.com"}, "role": {"member"}})
	usersFlash(t, owner, resp, body, "You are now a member")
	if got := e.roleOf("owner@example.com"); got != experiments.RoleMember {
		t.Fatalf("the owner stepping down: %q, want member", got)
	}
	// The next request of the same session has a member's rights.
	resp, body = owner.post("/users", url.Values{"email": {"late@example.com"}, "password": {testPassword}})
	usersFlash(t, owner, resp, body, "Only an admin can add people. Ask ada@example.com.")

	// Ada is the only admin now: she cannot be removed (a race the
	// store settles; here a stale page of the owner's would be refused
	// first), nor step down.
	resp, body = ada.post("/users/"+itoa64(adaUser.ID)+"/role", url.Values{"email": {"ada@example.com"}, "role": {"member"}})
	usersFlash(t, ada, resp, body, "You are the only admin, so you stay one")
	if _, err := e.store.RemoveUser(ctx, adaUser.ID, adaUser.Email); err == nil || !strings.Contains(err.Error(), "only admin") {
		t.Errorf("removing the only admin: %v", err)
	}

	// Ada makes the owner an admin again, then the owner demotes Ada:
	// her other browser is refused on its next request.
	resp, body = ada.post("/users/"+itoa64(ownerUser.ID)+"/role", url.Values{"email": {"owner@example.com"}, "role": {"admin"}})
	usersFlash(t, ada, resp, body, "owner@example.com is now an admin")
	owner.get("/users")
	resp, body = owner.post("/users/"+itoa64(adaUser.ID)+"/role", url.Values{"email": {"ada@example.com"}, "role": {"member"}})
	usersFlash(t, owner, resp, body, "ada@example.com is now a member")
	resp, body = ada2.post("/users/invites", url.Values{"invite_email": {"eve@example.com"}})
	usersFlash(t, ada2, resp, body, "Only an admin can invite people. Ask owner@example.com.")
}
