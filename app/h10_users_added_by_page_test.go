package app

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// h10AddedBy returns what the Users page says added the user with that
// email, in the Added by column.
func h10AddedBy(t *testing.T, page, email string) string {
	t.Helper()
	for _, row := range regexp.MustCompile(`(?s)<tr role="row">(.*?)</tr>`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(row[1], `<td role="cell" class="card-name">`+email) {
			continue
		}
		m := regexp.MustCompile(`(?s)<td role="cell"[^>]*data-label="Added by">(.*?)</td>`).FindStringSubmatch(row[1])
		if m == nil {
			t.Fatalf("the row of %s has no Added by cell:\n%s", email, row[1])
		}
		return strings.TrimSpace(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")))
	}
	t.Fatalf("no row for %s on the Users page:\n%s", email, page)
	return ""
}

// TestUsersAddedBy: the Users page says who added each account: setup,
// the command line, a teammate by hand, or a teammate's invite; and once
// that teammate is removed, still who they were. The Remove button of a
// member who added accounts names them, since they stay.
func TestUsersAddedBy(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.get("/setup?token=" + testSetupToken)
	resp, body := owner.post("/setup", url.Values{"token": {testSetupToken}, "email": {"owner@team.test"},
		"password": {testPassword}, "password2": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	owner.get("/users")
	resp, body = owner.post("/users", url.Values{"email": {"bob@team.test"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	e.addUser("cli@team.test")
	e.makeAdmin("bob@team.test") // bob adds and invites: an admin's

	bob := e.client()
	bob.get("/login")
	resp, body = bob.post("/login", url.Values{"email": {"bob@team.test"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	bob.get("/users")
	resp, body = bob.post("/users", url.Values{"email": {"it-backup@example.com"}, "password": {"backup-password-1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	token, _ := invite(t, bob, "carol@example.com", "")
	if _, resp, body := accept(e, token, "Carol", "carol-password-1"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept bob's invite: status %d: %s", resp.StatusCode, body)
	}

	_, page := owner.get("/users")
	wantContains(t, page, `<th role="columnheader" scope="col">Added by</th>`)
	for _, tc := range []struct{ email, want string }{
		{"owner@team.test", "setup"},
		{"bob@team.test", "owner@team.test"},
		{"cli@team.test", "command line"},
		{"it-backup@example.com", "bob@team.test"},
		{"carol@example.com", "invite from bob@team.test"},
	} {
		if got := h10AddedBy(t, page, tc.email); got != tc.want {
			t.Errorf("%s: added by %q, want %q", tc.email, got, tc.want)
		}
	}
	wantContains(t, html.UnescapeString(page),
		`data-confirm="Remove bob@team.test? They are signed out at once. They added 2 accounts that stay: it-backup@example.com, carol@example.com. Remove those too if they should go."`,
		`data-confirm="Remove cli@team.test? They are signed out at once."`)

	u, _, err := e.store.UserByEmail(t.Context(), "bob@team.test")
	if err != nil {
		t.Fatal(err)
	}
	action := "/users/" + itoa64(u.ID) + "/delete"
	flashAfter(t, owner, action, h4PageForm(t, page, action))
	_, page = owner.get("/users")
	for _, tc := range []struct{ email, want string }{
		{"it-backup@example.com", "bob@team.test, since removed"},
		{"carol@example.com", "invite from bob@team.test, since removed"},
	} {
		if got := h10AddedBy(t, page, tc.email); got != tc.want {
			t.Errorf("%s: added by %q, want %q", tc.email, got, tc.want)
		}
	}
}
