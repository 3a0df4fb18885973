package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestTagAndConfigErrorsConsistent: the tag's answers share one content
// type, its 429 included (it said application/javascript where the 200,
// 400 and 404 say text/javascript), and the JSON config's refusals carry
// the reason in X-Copylab, as the tag's do, so that a developer reads it
// in the network panel whichever address the site loads.
func TestTagAndConfigErrorsConsistent(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.RateIP = 2; c.RateSite = -1 }) // burst 4
	site, _ := e.runningExperiment()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, path, nil))
		return resp, readBody(t, resp)
	}
	wantType := func(t *testing.T, resp *http.Response, prefix string) {
		t.Helper()
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, prefix) {
			t.Errorf("%d: Content-Type %q, want %s", resp.StatusCode, ct, prefix)
		}
	}
	resp, body := get("/s/" + site.Key + ".js")
	wantStatus(t, resp, http.StatusOK, body)
	wantType(t, resp, "text/javascript")
	resp, body = get("/s/aaaaaaaaaaaaaaaa.js")
	wantStatus(t, resp, http.StatusNotFound, body)
	wantType(t, resp, "text/javascript")
	resp, body = get("/s/aaaaaaaaaaaaaaaa.json")
	wantStatus(t, resp, http.StatusNotFound, body)
	wantType(t, resp, "application/json")
	if h := resp.Header.Get("X-Copylab"); h != "unknown_site" {
		t.Errorf("the config's 404: X-Copylab %q, want unknown_site", h)
	}
	get("/s/" + site.Key + ".json") // the fourth request of the burst

	resp, body = get("/s/" + site.Key + ".js")
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	wantType(t, resp, "text/javascript")
	if h := resp.Header.Get("X-Copylab"); h != "rate_limited" {
		t.Errorf("the tag's 429: X-Copylab %q", h)
	}
	resp, body = get("/s/" + site.Key + ".json")
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	wantType(t, resp, "application/json")
	wantContains(t, body, `"code":"rate_limited"`)
	if h := resp.Header.Get("X-Copylab"); h != "rate_limited" {
		t.Errorf("the config's 429: X-Copylab %q, want rate_limited as the tag's", h)
	}
}
