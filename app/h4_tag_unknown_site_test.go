package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnknownSiteHasOneCode: a key no site has is refused everywhere with
// the one machine code unknown_site in X-Copylab, so that a developer
// (or a script) reading the network panel matches one spelling: on the
// tag in all its forms, on its JSON config, and as the CODE part of the
// events endpoint's "rejected: CODE: sentence".
func TestUnknownSiteHasOneCode(t *testing.T) {
	e := newEnv(t)
	const key = "aaaaaaaaaaaaaaaa"

	for _, path := range []string{
		"/s/" + key + ".js",
		"/s/" + key + ".0123456789abcdef.js",
		"/s/" + key + ".js?guard=1",
		"/s/" + key + ".js?p=01900000-0000-7000-8000-000000000000:b",
		"/s/nope.js", // not even a key's shape
		"/s/" + key + ".json",
	} {
		resp := e.do(newRequest(http.MethodGet, path, nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusNotFound, body)
		if got := resp.Header.Get("X-Copylab"); got != "unknown_site" {
			t.Errorf("%s: X-Copylab %q, want unknown_site", path, got)
		}
	}

	resp := e.postEvents(eventBody(key, "v", "01900000-0000-7000-8000-000000000000", "b", false))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusNotFound, body)
	if got := resp.Header.Get("X-Copylab"); !strings.HasPrefix(got, "rejected: unknown_site: ") {
		t.Errorf("POST /e: X-Copylab %q, want rejected: unknown_site: …", got)
	}
}
