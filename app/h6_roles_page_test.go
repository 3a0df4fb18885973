package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"copylab/experiments"
)

// peopleControls are the forms that manage people on the Users page.
var peopleControls = []string{`action="/users"`, `action="/users/invites"`, `/delete"`, `/role"`, `name="invite_role"`, `name="role"`}

// TestH6UsersPageByRole: everyone sees the team with each person's role;
// only an admin gets the controls that manage people, and a member is
// told whom to ask. A demotion shows on the demoted person's next page.
func TestH6UsersPageByRole(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	bob := e.signIn("bob@example.com")
	bobUser, _, _ := e.store.UserByEmail(ctx, "bob@example.com")
	ownerUser, _, _ := e.store.UserByEmail(ctx, "owner@example.com")
	invite(t, owner, "ann@example.com", "")
	row := func(email, role string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(email) + `.{0,200}?data-label="Role">` + role + `<`)
	}

	resp, body := bob.get("/users")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, ">Role<", "Only an admin can add, invite or remove people: ask owner@example.com.")
	wantNotContains(t, body, peopleControls...)
	wantNotContains(t, body, "ann@example.com") // pending invites are an admin's list
	for email, role := range map[string]string{"owner@example.com": "Admin", "bob@example.com": "Member"} {
		if !row(email, role).MatchString(body) {
			t.Errorf("the member's page does not show %s as %s", email, role)
		}
	}

	_, body = owner.get("/users")
	wantNotContains(t, body, "Only an admin can")
	wantContains(t, body, `action="/users"`, `action="/users/invites"`, `name="invite_role"`, `name="role"`,
		`action="/users/`+itoa64(bobUser.ID)+`/role"`, `action="/users/`+itoa64(bobUser.ID)+`/delete"`,
		"Make admin", "ann@example.com")
	// The only admin cannot become a member (TestH9OnlyAdminNoMakeMember).
	wantNotContains(t, body, `action="/users/`+itoa64(ownerUser.ID)+`/role"`, "Make member")
	if !row("ann@example.com", "Member").MatchString(body) {
		t.Error("the pending invite does not say its role")
	}

	// Bob is made an admin: his next page has the controls; made a
	// member again, they are gone.
	if _, err := e.store.SetRole(ctx, bobUser.ID, bobUser.Email, experiments.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	_, body = bob.get("/users")
	wantContains(t, body, `action="/users"`, `action="/users/invites"`)
	if _, err := e.store.SetRole(ctx, bobUser.ID, bobUser.Email, experiments.RoleMember); err != nil {
		t.Fatal(err)
	}
	_, body = bob.get("/users")
	wantNotContains(t, body, peopleControls...)
}

// TestH6InviteSaysRole: the link just made, and the invitee's page, say
// the role the account gets; the account gets it.
func TestH6InviteSaysRole(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	owner.get("/users")
	resp, body := owner.post("/users/invites", url.Values{"invite_email": {"ada@example.com"}, "invite_role": {"admin"}})
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "to create their account, as an admin.")
	m := inviteLinkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link: %s", body)
	}
	c := e.client()
	_, page := c.get("/invite/" + m[1])
	wantContains(t, page, "owner@example.com invited you, as an admin.")
	if _, resp, body := accept(e, m[1], "Ada", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d: %s", resp.StatusCode, body)
	}
	if got := e.roleOf("ada@example.com"); got != experiments.RoleAdmin {
		t.Errorf("ada: %q, want admin", got)
	}

	_, body = invite(t, owner, "max@example.com", "")
	wantContains(t, body, "to create their account, as a member.")
}
