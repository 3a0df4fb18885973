package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPasswordChangeLogged: a password changed in Settings writes one
// INFO line, as a user's removal and a token's revocation do: whose, and
// how many API tokens went with it when the form revoked them. Never the
// old or new password.
func TestPasswordChangeLogged(t *testing.T) {
	const next = "a new long passphrase"
	tests := []struct {
		name   string
		revoke bool
		want   []string
		absent []string
	}{
		{"tokens revoked", true, []string{"user=lead@team.test", "tokens_revoked=2"}, nil},
		{"tokens kept", false, []string{"user=lead@team.test"}, []string{"tokens_revoked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
			c := e.signIn("lead@team.test")
			for _, name := range []string{"CI", "Deploy"} {
				if _, err := CreateToken(context.Background(), e.store, "lead@team.test", name); err != nil {
					t.Fatal(err)
				}
			}
			form := url.Values{"current_password": {testPassword}, "password": {next}, "password2": {next}}
			if tt.revoke {
				form.Set("revoke_tokens", "1")
			}
			c.get("/settings")
			resp, body := c.post("/settings/password", form)
			wantStatus(t, resp, http.StatusSeeOther, body)

			out := logs.String()
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, `msg="password changed"`) {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 {
				t.Fatalf("%d lines say the password changed, want 1:\n%s", len(lines), out)
			}
			line := lines[0]
			wantContains(t, line, append([]string{"level=INFO", "request_id="}, tt.want...)...)
			wantNotContains(t, line, tt.absent...)
			wantNotContains(t, out, testPassword, next)
		})
	}
}
