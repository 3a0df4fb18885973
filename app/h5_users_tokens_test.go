package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"testing"
)

// TestUsersPagesNameTokens: every answer that draws the Users page (the
// list, a user added, an invite made or refused) has Remove buttons whose
// question names the user's API tokens, which the removal revokes.
func TestUsersPagesNameTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lead := e.signIn("lead@team.test")
	e.addUser("gina@team.test")
	for _, name := range []string{"CI", "Deploy"} {
		if _, err := CreateToken(ctx, e.store, "gina@team.test", name); err != nil {
			t.Fatal(err)
		}
	}
	const want = `data-confirm="Remove gina@team.test? They are signed out at once, and their 2 API tokens stop working."`

	tests := []struct {
		name, path string
		form       url.Values
		status     int
	}{
		{"invite made", "/users/invites", url.Values{"invite_email": {"new@team.test"}}, http.StatusOK},
		{"invite refused", "/users/invites", url.Values{"invite_email": {"not an email"}}, http.StatusUnprocessableEntity},
		{"user added", "/users", url.Values{"email": {"cat@team.test"}}, http.StatusOK},
		{"user refused", "/users", url.Values{"email": {"not an email"}}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lead.get("/users")
			resp, body := lead.post(tt.path, tt.form)
			wantStatus(t, resp, tt.status, body)
			wantContains(t, html.UnescapeString(body), html.UnescapeString(want))
		})
	}
}
