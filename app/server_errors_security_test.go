package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestServerErrorsCarrySecurityHeaders: the answers the HTTP server gives
// before any middleware runs (a body over the app's 1 MiB limit, a header
// over the read buffer, a request it cannot parse) carry the same security
// headers as every other page and API answer. Fiber renders them with a
// fresh context, so securityHeaders never ran for them: a page with no
// Content-Security-Policy and no frame protection.
//
// The requests go over a real socket: Fiber's Test returns the server's
// error instead of the answer a browser gets.
func TestServerErrorsCarrySecurityHeaders(t *testing.T) {
	e := newEnv(t)
	send := rawSender(t, e)
	// What an ordinary page answer carries is what every answer must.
	normal, body := send(t, "GET /login HTTP/1.1\r\nHost: copylab.test\r\nConnection: close\r\n\r\n")
	wantStatus(t, normal, http.StatusOK, body)
	names := []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
		"Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy"}
	for _, name := range names {
		if normal.Header.Get(name) == "" {
			t.Fatalf("a page answer has no %s", name)
		}
	}
	if csp := normal.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("Content-Security-Policy %q lets other sites frame the pages", csp)
	}

	over := fmt.Sprintf("Content-Length: %d\r\n", bodyLimit+1) // declared; the server answers before reading it
	tests := []struct {
		name   string
		raw    string
		status int
	}{
		{"page body over the limit", "POST /login HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
			over + "Connection: close\r\n\r\n", http.StatusRequestEntityTooLarge},
		{"API body over the limit", "POST /api/v1/sites HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: application/json\r\n" +
			over + "Connection: close\r\n\r\n", http.StatusRequestEntityTooLarge},
		{"header over the buffer", "GET /login HTTP/1.1\r\nHost: copylab.test\r\nCookie: x=" + strings.Repeat("a", 20<<10) +
			"\r\nConnection: close\r\n\r\n", http.StatusRequestHeaderFieldsTooLarge},
		{"malformed request", "POST /login HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: many\r\nConnection: close\r\n\r\n",
			http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, tt.raw)
			wantStatus(t, resp, tt.status, body)
			for _, name := range names {
				if got, want := resp.Header.Get(name), normal.Header.Get(name); got != want {
					t.Errorf("%s %q, want %q", name, got, want)
				}
			}
			if origin := resp.Header.Get("Access-Control-Allow-Origin"); origin != "" {
				t.Errorf("Access-Control-Allow-Origin %q on an own answer", origin)
			}
		})
	}

	// The public paths keep their own set: other sites' pages load the
	// tag and read the events' answers, so no frame or resource policy,
	// and CORS so that the site's code can read why it was refused.
	public := []struct {
		name, path, csp string
	}{
		{"events body over the limit", "/e", ""},
		{"tag body over the limit", "/s/copylab.js", normal.Header.Get("Content-Security-Policy")},
	}
	for _, tt := range public {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, "POST "+tt.path+" HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\n"+
				"Content-Type: text/plain\r\n"+over+"Connection: close\r\n\r\n")
			wantStatus(t, resp, http.StatusRequestEntityTooLarge, body)
			for name, want := range map[string]string{
				"X-Content-Type-Options":       "nosniff",
				"Content-Security-Policy":      tt.csp,
				"X-Frame-Options":              "",
				"Cross-Origin-Resource-Policy": "cross-origin",
				"Access-Control-Allow-Origin":  "*",
			} {
				if got := resp.Header.Get(name); got != want {
					t.Errorf("%s %q, want %q", name, got, want)
				}
			}
		})
	}
}
