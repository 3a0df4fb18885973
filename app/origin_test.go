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
// then behind a TLS-terminating proxy); its host and port from the Host
// header, or a trusted proxy's X-Forwarded-Host (a proxy that rewrites
// Host to its upstream's address). An untrusted sender's X-Forwarded-Proto
// and X-Forwarded-Host are not believed, and of a list of values, the one
// the outermost trusted proxy set counts, never one a client wrote left
// of it.
func TestOriginIsSchemeHostAndPort(t *testing.T) {
	tests := []struct {
		name   string
		config func(*Config)
		host   string // the Host header; copylab.test when empty
		proto  string // X-Forwarded-Proto, from Fiber's Test peer 0.0.0.0
		fwHost string // X-Forwarded-Host
		xff    string // X-Forwarded-For
		pass   []string
		refuse []string
		// plain are refused for being on plain http while cookies are
		// Secure, with a sentence that says to use https.
		plain []string
	}{
		{
			name:   "https public URL",
			config: func(c *Config) { c.PublicURL = "https://copylab.test" },
			pass:   []string{"", "https://copylab.test", "https://copylab.test:443", "HTTPS://Copylab.Test"},
			refuse: []string{"http://copylab.test:443", "https://copylab.test:8443", "https://copylab.test/", "https://user@copylab.test", "ws://copylab.test"},
			plain:  []string{"http://copylab.test", "HTTP://COPYLAB.TEST:80"},
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
			// Two trusted proxies that each add their hop's scheme: the
			// outer one faced the browser.
			name: "a chain of trusted proxies: the outer one's X-Forwarded-Proto",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0", "10.0.0.0/8"}
			},
			xff:    "203.0.113.7, 10.0.0.2",
			proto:  "HTTPS, http",
			pass:   []string{"https://copylab.test"},
			refuse: []string{"http://copylab.test"},
		},
		{
			// One trusted proxy that adds its value to the client's: the
			// client's, left of it, is not believed.
			name: "a client's X-Forwarded-Proto left of the trusted proxy's",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			xff:    "203.0.113.7",
			proto:  "http, https",
			pass:   []string{"https://copylab.test"},
			refuse: []string{"http://copylab.test"},
		},
		{
			// nginx's proxy_pass http://127.0.0.1:8080 without
			// proxy_set_header Host: the Host is the upstream's, and the
			// browser's host comes in X-Forwarded-Host.
			name: "a trusted proxy that rewrites Host",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "Copylab.Example.com",
			proto:  "https",
			xff:    "203.0.113.7",
			pass:   []string{"", "https://copylab.example.com", "https://copylab.example.com:443"},
			refuse: []string{"http://copylab.example.com", "https://127.0.0.1:8080", "https://copylab.example.com:8443", "https://evil.example"},
		},
		{
			name: "a trusted proxy's X-Forwarded-Host with a port",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "copylab.example.com:8443",
			proto:  "https",
			pass:   []string{"https://copylab.example.com:8443"},
			refuse: []string{"https://copylab.example.com", "https://127.0.0.1:8080"},
		},
		{
			name: "X-Forwarded-Host from an untrusted sender",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
			},
			host:   "internal.test:8080",
			fwHost: "evil.example",
			pass:   []string{"http://internal.test:8080"},
			refuse: []string{"http://evil.example", "https://evil.example"},
		},
		{
			name: "a client's X-Forwarded-Host left of the trusted proxy's",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "evil.example, copylab.example.com",
			xff:    "203.0.113.7",
			proto:  "https",
			pass:   []string{"https://copylab.example.com"},
			refuse: []string{"https://evil.example", "https://127.0.0.1:8080"},
		},
		{
			// A CDN and a proxy, both trusted, each adding the host it
			// was asked for: the CDN's is the browser's.
			name: "a chain of trusted proxies: the outer one's X-Forwarded-Host",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0", "10.0.0.0/8"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "evil.example, copylab.example.com, origin.internal:8080",
			xff:    "6.6.6.6, 203.0.113.7, 10.0.0.2",
			proto:  "https",
			pass:   []string{"https://copylab.example.com"},
			refuse: []string{"https://evil.example", "https://origin.internal:8080", "https://127.0.0.1:8080"},
		},
		{
			// Proxies that replace the header rather than add to it: the
			// one value there is a trusted proxy's.
			name: "a chain of trusted proxies that replace X-Forwarded-Host",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0", "10.0.0.0/8"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "copylab.example.com",
			xff:    "203.0.113.7, 10.0.0.2",
			proto:  "https",
			pass:   []string{"https://copylab.example.com"},
			refuse: []string{"https://127.0.0.1:8080"},
		},
		{
			name: "a malformed X-Forwarded-Host is not believed",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.TrustedProxies = []string{"0.0.0.0"}
			},
			host:   "127.0.0.1:8080",
			fwHost: "evil.example/x",
			proto:  "http",
			pass:   []string{"http://127.0.0.1:8080"},
			refuse: []string{"http://evil.example"},
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
			proto: "http",
			pass:  []string{"", "https://copylab.test"},
			plain: []string{"http://copylab.test"},
		},
		{
			name: "Secure cookies behind a TLS proxy, public URL http",
			config: func(c *Config) {
				c.PublicURL = "http://127.0.0.1:8080"
				c.SecureCookies = true
			},
			pass:   []string{"", "https://copylab.test", "http://127.0.0.1:8080"},
			refuse: []string{"http://copylab.test:8080"},
			plain:  []string{"http://copylab.test"},
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
				if tt.host != "" {
					req.Host = tt.host
				}
				for k, v := range map[string]string{"X-Forwarded-Proto": tt.proto, "X-Forwarded-Host": tt.fwHost, "X-Forwarded-For": tt.xff} {
					if v != "" {
						req.Header.Set(k, v)
					}
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
			for _, origin := range tt.plain {
				resp, body := post(origin)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "copylab&#39;s cookies work over https only") {
					t.Errorf("Origin %q: status %d, want 403 https_required: %.200s", origin, resp.StatusCode, body)
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
