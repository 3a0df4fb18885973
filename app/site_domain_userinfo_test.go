package app

import (
	"html"
	"net/http"
	"net/url"
	"testing"
)

// TestSiteDomainUserinfoRefused: a domain with a user name ("@") or a
// fragment ("#") after its host is refused with a sentence that says what
// to leave out,
// by the form, the settings form and the API alike, and nothing changes.
// Before, shop.example@evil.example was saved as evil.example, the part
// after "@", and shop.example#@evil as shop.example: neither as the
// person read it. An "@" or a "#" after a pasted URL's path or query is
// no part of the host, and is cut off as before.
func TestSiteDomainUserinfoRefused(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	const (
		user     = "Leave out the user name and the “@”: enter only the site's domain, such as example.com."
		fragment = "Leave out the “#” and what follows it: enter only the site's domain, such as example.com."
	)
	for _, tt := range []struct{ in, msg string }{
		{"shop.example@evil.example", user},
		{"https://shop.example@evil.example/", user},
		{"https://ann:pw@shop.example/pricing", user},
		{"@shop.example", user},
		{"shop.example#@evil", fragment},
		{"shop.example#top", fragment},
		{"https://shop.example#plans", fragment},
		{"shop.example#x/@evil.example", fragment},
	} {
		t.Run(tt.in, func(t *testing.T) {
			resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":`+quoteJS(tt.in)+`}`)
			wantStatus(t, resp, http.StatusUnprocessableEntity, "")
			if errObj, _ := out["error"].(map[string]any); errObj["code"] != "invalid_domain" || errObj["field"] != "domain" || errObj["message"] != tt.msg {
				t.Errorf("API answer %v, want invalid_domain on domain: %q", out, tt.msg)
			}

			resp, body := c.post("/sites", url.Values{"name": {"Shop"}, "domain": {tt.in}})
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, html.UnescapeString(body), tt.msg)

			form := url.Values{"name": {"Shop"}, "domain": {tt.in}, "hide_timeout_ms": {"1000"}}
			resp, body = c.post("/sites/"+site.ID+"/settings", form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, html.UnescapeString(body), tt.msg)
			if s, err := e.store.Site(t.Context(), site.ID); err != nil || s.Domain != "example.com" {
				t.Errorf("the settings stored %q (%v)", s.Domain, err)
			}
		})
	}
	_, out := e.api(http.MethodGet, "/api/v1/sites", tok, "")
	if sites, _ := out["sites"].([]any); len(sites) != 1 {
		t.Errorf("sites now: %v, want the one made before", out)
	}

	for _, in := range []string{"https://shop.example/pricing?ref=ann@example.com", "shop.example/a//b@c", "https://shop.example/pricing#plans@x"} {
		resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":`+quoteJS(in)+`}`)
		wantStatus(t, resp, http.StatusCreated, "")
		if out["domain"] != "shop.example" {
			t.Errorf("%s: an @ after the host: stored %v, want shop.example", in, out["domain"])
		}
	}
}
