package app

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestUserAddedLogged: adding a user by hand (Users → Add) writes one
// INFO line saying who did it, as "invite created" and "user removed" do:
// without it, the log held only "method=POST path=/users status=303".
func TestUserAddedLogged(t *testing.T) {
	logs := &syncBuffer{}
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	e.signIn("alice@team.test")
	bob := e.signIn("bob@team.test")
	e.makeAdmin("bob@team.test") // adding people is an admin's

	bob.get("/users")
	resp, body := bob.post("/users", url.Values{"email": {"it-backup@example.com"}, "password": {"backup-password-1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)

	var lines []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, `msg="user added"`) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("%d lines with msg=\"user added\", want 1:\n%s", len(lines), logs.String())
	}
	for _, w := range []string{"level=INFO", "email=it-backup@example.com", "by=bob@team.test"} {
		if !strings.Contains(lines[0], w) {
			t.Errorf("the line lacks %s: %s", w, lines[0])
		}
	}
	if strings.Contains(logs.String(), "backup-password-1") {
		t.Errorf("the log holds the password:\n%s", logs.String())
	}
}
