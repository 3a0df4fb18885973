package app

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPlainHTTPOnLoopbackSubdomains: with Secure cookies, a page on plain
// http at a name under .localhost (app.localhost:8080), which RFC 6761
// keeps on loopback and browsers resolve there themselves, posts forms
// from a loopback client as localhost does. Only the localhost label at
// the end counts, in any case and with one trailing dot; every other
// condition still holds: the same host and port, a loopback client, no
// untrusted forwarding.
func TestPlainHTTPOnLoopbackSubdomains(t *testing.T) {
	addr := serveLiveWith(t, func(c *Config) { c.PublicURL = "https://copylab.example" })
	_, port, _ := net.SplitHostPort(addr)
	trusting := serveLiveWith(t, func(c *Config) {
		c.PublicURL = "https://copylab.example"
		c.TrustedProxies = []string{"127.0.0.1"}
	})
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	signIn := func(t *testing.T, addr, host, origin string, keep bool, headers map[string]string) (int, string) {
		t.Helper()
		return plainSignIn(t, client, addr, host, origin, keep, headers)
	}

	const httpsOnly = "copylab&#39;s cookies work over https only"
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
		{name: "app.localhost", host: "app.localhost:" + port, origin: "http://app.localhost:" + port, status: http.StatusSeeOther},
		{name: "any case", host: "App.LocalHost:" + port, origin: "http://APP.localhost:" + port, status: http.StatusSeeOther},
		{name: "a trailing dot", host: "app.localhost.:" + port, origin: "http://app.localhost.:" + port, status: http.StatusSeeOther},
		{name: "deeper names", host: "a.b.localhost:9000", origin: "http://a.b.localhost:9000", status: http.StatusSeeOther},
		{name: "another port", host: "app.localhost:" + port, origin: "http://app.localhost:1",
			status: http.StatusForbidden, want: "did not come from copylab"},
		{name: "another name under localhost", host: "app.localhost:" + port, origin: "http://other.localhost:" + port,
			status: http.StatusForbidden, want: "did not come from copylab"},
		{name: "localhost not the last label", host: "localhost.example:" + port, origin: "http://localhost.example:" + port,
			status: http.StatusForbidden, want: "Open copylab at https://copylab.example and try again"},
		{name: "a label that ends in localhost", host: "applocalhost:" + port, origin: "http://applocalhost:" + port,
			status: http.StatusForbidden, want: httpsOnly},
		{name: "an empty label", host: "a..localhost:" + port, origin: "http://a..localhost:" + port,
			status: http.StatusForbidden, want: httpsOnly},
		{name: "forwarded by a proxy that is not trusted", host: "app.localhost:" + port, origin: "http://app.localhost:" + port,
			headers: map[string]string{"X-Forwarded-For": "203.0.113.7"},
			status:  http.StatusForbidden, want: httpsOnly},
		{name: "a trusted proxy that says https", addr: trusting, host: "app.localhost:9000", origin: "http://app.localhost:9000",
			headers: map[string]string{"X-Forwarded-Proto": "https"},
			status:  http.StatusForbidden, want: httpsOnly},
		{name: "a trusted proxy's client elsewhere", addr: trusting, host: "127.0.0.1:80", origin: "http://app.localhost:9000",
			headers: map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "app.localhost:9000"},
			status:  http.StatusForbidden, want: httpsOnly},
		{name: "a trusted proxy's client on loopback", addr: trusting, host: "127.0.0.1:80", origin: "http://app.localhost:9000",
			headers: map[string]string{"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Host": "app.localhost:9000"},
			status:  http.StatusSeeOther},
		{name: "the browser dropped the cookie", host: "app.localhost:" + port, origin: "http://app.localhost:" + port, drop: true,
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
