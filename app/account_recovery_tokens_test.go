package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// newTokenRe finds the secret of a token made on the Settings page.
var newTokenRe = regexp.MustCompile(`cl_[a-z2-7]{40}`)

// thiefToken signs in as email from a second browser, as someone holding a
// stolen session would be, and makes an API token on the Settings page.
func (e *env) thiefToken(email string) (*client, string) {
	e.t.Helper()
	thief := e.client()
	thief.get("/login")
	thief.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	thief.get("/settings")
	resp, body := thief.post("/settings/tokens", url.Values{"name": {"backup script"}})
	wantStatus(e.t, resp, http.StatusOK, body)
	secret := newTokenRe.FindString(body)
	if secret == "" {
		e.t.Fatalf("no new token on the page: %.2000s", body)
	}
	return thief, secret
}

// flashText is the words of the flash message of a page, "" for none.
func flashText(body string) string {
	m := regexp.MustCompile(`<div class="flash[^"]*"[^>]*>([^<]*)</div>`).FindStringSubmatch(withoutBdi(body))
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// apiWorks tells whether the token can still call the API.
func (e *env) apiWorks(token string) bool {
	e.t.Helper()
	resp, _ := e.api(http.MethodGet, "/api/v1/sites", token, "")
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusUnauthorized:
		return false
	}
	e.t.Fatalf("GET /api/v1/sites: status %d", resp.StatusCode)
	return false
}

// TestAccountRecoveryTokens: someone with a stolen session can make an API
// token, which a browser's sign-out does not reach. Changing the password
// and "Sign out all other browsers" each offer to revoke the account's API
// tokens in the same change (ticked for the password, unticked for the
// sign-out), and their message always says how many tokens still work.
// An unticked box, or a form from before the box, leaves the tokens alone:
// no script stops by surprise.
func TestAccountRecoveryTokens(t *testing.T) {
	const newPassword = "a new long passphrase"
	tests := []struct {
		name        string
		path        string
		form        url.Values
		wantWorking bool
		wantFlash   []string
	}{
		{
			name:        "password, box ticked",
			path:        "/settings/password",
			form:        url.Values{"current_password": {testPassword}, "password": {newPassword}, "password2": {newPassword}, "revoke_tokens": {"1"}},
			wantWorking: false,
			wantFlash:   []string{"Your password is changed.", "Your 2 API tokens are revoked"},
		},
		{
			name:        "password, box unticked",
			path:        "/settings/password",
			form:        url.Values{"current_password": {testPassword}, "password": {newPassword}, "password2": {newPassword}},
			wantWorking: true,
			wantFlash:   []string{"Your password is changed.", "Your 2 API tokens still work", "under API tokens"},
		},
		{
			name:        "other browsers, box ticked",
			path:        "/settings/sessions/delete-others",
			form:        url.Values{"revoke_tokens": {"1"}},
			wantWorking: false,
			wantFlash:   []string{"1 other browser is signed out.", "Your 2 API tokens are revoked"},
		},
		{
			name:        "other browsers, box unticked",
			path:        "/settings/sessions/delete-others",
			form:        url.Values{},
			wantWorking: true,
			wantFlash:   []string{"1 other browser is signed out.", "Your 2 API tokens still work", "under API tokens"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			owner := e.signIn("ann@example.com")
			ci, err := CreateToken(context.Background(), e.store, "ann@example.com", "CI deploy")
			if err != nil {
				t.Fatal(err)
			}
			bob := e.token("bob@example.com") // a teammate's token is never touched
			thief, stolen := e.thiefToken("ann@example.com")
			if !e.apiWorks(stolen) || !e.apiWorks(ci) {
				t.Fatal("the tokens do not work to begin with")
			}

			_, page := owner.get("/settings")
			// The token list says when each token was made and last used,
			// so that one the owner did not make stands out.
			wantContains(t, page, `id="tokens"`, "backup script", "Created", "Last used", "just now")
			wantContains(t, page, `name="revoke_tokens"`, "Also revoke your 2 API tokens")

			resp, body := owner.post(tc.path, tc.form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			_, body = owner.get(loc(resp))
			wantContains(t, flashText(body), tc.wantFlash...)

			if got := e.apiWorks(stolen); got != tc.wantWorking {
				t.Errorf("the stolen session's token works: %v, want %v", got, tc.wantWorking)
			}
			if got := e.apiWorks(ci); got != tc.wantWorking {
				t.Errorf("the CI token works: %v, want %v", got, tc.wantWorking)
			}
			if !e.apiWorks(bob) {
				t.Error("a teammate's token was revoked")
			}
			if resp, _ := thief.get("/settings"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the stolen session still works: %d", resp.StatusCode)
			}
			if resp, _ := owner.get("/settings"); resp.StatusCode != http.StatusOK {
				t.Errorf("the owner was signed out: %d", resp.StatusCode)
			}
		})
	}
}

// TestAccountRecoveryForm: the password form's box is ticked at first and
// keeps the owner's choice when the form comes back with a problem; the
// sign-out's box is unticked. Without tokens there is nothing to offer,
// and the message says nothing of tokens.
func TestAccountRecoveryForm(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("ann@example.com")
	_, page := owner.get("/settings")
	wantNotContains(t, page, `name="revoke_tokens"`)
	resp, body := owner.post("/settings/sessions/delete-others", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get(loc(resp))
	if f := flashText(body); f == "" || strings.Contains(f, "API token") {
		t.Errorf("flash without tokens: %q", f)
	}

	if _, err := CreateToken(context.Background(), e.store, "ann@example.com", "CI deploy"); err != nil {
		t.Fatal(err)
	}
	_, page = owner.get("/settings")
	boxes := regexp.MustCompile(`<input type="checkbox"[^>]*name="revoke_tokens"[^>]*>`).FindAllString(page, -1)
	if len(boxes) != 2 {
		t.Fatalf("%d revoke_tokens boxes, want 2 (password, other browsers): %q", len(boxes), boxes)
	}
	if !regexp.MustCompile(`\bchecked\b`).MatchString(boxes[0]) {
		t.Errorf("the password form's box is not ticked: %s", boxes[0])
	}
	if regexp.MustCompile(`\bchecked\b`).MatchString(boxes[1]) {
		t.Errorf("the sign-out's box is ticked: %s", boxes[1])
	}
	wantContains(t, page, "Also revoke your API token")

	// Unticked, with a wrong current password: it comes back unticked.
	resp, body = owner.post("/settings/password", url.Values{"current_password": {"not it at all"}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	boxes = regexp.MustCompile(`<input type="checkbox"[^>]*name="revoke_tokens"[^>]*>`).FindAllString(body, -1)
	if len(boxes) == 0 || regexp.MustCompile(`\bchecked\b`).MatchString(boxes[0]) {
		t.Errorf("the unticked box came back ticked: %q", boxes)
	}
	// Ticked, with a wrong current password: it comes back ticked.
	resp, body = owner.post("/settings/password", url.Values{"current_password": {"not it at all"}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}, "revoke_tokens": {"1"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	boxes = regexp.MustCompile(`<input type="checkbox"[^>]*name="revoke_tokens"[^>]*>`).FindAllString(body, -1)
	if len(boxes) == 0 || !regexp.MustCompile(`\bchecked\b`).MatchString(boxes[0]) {
		t.Errorf("the ticked box came back unticked: %q", boxes)
	}

	// One token: the sentence is in the singular.
	resp, body = owner.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get(loc(resp))
	wantContains(t, flashText(body), "Your API token still works")
}
