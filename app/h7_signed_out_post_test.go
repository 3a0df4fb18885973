package app

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// signedOutMessage is what the sign-in page says after a form was sent
// with no session.
const signedOutMessage = "You were signed out. Sign in again, then send the form again."

// TestSignedOutFormPost: a form sent after the session ended (signed out
// in another tab) lands on the sign-in page with a sentence that says
// what happened, and next= back to the page the form was on: the
// Referer's when it is this app's own page, else the form's address when
// a person can open it, else none; never an address that takes only a
// POST. Before, every such POST went to /login alone, and the text typed
// into the form was gone without a word.
func TestSignedOutFormPost(t *testing.T) {
	e := newEnv(t)
	for i, tt := range []struct {
		name, path, referer string
		wantNext            string // "" for none
	}{
		{"from the page the form was on", "/sites/s1/settings", testPublicURL + "/sites/s1", "/sites/s1"},
		{"with the page's query", "/experiments", testPublicURL + "/experiments/new?site=s1", "/experiments/new?site=s1"},
		{"from the edit page", "/experiments/x1/edit", testPublicURL + "/experiments/x1/edit", "/experiments/x1/edit"},
		{"the public URL's origin, written otherwise", "/sites", "HTTP://COPYLAB.TEST:80/sites", "/sites"},
		{"a Referer from another site: the form's page", "/experiments/x1/edit", "https://elsewhere.example/experiments/y", "/experiments/x1/edit"},
		{"no Referer: the form's page", "/experiments", "", "/experiments"},
		{"no Referer, an address that takes only a POST", "/experiments/x1/start", "", ""},
		{"a Referer that takes only a POST", "/experiments/x1/start", testPublicURL + "/sites/s1/settings", ""},
		{"a Referer from another site, an address that takes only a POST", "/settings/tokens", "https://elsewhere.example/settings", ""},
		{"a Referer that is the sign-in page", "/settings/password", testPublicURL + "/login?next=%2Fsettings", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := e.signIn("user" + strconv.Itoa(i) + "@example.com")
			// Signed out in another tab: this one still holds the page and
			// its form, with the token.
			other := &client{e: e, cookies: map[string]string{}, csrf: c.csrf}
			for k, v := range c.cookies {
				other.cookies[k] = v
			}
			other.post("/logout", nil)

			v := url.Values{"_csrf": {c.csrf}, "name": {"typed text"}}
			req := newRequest(http.MethodPost, tt.path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.referer != "" {
				req.Header.Set("Referer", tt.referer)
			}
			resp, body := c.send(req)
			wantStatus(t, resp, http.StatusSeeOther, body)
			want := "/login"
			if tt.wantNext != "" {
				want += "?next=" + url.QueryEscape(tt.wantNext)
			}
			loc := resp.Header.Get("Location")
			if loc != want {
				t.Errorf("Location %q, want %q", loc, want)
			}
			resp, body = c.get(loc)
			wantStatus(t, resp, http.StatusOK, body)
			page := html.UnescapeString(body)
			wantContains(t, page, `role="alert">`+signedOutMessage+"<", `name="next" value="`+localPath(tt.wantNext, "/experiments")+`"`)
			// Said once: a reload of the sign-in page does not repeat it.
			_, body = c.get(loc)
			wantNotContains(t, body, signedOutMessage)
		})
	}

	t.Run("htmx", func(t *testing.T) {
		c := e.signIn("htmx@example.com")
		sess := c.cookies["copylab_session"]
		c.post("/logout", nil)
		req := newRequest(http.MethodPost, "/experiments/x1/edit", strings.NewReader("_csrf=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.Header.Set("Referer", testPublicURL+"/experiments/x1/edit")
		req.AddCookie(&http.Cookie{Name: "copylab_session", Value: sess})
		resp := e.do(req)
		if want := "/login?next=" + url.QueryEscape("/experiments/x1/edit"); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("HX-Redirect") != want {
			t.Errorf("status %d, HX-Redirect %q; want 401 and %q", resp.StatusCode, resp.Header.Get("HX-Redirect"), want)
		}
	})

	// Signing out when already signed out is no form lost: the sign-in
	// page, with nothing to say.
	t.Run("sign out", func(t *testing.T) {
		c := e.signIn("twice@example.com")
		csrf := c.csrf
		other := &client{e: e, cookies: map[string]string{}, csrf: csrf}
		for k, v := range c.cookies {
			other.cookies[k] = v
		}
		other.post("/logout", nil)
		req := newRequest(http.MethodPost, "/logout", strings.NewReader("_csrf="+url.QueryEscape(csrf)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Referer", testPublicURL+"/settings")
		resp, body := c.send(req)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Errorf("Location %q, want /login", loc)
		}
		_, body = c.get("/login")
		wantNotContains(t, body, signedOutMessage)
	})

	// A GET keeps what it did: next= the address asked for, no message.
	t.Run("GET", func(t *testing.T) {
		c := e.client()
		resp, _ := c.get("/sites/s1")
		if loc := resp.Header.Get("Location"); loc != "/login?next="+url.QueryEscape("/sites/s1") {
			t.Errorf("Location %q", loc)
		}
		_, body := c.get("/login?next=%2Fsites%2Fs1")
		wantNotContains(t, body, signedOutMessage)
	})
}

// TestSignedOutFormFromAnotherSite: a form another site sends to a
// signed-out browser gets the plain sign-in page: no message, no page to
// come back to. Before, it planted "You were signed out…" and chose the
// page the sign-in led to.
func TestSignedOutFormFromAnotherSite(t *testing.T) {
	e := newEnv(t)
	req := newRequest(http.MethodPost, "/sites", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp := e.do(req)
	readBody(t, resp)
	if loc := resp.Header.Get("Location"); loc != "/login" {
		t.Errorf("Location %q, want /login", loc)
	}
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "flash") {
			t.Errorf("set %s", c.Name)
		}
	}
}
