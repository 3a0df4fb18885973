package app

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// accessibleName is the name a screen reader gives a button or a
// summary with no aria-label: its text, the visually hidden parts
// included, with runs of spaces as one.
func accessibleName(n *xhtml.Node) string {
	if l := attrOf(n, "aria-label"); l != "" {
		return l
	}
	return strings.Join(strings.Fields(textOf(n)), " ")
}

// namesOf lists the accessible names of the buttons of the forms on the
// page whose action matches action.
func namesOf(t *testing.T, body string, action *regexp.Regexp) []string {
	t.Helper()
	var out []string
	for _, f := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "form" && action.MatchString(attrOf(n, "action"))
	}) {
		for _, b := range findAll(f, func(n *xhtml.Node) bool { return n.Data == "button" }) {
			out = append(out, accessibleName(b))
		}
	}
	return out
}

// TestRowActionsNameTheirRow: each row's button in the API tokens, Users
// and Pending invites tables says which row it acts on, as the signed-in
// browsers' Sign out buttons do, and keeps its visible word first. Found
// by a fresh-eyes review: a screen reader's list of buttons read
// "Revoke, Revoke" and "Remove, Remove", with nothing to tell them apart.
func TestRowActionsNameTheirRow(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	ctx := context.Background()
	for _, name := range []string{"CI deploy script", "Nightly export"} {
		if _, err := CreateToken(ctx, e.store, "owner@example.com", name); err != nil {
			t.Fatal(err)
		}
	}
	e.addUser("bob@example.com")
	e.addUser("cleo@example.com")
	for _, email := range []string{"ana@example.com", "dan@example.com"} {
		if resp, body := owner.post("/users/invites", url.Values{"invite_email": {email}, "invite_name": {"Someone"}}); resp.StatusCode >= 400 {
			t.Fatalf("invite %s: %d: %s", email, resp.StatusCode, body)
		}
	}
	_, settings := owner.get("/settings")
	_, users := owner.get("/users")

	for _, tc := range []struct {
		name, body, action string
		want               []string
	}{
		{"API tokens", settings, `^/settings/tokens/\d+/delete$`,
			[]string{"Revoke the token CI deploy script", "Revoke the token Nightly export"}},
		{"Users", users, `^/users/\d+/delete$`,
			[]string{"Remove bob@example.com", "Remove cleo@example.com"}},
		{"Pending invites", users, `^/users/invites/\d+/delete$`,
			[]string{"Revoke the invite for ana@example.com", "Revoke the invite for dan@example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := namesOf(t, tc.body, regexp.MustCompile(tc.action))
			for _, w := range tc.want {
				if !containsString(got, w) {
					t.Errorf("no button named %q; the buttons are named %q", w, got)
				}
			}
			seen := map[string]bool{}
			for _, g := range got {
				if seen[g] {
					t.Errorf("two buttons are named %q", g)
				}
				seen[g] = true
			}
		})
	}
}
