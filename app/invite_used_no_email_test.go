package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestInviteUsedLinkNamesNoEmail: a link whose account exists (made with
// the link, or added by hand while the invite was pending) says it has
// been used and offers sign-in, but neither the redirect nor the sign-in
// page names the account's email: whoever later finds the link (in chat
// history, in a mail log) learns no account's email from it. A link that
// never worked keeps the dead link's 404.
func TestInviteUsedLinkNamesNoEmail(t *testing.T) {
	tests := []struct {
		name  string
		email string
		// use makes the link's account, after the link was opened in
		// opened (whose form is then sent, or the link opened again).
		use func(t *testing.T, e *env, token string)
		// race makes the account while opened's form is on its way,
		// after it found the invite (a double click's first submission).
		race bool
	}{
		{
			name:  "accepted",
			email: "dave@example.com",
			use: func(t *testing.T, e *env, token string) {
				if _, resp, body := accept(e, token, "Dave", testPassword); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("accept: %d %.300s", resp.StatusCode, body)
				}
			},
		},
		{
			name:  "added by hand while pending",
			email: "erin@example.com",
			use:   func(t *testing.T, e *env, token string) { e.addUser("erin@example.com") },
		},
		{
			name:  "accepted while the form was on its way",
			email: "fred@example.com",
			race:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			owner := e.signIn("owner@example.com")
			token, _ := invite(t, owner, tt.email, "")
			opened := e.client()
			opened.get("/invite/" + token)
			if tt.race {
				e.app.beforeAcceptInvite = func() {
					e.app.beforeAcceptInvite = nil
					if _, err := e.store.AcceptInvite(t.Context(), hashSecret(token), "", "$2a$04$placeholderplaceholderplaceholderplaceholderplace", time.Now()); err != nil {
						t.Errorf("the first submission: %v", err)
					}
				}
			} else {
				tt.use(t, e, token)
			}

			// Opened first: the form's sending uses up the invite of an
			// account added by hand, and its link then gets the dead
			// link's page (TestInviteRefusals).
			type try struct {
				name string
				send func() (*http.Response, string)
			}
			var tries []try
			if !tt.race {
				tries = append(tries, try{"the link opened in another browser", func() (*http.Response, string) { return e.client().get("/invite/" + token) }})
			}
			tries = append(tries, try{"the form opened before, sent", func() (*http.Response, string) {
				return opened.post("/invite/"+token, url.Values{"password": {testPassword}, "password2": {testPassword}})
			}})
			for _, tr := range tries {
				name := tr.name
				resp, body := tr.send()
				loc := resp.Header.Get("Location")
				if resp.StatusCode != http.StatusSeeOther || loc != "/login" {
					t.Errorf("%s: status %d to %q, want 303 to /login: %.300s", name, resp.StatusCode, loc, body)
					continue
				}
				c := e.client()
				for _, ck := range resp.Cookies() {
					c.cookies[ck.Name] = ck.Value
				}
				_, body = c.get(loc)
				wantContains(t, body, "This invite link has been used already: sign in with its account’s email and password.", `name="email"`)
				if strings.Contains(body, tt.email) || strings.Contains(strings.ToLower(body), strings.Split(tt.email, "@")[0]+"@") {
					t.Errorf("%s: the sign-in page names the email: %.2000s", name, body)
				}
			}
		})
	}

	e := newEnv(t)
	if resp, body := e.client().get("/invite/" + newInviteToken()); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "This invite link no longer works") {
		t.Errorf("an unknown link: %d: %.300s", resp.StatusCode, body)
	}
}
