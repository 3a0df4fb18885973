package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormsRefuseOtherOrigins: a form post whose browser names another
// origin is refused even with the right tokens (a sibling subdomain can
// plant the signed-out forms' cookie on a plain http copylab, and a page
// on the same host shares its cookies); the app's own origin, the public
// URL's host and senders without an Origin header pass.
func TestFormsRefuseOtherOrigins(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	postWithOrigin := func(c *client, path, origin string, v url.Values) (*http.Response, string) {
		t.Helper()
		if _, ok := v["_csrf"]; !ok {
			v.Set("_csrf", c.csrf)
		}
		req := newRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		return c.send(req)
	}
	signIn := url.Values{"email": {"ann@example.com"}, "password": {testPassword}}

	t.Run("sign-in", func(t *testing.T) {
		for _, origin := range []string{"http://evil.copylab.test", "http://copylab.test.evil.example", "null", "http://copylab.test:81"} {
			c := e.client()
			c.get("/login")
			resp, body := postWithOrigin(c, "/login", origin, url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
			wantStatus(t, resp, http.StatusForbidden, body)
			wantContains(t, body, "did not come from copylab")
		}
		for _, origin := range []string{"", "http://copylab.test", "HTTP://COPYLAB.TEST"} {
			c := e.client()
			c.get("/login")
			resp, body := postWithOrigin(c, "/login", origin, url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
			wantStatus(t, resp, http.StatusSeeOther, body)
		}
	})

	t.Run("signed in", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		postWithOrigin(c, "/login", "", signIn)
		c.get("/settings")
		resp, body := postWithOrigin(c, "/settings/tokens", "http://evil.example", url.Values{"name": {"ci"}})
		wantStatus(t, resp, http.StatusForbidden, body)
		resp, body = postWithOrigin(c, "/settings/tokens", "http://copylab.test", url.Values{"name": {"ci"}})
		if resp.StatusCode >= 400 {
			t.Fatalf("same origin: status %d: %.300s", resp.StatusCode, body)
		}
	})
}

// TestOriginIsSchemeHostAndPort: the Origin check compares whole origins,
// scheme, host and port. A page at http://host is not the app at
// https://host (anyone on the network path can write the plain one), nor
// is another port. The app's own scheme comes from its public URL, from a
// trusted proxy's X-Forwarded-Proto, or from Secure cookies (the app is
// then behind a TLS-terminating proxy); an untrusted sender's
// X-Forwarded-Proto is not believed.
func TestOriginIsSchemeHostAndPort(t *testing.T) {
	tests := []struct {
		name   string
		config func(*Config)
		proto  string // X-Forwarded-Proto, from Fiber's Test peer 0.0.0.0
		pass   []string
		refuse []string
	}{
		{
			name:   "https public URL",
			config: func(c *Config) { c.PublicURL = "https://copylab.test" },
			pass:   []string{"", "https://copylab.test", "https://copylab.test:443", "HTTPS://Copylab.Test"},
			refuse: []string{"http://copylab.test", "http://copylab.test:443", "https://copylab.test:8443", "https://copylab.test/", "https://user@copylab.test", "ws://copylab.test"},
		},
		{
			// Nothing says how the browser came (no TLS, no Secure
			// cookies, no trusted proxy): perhaps through a TLS proxy
			// nobody told copylab of, so the host's https origin passes
			// too; other ports never do.
			name:   "http public URL, scheme unknown",
			config: nil,
			pass:   []string{"", "http://copylab.test", "http://copylab.test:80", "https://copylab.test"},
			refuse: []string{"http://copylab.test:8080", "https://copylab.test:8443", "https://other.test"},
		},
		{
			name: "behind a trusted TLS proxy that keeps Host",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			proto:  "https",
			pass:   []string{"", "https://copylab.test", "http://127.0.0.1:8080"},
			refuse: []string{"http://copylab.test", "https://127.0.0.1:8080"},
		},
		{
			name: "a trusted proxy's first X-Forwarded-Proto counts",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			proto:  "HTTPS, http",
			pass:   []string{"https://copylab.test"},
			refuse: []string{"http://copylab.test"},
		},
		{
			name: "a trusted proxy that says http",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			proto:  "http",
			pass:   []string{"http://copylab.test"},
			refuse: []string{"https://copylab.test"},
		},
		{
			name: "X-Forwarded-Proto from an untrusted sender",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.SecureCookies = true
			},
			proto:  "http",
			pass:   []string{"", "https://copylab.test"},
			refuse: []string{"http://copylab.test"},
		},
		{
			name: "Secure cookies behind a TLS proxy, public URL http",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.SecureCookies = true
			},
			pass:   []string{"", "https://copylab.test", "http://127.0.0.1:8080"},
			refuse: []string{"http://copylab.test"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, tt.config)
			e.addUser("ann@example.com")
			post := func(origin string) (*http.Response, string) {
				t.Helper()
				c := e.client()
				c.get("/login")
				v := url.Values{"_csrf": {c.csrf}, "email": {"ann@example.com"}, "password": {testPassword}}
				req := newRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if origin != "" {
					req.Header.Set("Origin", origin)
				}
				if tt.proto != "" {
					req.Header.Set("X-Forwarded-Proto", tt.proto)
				}
				return c.send(req)
			}
			for _, origin := range tt.pass {
				resp, body := post(origin)
				if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("Origin %q: status %d, want 303 (signed in): %.200s", origin, resp.StatusCode, body)
				}
			}
			for _, origin := range tt.refuse {
				resp, body := post(origin)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "did not come from copylab") {
					t.Errorf("Origin %q: status %d, want 403 csrf: %.200s", origin, resp.StatusCode, body)
				}
			}
		})
	}

	t.Run("signed in, https", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.PublicURL = "https://copylab.test" })
		c := e.signIn("ann@example.com")
		for origin, refused := range map[string]bool{"http://copylab.test": true, "https://copylab.test": false} {
			req := newRequest(http.MethodPost, "/settings/tokens", strings.NewReader(url.Values{"_csrf": {c.csrf}, "name": {"ci " + origin}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", origin)
			resp, body := c.send(req)
			if (resp.StatusCode == http.StatusForbidden) != refused || resp.StatusCode >= 500 {
				t.Errorf("Origin %q: status %d, refused %v: %.200s", origin, resp.StatusCode, refused, body)
			}
		}
	})
}
