package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetricsTwoAuthorizations: with two Authorization headers the
// metrics token does not act, in either order, rather than the first
// being read: otherwise the order a proxy or a client library adds them
// in decides whether the token acts. Outside --metrics-allow the answer
// is the same 404 as without a token (nothing tells that /metrics is
// there).
func TestMetricsTwoAuthorizations(t *testing.T) {
	const token = "metrics-token-0123456789"
	tests := []struct {
		name  string
		first string
		last  string
	}{
		{name: "token last", first: "Bearer x", last: "Bearer " + token},
		{name: "token first", first: "Bearer " + token, last: "Bearer x"},
		{name: "token twice", first: "Bearer " + token, last: "Bearer " + token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, func(c *Config) {
				c.MetricsAllow = []string{"none"}
				c.MetricsToken = token
			})
			req := newRequest(http.MethodGet, "/metrics", nil)
			req.Header.Add("Authorization", tt.first)
			req.Header.Add("Authorization", tt.last)
			resp := e.do(req)
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusNotFound, body)
			wantNotContains(t, body, "copylab_")
		})
	}

	// One header with the token still reads them; without a token
	// configured the headers are not read at all, and /metrics stays a
	// 404 to an address outside --metrics-allow.
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"none"}; c.MetricsToken = token })
	req := newRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp := e.do(req)
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	if !strings.Contains(body, "go_goroutines") {
		t.Errorf("no metrics in %q", body)
	}
	e = newEnvWith(t, nil)
	req = newRequest(http.MethodGet, "/metrics", nil)
	req.Header.Add("Authorization", "Bearer x")
	req.Header.Add("Authorization", "Bearer y")
	resp = e.do(req)
	body = readBody(t, resp)
	wantStatus(t, resp, http.StatusNotFound, body)
}
