package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPasswordFormUsernameReview4: Settings → Your password carries the
// account's email in a hidden field marked autocomplete="username", ahead
// of the password fields, so that password managers know which account
// the new password is for (Chromium warns about a password form
// without one). The field is the signed-in user's and sends nothing the
// handler reads: the change still works. Found by a browser review.
func TestPasswordFormUsernameReview4(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	resp, page := c.get("/settings")
	wantStatus(t, resp, http.StatusOK, page)
	form := regexp.MustCompile(`(?s)<form method="post" action="/settings/password".*?</form>`).FindString(page)
	if form == "" {
		t.Fatal("no change-password form on Settings")
	}
	user := regexp.MustCompile(`<input [^>]*autocomplete="username"[^>]*>`).FindString(form)
	if user == "" {
		t.Fatalf("the change-password form has no username field: %s", form)
	}
	wantContains(t, user, `value="ann@example.com"`, "hidden")
	if strings.Index(form, user) > strings.Index(form, `autocomplete="current-password"`) {
		t.Error("the username field comes after the password fields")
	}

	resp, body := c.post("/settings/password", url.Values{"username": {"ann@example.com"}, "current_password": {testPassword},
		"password": {"a new passphrase here"}, "password2": {"a new passphrase here"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
}
