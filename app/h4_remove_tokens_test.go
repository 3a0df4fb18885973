package app

import (
	"context"
	"html"
	"testing"
)

// TestUserRemoveNamesTokens: removing a user revokes their API tokens
// (their CI is refused from then on), so the Remove button's question
// says so beforehand and the message says so afterwards, beside the
// invite links they sent.
func TestUserRemoveNamesTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lead := e.signIn("lead@team.test")
	gina := e.signIn("gina@team.test")
	e.makeAdmin("gina@team.test") // gina invites: an admin's
	e.addUser("ivan@team.test")
	for _, name := range []string{"CI", "Deploy"} {
		if _, err := CreateToken(ctx, e.store, "gina@team.test", name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := CreateToken(ctx, e.store, "ivan@team.test", "CI"); err != nil {
		t.Fatal(err)
	}
	invite(t, gina, "x1@team.test", "")
	e.addUser("bob@team.test")

	_, page := lead.get("/users")
	page = html.UnescapeString(page)
	wantContains(t, page,
		`data-confirm="Remove gina@team.test? They are signed out at once, and their 2 API tokens and the invite link they sent stop working."`,
		`data-confirm="Remove ivan@team.test? They are signed out at once, and their API token stops working."`,
		`data-confirm="Remove bob@team.test? They are signed out at once."`)

	for _, tc := range []struct {
		name, email, want string
	}{
		{"tokens and an invite", "gina@team.test", "gina@team.test was removed and signed out; their 2 API tokens and the invite link they sent no longer work."},
		{"one token", "ivan@team.test", "ivan@team.test was removed and signed out; their API token no longer works."},
		{"nothing else", "bob@team.test", "bob@team.test was removed and signed out."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _, err := e.store.UserByEmail(ctx, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			action := "/users/" + itoa64(u.ID) + "/delete"
			_, page := lead.get("/users")
			body := flashAfter(t, lead, action, h4PageForm(t, page, action))
			wantContains(t, html.UnescapeString(body), tc.want)
		})
	}
}
