package app

import (
	"strings"
	"testing"
)

// TestLoginEmailPrefill: /login?email= fills in an email (an invitee sent
// to sign in), escaped, and leaves out what is not one.
func TestLoginEmailPrefill(t *testing.T) {
	e := newEnv(t)
	e.addUser("owner@example.com")
	c := e.client()
	_, body := c.get("/login?email=Ann%40Example.com")
	wantContains(t, body, `value="ann@example.com"`)
	for _, q := range []string{"%3Cscript%3E", "a%20b%40example.com", strings.Repeat("a", 250) + "%40example.com", ""} {
		_, body := c.get("/login?email=" + q)
		if !strings.Contains(body, `<input id="f-email" name="email" type="email" value="" `) {
			t.Errorf("/login?email=%.40s filled the email in", q)
		}
		wantNotContains(t, body, "<script>")
	}
}
