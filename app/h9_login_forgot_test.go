package app

import (
	"testing"
)

// TestLoginForgotFirstPage: the sign-in form says how to get a new
// password before anyone has failed (there is no reset by email), in one
// quiet line; with no account yet there is nothing to forget.
func TestLoginForgotFirstPage(t *testing.T) {
	tests := []struct {
		name  string
		users bool
		want  bool
	}{
		{name: "an account exists", users: true, want: true},
		{name: "no account yet", users: false, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.users {
				e.addUser("ann@example.com")
			}
			_, body := e.client().get("/login")
			lines := []string{`<p class="help">Forgot your password?`, "copylab user password --email YOU"}
			if tt.want {
				wantContains(t, body, lines...)
			} else {
				wantNotContains(t, body, lines...)
			}
		})
	}
}
