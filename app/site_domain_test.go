package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSiteDomainPaths: the form, the settings form and the API store a
// site's domain by one rule (experiments.SiteDomain): a port stays unless
// it is the default of the scheme given (either 80 or 443 without one),
// whether it came alone or in a pasted URL; and the experiment page's QA
// links open the site's page there.
func TestSiteDomainPaths(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	for _, tt := range []struct{ in, want string }{
		{"shop.example:8080", "shop.example:8080"},
		{"https://Shop.Example:8080/pricing?x=1", "shop.example:8080"},
		{"http://localhost:3000/", "localhost:3000"},
		{"https://shop.example:443/", "shop.example"},
		{"shop.example:443", "shop.example"},
		{"https://shop.example:80/", "shop.example:80"},
		{"http://shop.example:443/", "shop.example:443"},
		{"http://shop.example:80/", "shop.example"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			// The form.
			resp, body := c.post("/sites", url.Values{"name": {"Shop"}, "domain": {tt.in}})
			wantStatus(t, resp, http.StatusSeeOther, body)
			id := strings.TrimPrefix(resp.Header.Get("Location"), "/sites/")
			site, err := e.store.Site(t.Context(), id)
			if err != nil || site.Domain != tt.want {
				t.Fatalf("the form stored %q (%v), want %q", site.Domain, err, tt.want)
			}

			// The settings form, from another domain.
			form := url.Values{"name": {"Shop"}, "domain": {"other.example"}, "hide_timeout_ms": {"1000"}}
			resp, body = c.post("/sites/"+id+"/settings", form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			form.Set("domain", tt.in)
			resp, body = c.post("/sites/"+id+"/settings", form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			if site, err = e.store.Site(t.Context(), id); err != nil || site.Domain != tt.want {
				t.Errorf("the settings stored %q (%v), want %q", site.Domain, err, tt.want)
			}

			// The API.
			resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":`+quoteJS(tt.in)+`}`)
			wantStatus(t, resp, http.StatusCreated, "")
			if out["domain"] != tt.want {
				t.Errorf("the API stored %v, want %q", out["domain"], tt.want)
			}

			// The QA links open the site where it is.
			x := e.experiment(id, "Hero")
			_, body = c.get("/experiments/" + x.ID)
			scheme := "https://"
			if strings.HasPrefix(tt.want, "localhost") {
				scheme = "http://"
			}
			wantContains(t, body, `href="`+scheme+tt.want+`/pricing?copylab=`+x.ID+`:b"`)
		})
	}

	// A port no server listens on is refused beside the field, by the
	// form and by the API alike.
	resp, body := c.post("/sites", url.Values{"name": {"Shop"}, "domain": {"https://shop.example:70000/"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-domain-error"`, "Enter a port from 1 to 65535 after the colon, or leave it out.")
	resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":"shop.example:0"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, "")
	if errObj, _ := out["error"].(map[string]any); errObj["code"] != "invalid_domain" || errObj["field"] != "domain" {
		t.Errorf("API answer %v", out)
	}
}

// A site on copylab's own address gets QA links with copylab's scheme
// (the demo), however the public URL spells its default port.
func TestQALinksOnTheAppsOwnHost(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.PublicURL = "http://copylab.test:80" })
	c := e.signIn("owner@example.com")
	resp, body := c.post("/sites", url.Values{"name": {"Demo"}, "domain": {"copylab.test"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/sites/")
	x := e.experiment(id, "Hero")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, `href="http://copylab.test/pricing?copylab=`+x.ID+`:b"`)
}
