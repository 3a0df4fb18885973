package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestH6DomainPortWords: a domain whose port is out of range is told so,
// also when the name before it is no domain either.
func TestH6DomainPortWords(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	for _, d := range []string{"http://a:99999", "example.com:123456", "example.com:abc", "example.com:99999"} {
		resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":"`+d+`"}`)
		code, field, msg := apiError(out)
		if resp.StatusCode != http.StatusUnprocessableEntity || code != "invalid_domain" || field != "domain" || !strings.Contains(msg, "port from 1 to 65535") {
			t.Errorf("%s: %d %s %s %q, want the port's words", d, resp.StatusCode, code, field, msg)
		}
	}
	resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":"a:8080"}`)
	if _, _, msg := apiError(out); resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(msg, "port") {
		t.Errorf("a:8080: %d %q, want the domain's words", resp.StatusCode, msg)
	}
}
