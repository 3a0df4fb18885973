package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// h7ByID finds the element with that id.
func h7ByID(t *testing.T, doc *xhtml.Node, id string) *xhtml.Node {
	t.Helper()
	n := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(n) != 1 {
		t.Fatalf("%d elements with the id %q", len(n), id)
	}
	return n[0]
}

// TestH7PasswordsDifferMarkBoth: two new passwords that differ are both
// sent back empty (never echoed into the page), so both must be typed
// again. Only "Password again" was marked, and the page's script focused
// it: typing the right password there made the first field's empty one
// the next mistake. Both are marked invalid now, the first says both must
// be typed again (and is the first field the script focuses), on setup,
// an invite's page and Settings' password change.
func TestH7PasswordsDifferMarkBoth(t *testing.T) {
	const typed, other = "a long enough passphrase", "a long enough passphrasf"
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "cy@example.com", "Cy")
	for _, tc := range []struct {
		name, form, post string
		c                *client
		more             url.Values
		first, again     string // the ids of the two fields
	}{
		{"setup", "/setup?token=" + testSetupToken, "/setup", newEnv(t).client(),
			url.Values{"token": {testSetupToken}, "email": {"new@example.com"}}, "f-password", "f-password2"},
		{"invite", "/invite/" + token, "/invite/" + token, e.client(), url.Values{"name": {"Cy"}}, "f-password", "f-password2"},
		{"settings", "/settings", "/settings/password", owner, url.Values{"current_password": {testPassword}}, "f-password", "f-password2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.get(tc.form)
			v := tc.more
			v.Set("password", typed)
			v.Set("password2", other)
			resp, body := tc.c.post(tc.post, v)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			if strings.Contains(body, typed) || strings.Contains(body, other) {
				t.Error("the page echoes a password")
			}
			doc := parseHTML(t, body)
			for _, id := range []string{tc.first, tc.again} {
				f := h7ByID(t, doc, id)
				if attrOf(f, "aria-invalid") != "true" {
					t.Errorf("#%s is not marked invalid", id)
				}
				if attrOf(f, "value") != "" {
					t.Errorf("#%s is sent back with a value", id)
				}
			}
			// The first invalid field in the form is the first password:
			// app.js focuses it.
			var invalid []string
			for _, n := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "aria-invalid") == "true" }) {
				invalid = append(invalid, attrOf(n, "id"))
			}
			if len(invalid) == 0 || invalid[0] != tc.first {
				t.Errorf("invalid fields in order %v, want %s first", invalid, tc.first)
			}
			msg := strings.Join(strings.Fields(textOf(h7ByID(t, doc, tc.first+"-error"))), " ")
			if !strings.Contains(msg, "The two passwords differ.") || !strings.Contains(msg, "both") {
				t.Errorf("the first password's message %q does not say to type both again", msg)
			}
			if !strings.Contains(attrOf(h7ByID(t, doc, tc.first), "aria-describedby"), tc.first+"-error") {
				t.Errorf("#%s is not described by its message", tc.first)
			}
		})
	}
}
