package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// serveLiveWith runs an app on a real port of 127.0.0.1, as Run starts
// it, with a change to its configuration, and an account for
// ann@example.com. It returns the app's address (host:port). Requests to
// it come from loopback, which Fiber's Test connections do not.
func serveLiveWith(t *testing.T, mod func(*Config)) string {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	store, err := experiments.Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	cfg := Config{Addr: ln.Addr().String(), DBPath: store.Path(), BcryptCost: 10,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler)}
	mod(&cfg)
	a, err := New(cfg, store, ing)
	if err != nil {
		t.Fatal(err)
	}
	go a.Fiber().Listener(ln)
	t.Cleanup(func() {
		a.Fiber().ShutdownWithTimeout(5 * time.Second)
		ing.Close(ctx)
		store.Close()
	})
	if _, _, err := addUser(ctx, store, "ann@example.com", "", testPassword, 10); err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String()
}

// TestPlainHTTPOnLoopback: with Secure cookies (an https public URL), a
// browser on this computer that reaches copylab over plain http at a
// loopback address (an SSH tunnel to 127.0.0.1:8080) can use the forms:
// nobody on a network path can write its page, and browsers that treat
// loopback as secure keep Secure cookies there. Only its own origin
// passes; a request that a proxy forwarded from elsewhere, or from a
// client that is not loopback, gets the https_required sentence; and a
// browser that dropped the form's cookie is told so, rather than to
// reload a form that would fail again.
func TestPlainHTTPOnLoopback(t *testing.T) {
	addr := serveLiveWith(t, func(c *Config) { c.PublicURL = "https://copylab.example" })
	_, port, _ := net.SplitHostPort(addr)
	trusting := serveLiveWith(t, func(c *Config) {
		c.PublicURL = "https://copylab.example"
		c.TrustedProxies = []string{"127.0.0.1"}
	})
	noRedirect := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	signIn := func(t *testing.T, addr, host, origin string, keep bool, headers map[string]string) (int, string) {
		t.Helper()
		return plainSignIn(t, noRedirect, addr, host, origin, keep, headers)
	}

	tests := []struct {
		name    string
		addr    string // the app's; addr when empty
		host    string // the Host header
		origin  string
		drop    bool // the browser kept no cookie
		headers map[string]string
		status  int
		want    string // in the body
	}{
		{name: "127.0.0.1", host: addr, origin: "http://" + addr, status: http.StatusSeeOther},
		{name: "localhost", host: "localhost:" + port, origin: "http://LOCALHOST:" + port, status: http.StatusSeeOther},
		{name: "a tunnel's own port", host: "localhost:9000", origin: "http://localhost:9000", status: http.StatusSeeOther},
		{name: "IPv6 loopback", host: "[::1]:9000", origin: "http://[::1]:9000", status: http.StatusSeeOther},
		{name: "the public URL", host: addr, origin: "https://copylab.example", status: http.StatusSeeOther},
		{name: "another loopback port", host: addr, origin: "http://127.0.0.1:1", status: http.StatusForbidden, want: "did not come from copylab"},
		{name: "another loopback name", host: addr, origin: "http://localhost:" + port, status: http.StatusForbidden, want: "did not come from copylab"},
		{name: "https on loopback, no TLS", host: addr, origin: "https://" + addr, status: http.StatusSeeOther},
		{name: "a host that is not loopback", host: "copylab.example", origin: "http://copylab.example",
			status: http.StatusForbidden, want: "Open copylab at https://copylab.example and try again"},
		{name: "forwarded by a proxy that is not trusted", host: addr, origin: "http://" + addr,
			headers: map[string]string{"X-Forwarded-For": "203.0.113.7"},
			status:  http.StatusForbidden, want: "copylab&#39;s cookies work over https only"},
		{name: "a trusted proxy that says https", addr: trusting, host: trusting, origin: "http://" + trusting,
			headers: map[string]string{"X-Forwarded-Proto": "https"},
			status:  http.StatusForbidden, want: "copylab&#39;s cookies work over https only"},
		{name: "a trusted proxy's client elsewhere", addr: trusting, host: "127.0.0.1:80", origin: "http://127.0.0.1",
			headers: map[string]string{"X-Forwarded-For": "203.0.113.7"},
			status:  http.StatusForbidden, want: "copylab&#39;s cookies work over https only"},
		{name: "a trusted proxy's client on loopback", addr: trusting, host: "127.0.0.1:80", origin: "http://localhost:9000",
			headers: map[string]string{"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Host": "localhost:9000"},
			status:  http.StatusSeeOther},
		{name: "the browser dropped the cookie", host: addr, origin: "http://" + addr, drop: true,
			status: http.StatusForbidden, want: "This browser did not keep copylab&#39;s cookies: they are Secure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.addr
			if a == "" {
				a = addr
			}
			status, body := signIn(t, a, tt.host, tt.origin, !tt.drop, tt.headers)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, want %d with %q: %.300s", status, tt.status, tt.want, body)
			}
		})
	}
}

// plainSignIn opens the sign-in page at addr, as host, and posts it with
// origin and the extra headers; it returns the answer's status and body.
// keep false drops the form's cookie, as a browser that keeps no Secure
// cookies on plain http does.
func plainSignIn(t *testing.T, client *http.Client, addr, host, origin string, keep bool, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/login", nil)
	req.Host = host
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("no token on the sign-in page: %.300s", page)
	}
	v := url.Values{"_csrf": {m[1]}, "email": {"ann@example.com"}, "password": {testPassword}}
	req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/login", strings.NewReader(v.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if keep {
		for _, ck := range resp.Cookies() {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
	}
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}
