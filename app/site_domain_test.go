package app

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSiteDomainPaths: the form, the settings form and the API store a
// site's domain by one rule (experiments.SiteDomain): a port stays unless
// it is the default of the scheme given (either 80 or 443 without one),
// whether it came alone or in a pasted URL; a name in any script is
// stored in its xn-- form; and the experiment page's QA links open the
// site's page there, with https, or http where the domain says so: on
// loopback, and on port 443, which only an http:// URL keeps.
func TestSiteDomainPaths(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	for _, tt := range []struct{ in, want, scheme string }{
		{"shop.example:8080", "shop.example:8080", "https"},
		{"https://Shop.Example:8080/pricing?x=1", "shop.example:8080", "https"},
		{"http://localhost:3000/", "localhost:3000", "http"},
		{"https://shop.example:443/", "shop.example", "https"},
		{"shop.example:443", "shop.example", "https"},
		{"https://shop.example:80/", "shop.example:80", "https"},
		// Only http:// keeps port 443, so the links open it with http.
		{"http://shop.example:443/", "shop.example:443", "http"},
		{"http://shop.example:80/", "shop.example", "https"},
		{"https://Bücher.example/preise", "xn--bcher-kva.example", "https"},
		{"bücher.example:8080", "xn--bcher-kva.example:8080", "https"},
		// Loopback: names under localhost, and 127.0.0.0/8.
		{"https://app.localhost:5173/", "app.localhost:5173", "http"},
		{"127.0.0.2:8000", "127.0.0.2:8000", "http"},
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
			wantContains(t, body, `href="`+tt.scheme+"://"+tt.want+`/pricing?copylab=`+x.ID+`:b"`)
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

// TestQALinksOnTheAppsOwnHost: a site on copylab's own address (the
// demo) gets QA links with copylab's scheme, however the public URL
// spells its port: the public URL is read as a site's domain would be
// typed, scheme included, so http://copylab.test:443 is copylab.test:443,
// not copylab.test. Another site on the same name but another port is
// not copylab, and gets the links any site gets. The demo site is made
// on copylab's address, port included.
func TestQALinksOnTheAppsOwnHost(t *testing.T) {
	for _, tt := range []struct{ public, domain, link string }{
		{"http://copylab.test:80", "copylab.test", "http://copylab.test"},
		{"http://copylab.test:443", "http://copylab.test:443", "http://copylab.test:443"},
		{"http://copylab.test:443", "copylab.test", "https://copylab.test"},
		{"https://copylab.test:80", "https://copylab.test:80", "https://copylab.test:80"},
		{"http://copylab.test:8080", "copylab.test:8080", "http://copylab.test:8080"},
		{"https://copylab.test", "copylab.test", "https://copylab.test"},
	} {
		t.Run(tt.public+" "+tt.domain, func(t *testing.T) {
			e := newEnvWith(t, func(c *Config) { c.PublicURL = tt.public })
			c := e.signIn("owner@example.com")
			site, err := e.store.CreateSite(t.Context(), experiments.Site{Name: "Shop", Domain: tt.domain})
			if err != nil {
				t.Fatal(err)
			}
			x := e.experiment(site.ID, "Hero")
			_, body := c.get("/experiments/" + x.ID)
			wantContains(t, body, `href="`+tt.link+`/pricing?copylab=`+x.ID+`:b"`)
		})
	}

	// The demo, on plain http at port 443.
	e := newEnvWith(t, func(c *Config) { c.PublicURL = "http://copylab.test:443" })
	c := e.signIn("owner@example.com")
	if err := e.app.createDemo(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	site, ok, err := e.app.demoSite(t.Context())
	if err != nil || !ok || site.Domain != "copylab.test:443" {
		t.Fatalf("demo site %q (%v, %v), want copylab.test:443", site.Domain, ok, err)
	}
	demo, _ := e.store.Experiments(t.Context(), experiments.ExperimentFilter{})
	_, body := c.get("/experiments/" + demo[0].ID)
	wantContains(t, body, `href="http://copylab.test:443/demo?copylab=`+demo[0].ID+`:b"`)
}

// TestSiteDomainUnicode: a site typed as bücher.example is stored as
// xn--bcher-kva.example, the name the tag sees, and shown to people in
// both forms: the sites list and the site page name it as typed, then as
// stored; the settings form holds it as typed, and saving that form, or
// the brand voice, keeps the domain as stored, port included, even a
// port 80 that a bare host would lose. What IDNA refuses is a 422 with
// invalid_domain beside the field, by the form and by the API alike.
func TestSiteDomainUnicode(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")

	resp, body := c.post("/sites", url.Values{"name": {"Bücher"}, "domain": {"https://Bücher.example:80/preise"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/sites/")
	const stored, shown = "xn--bcher-kva.example:80", "bücher.example:80"
	if site, err := e.store.Site(t.Context(), id); err != nil || site.Domain != stored {
		t.Fatalf("stored %q (%v), want %q", site.Domain, err, stored)
	}
	_, body = c.get("/sites")
	wantContains(t, body, shown+" ("+stored+")")
	_, body = c.get("/sites/" + id)
	wantContains(t, body, shown+" ("+stored+") · key", `name="domain" type="text" value="`+shown+`"`)

	// The settings form sent back as shown changes nothing of the domain.
	form := url.Values{"name": {"Bücher"}, "domain": {shown}, "hide_timeout_ms": {"1500"}}
	resp, body = c.post("/sites/"+id+"/settings", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	site, err := e.store.Site(t.Context(), id)
	if err != nil || site.Domain != stored || site.HideTimeoutMS != 1500 {
		t.Errorf("after saving the settings as shown: %q, %d ms (%v)", site.Domain, site.HideTimeoutMS, err)
	}

	// The QA links open the site at its xn-- name, on its port.
	x := e.experiment(id, "Hero")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, `href="https://`+stored+`/pricing?copylab=`+x.ID+`:b"`)

	// The API answers with the stored form.
	resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Bücher","domain":"bücher.example"}`)
	wantStatus(t, resp, http.StatusCreated, "")
	if out["domain"] != "xn--bcher-kva.example" {
		t.Errorf("the API stored %v", out["domain"])
	}

	// What IDNA refuses.
	const refused = "“xn--bcher-kvb” cannot be part of a domain; check its spelling."
	resp, body = c.post("/sites", url.Values{"name": {"Shop"}, "domain": {"xn--bcher-kvb.example"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-domain-error"`, html.EscapeString(refused))
	resp, out = e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":"a\u200db.example"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, "")
	errObj, _ := out["error"].(map[string]any)
	if errObj["code"] != "invalid_domain" || errObj["field"] != "domain" || errObj["message"] != "Remove the invisible character (U+200D) from the domain." {
		t.Errorf("API answer %v", out)
	}
	form.Set("domain", "1a.אב")
	resp, body = c.post("/sites/"+id+"/settings", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-domain-error"`, "Browsers cannot open this domain as written; check its spelling.")
}

// TestSiteDomainLabelTooLong: a part of a domain longer than DNS allows
// is told so beside the field, by the form and by the API alike, with the
// length of its xn-- form when it was typed in another script; not that
// the domain has spaces or a path.
func TestSiteDomainLabelTooLong(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")

	resp, body := c.post("/sites", url.Values{"name": {"Shop"}, "domain": {"https://" + strings.Repeat("bücher", 10) + ".example/"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-domain-error"`,
		html.EscapeString("Each part of a domain between dots has 63 characters at most; “bücherbücherbücherbü…” has 67 in its xn-- form."))
	wantNotContains(t, body, "no spaces or paths")

	resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, `{"name":"Shop","domain":"shop.`+strings.Repeat("a", 64)+`.example"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, "")
	errObj, _ := out["error"].(map[string]any)
	if errObj["code"] != "invalid_domain" || errObj["field"] != "domain" ||
		errObj["message"] != "Each part of a domain between dots has 63 characters at most; “aaaaaaaaaaaaaaaaaaaa…” has 64." {
		t.Errorf("API answer %v", out)
	}
}
