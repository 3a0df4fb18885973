package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestPublicErrorsCarryCORS: answers to the public paths that the HTTP
// server or the router gives before the public routes' middleware runs
// (a body over the app's 1 MiB limit, a method the path does not take)
// carry the same CORS headers as the public routes, so that a site's
// own code can read why it was refused. Pages and the API do not.
//
// The requests go over a real socket: for a body over the limit, Fiber's
// Test returns the server's error, not the answer a browser gets.
func TestPublicErrorsCarryCORS(t *testing.T) {
	e := newEnv(t)
	send := rawSender(t, e)

	const huge = bodyLimit + 1 // declared; the server answers before reading it
	tests := []struct {
		name   string
		method string
		path   string
		length int
		status int
		cors   bool
	}{
		{"events over the app's limit", http.MethodPost, "/e", huge, http.StatusRequestEntityTooLarge, true},
		{"events with GET", http.MethodGet, "/e", 0, http.StatusMethodNotAllowed, true},
		{"events with PUT", http.MethodPut, "/e", 0, http.StatusMethodNotAllowed, true},
		{"tag with POST", http.MethodPost, "/s/copylab.js", 0, http.StatusMethodNotAllowed, true},
		{"tag over the app's limit", http.MethodPost, "/s/copylab.js", huge, http.StatusRequestEntityTooLarge, true},
		{"page over the app's limit", http.MethodPost, "/login", huge, http.StatusRequestEntityTooLarge, false},
		{"API over the app's limit", http.MethodPost, "/api/v1/sites", huge, http.StatusRequestEntityTooLarge, false},
		{"page with another method", http.MethodPut, "/login", 0, http.StatusMethodNotAllowed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := send(t, fmt.Sprintf("%s %s HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\n"+
				"Content-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", tt.method, tt.path, tt.length))
			wantStatus(t, resp, tt.status, raw)
			origin := resp.Header.Get("Access-Control-Allow-Origin")
			switch {
			case tt.cors && origin != "*":
				t.Errorf("Access-Control-Allow-Origin %q, want *", origin)
			case !tt.cors && origin != "":
				t.Errorf("Access-Control-Allow-Origin %q, want none", origin)
			}
			if c := resp.Header.Get("Access-Control-Allow-Credentials"); c != "" {
				t.Errorf("Access-Control-Allow-Credentials %q, want none", c)
			}
			if tt.cors && !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Copylab") {
				t.Error("the site's code cannot read X-Copylab")
			}
		})
	}
}
