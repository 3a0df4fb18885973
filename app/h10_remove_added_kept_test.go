package app

import (
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRemoveNamesAccountsAdded: removing a member leaves the accounts
// they added (by hand, or through their invite links) in place, since
// they may be real teammates; so the removal's message and log line name
// them, and they still sign in. The reviewer's case: Bob added
// it-backup@example.com, Alice removed Bob, nobody was told.
func TestRemoveNamesAccountsAdded(t *testing.T) {
	logs := &syncBuffer{}
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	alice := e.signIn("alice@team.test")
	bob := e.signIn("bob@team.test")
	gina := e.signIn("gina@team.test")
	e.makeAdmin("bob@team.test") // bob and gina add people: an admin's
	e.makeAdmin("gina@team.test")

	bob.get("/users")
	resp, body := bob.post("/users", url.Values{"email": {"it-backup@example.com"}, "password": {"backup-password-1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	token, _ := invite(t, bob, "carol@example.com", "")
	if _, resp, body := accept(e, token, "Carol", "carol-password-1"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept bob's invite: status %d: %s", resp.StatusCode, body)
	}
	gina.get("/users")
	resp, body = gina.post("/users", url.Values{"email": {"ivan@example.com"}, "password": {"ivan-password-1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)

	for _, tc := range []struct {
		name, email, flash, log string
	}{
		{"two accounts", "bob@team.test",
			"bob@team.test was removed and signed out. They added 2 accounts that stay: it-backup@example.com, carol@example.com. Remove those too if they should go.",
			"added_kept=it-backup@example.com,carol@example.com"},
		{"one account", "gina@team.test",
			"gina@team.test was removed and signed out. They added an account that stays: ivan@example.com. Remove it too if it should go.",
			"added_kept=ivan@example.com"},
		{"none", "carol@example.com", "carol@example.com was removed and signed out.", "added_kept=\"\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _, err := e.store.UserByEmail(t.Context(), tc.email)
			if err != nil {
				t.Fatal(err)
			}
			action := "/users/" + itoa64(u.ID) + "/delete"
			_, page := alice.get("/users")
			body := html.UnescapeString(flashAfter(t, alice, action, h4PageForm(t, page, action)))
			if !strings.Contains(body, tc.flash) {
				t.Errorf("the flash lacks %q", tc.flash)
			}
			line := ""
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `msg="user removed"`) && strings.Contains(l, "email="+tc.email) {
					line = l
				}
			}
			if !strings.Contains(line, tc.log) {
				t.Errorf("the log line %q lacks %s", line, tc.log)
			}
		})
	}

	// Named, not removed: whoever removed Bob decides.
	c := e.client()
	c.get("/login")
	resp, body = c.post("/login", url.Values{"email": {"it-backup@example.com"}, "password": {"backup-password-1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
}
