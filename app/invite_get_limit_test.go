package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// tooManyInviteTries is the sentence of the 429 that refuses a try of an
// invite link, opened or sent, while a fresh window is ahead.
const tooManyInviteTries = "Too many attempts from your network. Please wait about 15 minutes and try again."

// TestInviteGetGuessesLimited: opening a link that does not work counts
// against the sign-in limiter like sending its form does, on the same
// per-client quota; past the limit both answer 429 with Retry-After and the
// same sentence, and the link's headers. Until then each gets the one 404
// page of a dead link.
func TestInviteGetGuessesLimited(t *testing.T) {
	tests := []struct {
		name string
		// tries is how many guesses pass before the limit; token(i) is the
		// link of the i-th, and post(i) whether its form is sent rather
		// than the link opened.
		tries int
		token func(i int) string
		post  func(i int) bool
	}{
		{
			name:  "one link opened over and over",
			tries: loginMaxFailures,
			token: func() func(int) string { tok := newInviteToken(); return func(int) string { return tok } }(),
			post:  func(int) bool { return false },
		},
		{
			name:  "many links, opened and sent in turn",
			tries: loginMaxPerClient,
			token: func(int) string { return newInviteToken() },
			post:  func(i int) bool { return i%2 == 1 },
		},
		{
			name:  "mangled links",
			tries: loginMaxPerClient,
			token: func(i int) string { return "not-a-token-" + itoa64(int64(i)) },
			post:  func(int) bool { return false },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			c.get("/login") // a form token, for the POSTs
			form := url.Values{"password": {testPassword}, "password2": {testPassword}}
			for i := range tt.tries {
				var resp *http.Response
				var body string
				if tt.post(i) {
					resp, body = c.post("/invite/"+tt.token(i), form)
				} else {
					resp, body = c.get("/invite/" + tt.token(i))
				}
				if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "This invite link no longer works") {
					t.Fatalf("guess %d: status %d, want the 404 page: %.300s", i+1, resp.StatusCode, body)
				}
			}
			next := tt.token(tt.tries)
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var resp *http.Response
				var body string
				if method == http.MethodGet {
					resp, body = c.get("/invite/" + next)
				} else {
					resp, body = c.post("/invite/"+next, form)
				}
				if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
					t.Errorf("%s past the limit: status %d, Retry-After %q; want 429 with Retry-After",
						method, resp.StatusCode, resp.Header.Get("Retry-After"))
				}
				if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("%s past the limit: Referrer-Policy %q, Cache-Control %q; want no-referrer, no-store",
						method, resp.Header.Get("Referrer-Policy"), resp.Header.Get("Cache-Control"))
				}
				wantContains(t, body, tooManyInviteTries)
			}
		})
	}
}

// TestInviteGetOwnLinkNeverLimited: the newcomer may open their own link as
// often as they like, before making the account (the form), when the email
// got an account by hand meanwhile (to sign-in), and after (on to their
// account, or to sign-in): none of it counts, so afterwards the same
// network still has its whole quota for links that do not work.
func TestInviteGetOwnLinkNeverLimited(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "ana@example.com", "Ana")
	byHand, _ := invite(t, owner, "ben@example.com", "Ben")
	e.addUser("ben@example.com")
	opens := 2 * loginMaxPerClient

	guest := e.client()
	for i := range opens {
		resp, body := guest.get("/invite/" + token)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ana@example.com") {
			t.Fatalf("open %d of a link that works: status %d: %.300s", i+1, resp.StatusCode, body)
		}
	}
	for i := range opens {
		resp, body := e.client().get("/invite/" + byHand)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("open %d of a link whose email has an account: status %d to %q: %.300s",
				i+1, resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
	resp, body := guest.post("/invite/"+token, url.Values{"name": {"Ana"}, "password": {testPassword}, "password2": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	for i := range opens {
		// The newcomer's browser goes on to the account, another within
		// the hour to sign-in (joinedLinks).
		for name, c := range map[string]*client{"own browser": guest, "another browser": e.client()} {
			if resp, body := c.get("/invite/" + token); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("open %d of the used link, %s: status %d: %.300s", i+1, name, resp.StatusCode, body)
			}
		}
	}

	guesser := e.client()
	for i := range loginMaxPerClient {
		if resp, body := guesser.get("/invite/" + newInviteToken()); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("guess %d after the newcomer's opens: status %d, want 404 (the opens were counted): %.300s",
				i+1, resp.StatusCode, body)
		}
	}
	resp, body = guesser.get("/invite/" + newInviteToken())
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	wantContains(t, body, tooManyInviteTries)
}
