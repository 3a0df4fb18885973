package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// warningsOf returns the codes and messages of an answer's warnings.
func warningsOf(t *testing.T, out map[string]any) (codes []string, msgs string) {
	t.Helper()
	ws, _ := out["warnings"].([]any)
	for _, w := range ws {
		m := w.(map[string]any)
		codes = append(codes, m["code"].(string))
		msgs += m["message"].(string) + "\n"
	}
	return codes, msgs
}

// TestH8SiteDomainInUse: a site added on a domain another site has is
// still made, but the answer warns domain_in_use, naming that site, as
// the README's known limit says the two share the tag's storage; the form
// says so after saving, and a PATCH that moves a site there warns too.
func TestH8SiteDomainInUse(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	resp, first := e.api("POST", "/api/v1/sites", tok, `{"name":"Shop","domain":"shop.example"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(first))
	if _, ok := first["warnings"]; ok {
		t.Errorf("a first site warned: %v", first["warnings"])
	}

	resp, second := e.api("POST", "/api/v1/sites", tok, `{"name":"Shop again","domain":"https://Shop.example/pricing"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(second))
	codes, msgs := warningsOf(t, second)
	if len(codes) != 1 || codes[0] != "domain_in_use" {
		t.Fatalf("warnings %v", second["warnings"])
	}
	wantContains(t, msgs, "“Shop”", first["id"].(string), "shop.example", "storage")

	// Another port is another origin.
	resp, out := e.api("POST", "/api/v1/sites", tok, `{"name":"Staging","domain":"shop.example:8443"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if _, ok := out["warnings"]; ok {
		t.Errorf("another port warned: %v", out["warnings"])
	}
	staging := out["id"].(string)

	// Moved onto the domain by PATCH: warned, naming both others.
	resp, out = e.api("PATCH", "/api/v1/sites/"+staging, tok, `{"domain":"shop.example"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	codes, msgs = warningsOf(t, out)
	if len(codes) != 1 || codes[0] != "domain_in_use" {
		t.Fatalf("PATCH warnings %v", out["warnings"])
	}
	wantContains(t, msgs, "“Shop”", "“Shop again”")
	// A rename alone says nothing of the domain.
	resp, out = e.api("PATCH", "/api/v1/sites/"+staging, tok, `{"name":"Staging 2"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if _, ok := out["warnings"]; ok {
		t.Errorf("a rename warned: %v", out["warnings"])
	}
	// GET answers carry no warnings.
	_, out = e.api("GET", "/api/v1/sites/"+second["id"].(string), tok, "")
	if _, ok := out["warnings"]; ok {
		t.Errorf("GET warned: %v", out["warnings"])
	}

	// The form: saved, and the page says it shares the domain.
	c := e.signIn("page@example.com")
	resp, body := c.post("/sites", url.Values{"name": {"Shop <3>"}, "domain": {"shop.example"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	resp, body = c.get(resp.Header.Get("Location"))
	wantStatus(t, resp, http.StatusOK, body)
	text := html.UnescapeString(body)
	wantContains(t, withoutBdi(text), "Site added", "“Shop”", "shop.example", "storage")
	// A save that carries a warning looks like one, not like a plain
	// success.
	wantContains(t, body, `class="flash flash-warn" role="status"`)
	if strings.Contains(body, "<3>") {
		t.Errorf("the site's name was not escaped")
	}
	resp, body = c.post("/sites", url.Values{"name": {"Blog"}, "domain": {"blog.example"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "Site added", `class="flash flash-ok"`)
	wantNotContains(t, html.UnescapeString(body), "storage")
}

// TestH8SiteSettingsDomainInUse: the site's settings form, moving the
// site onto another site's domain, saves it and says so; saving other
// settings says nothing of the domain.
func TestH8SiteSettingsDomainInUse(t *testing.T) {
	e := newEnv(t)
	shop := e.site("Shop") // example.com
	blog, err := e.store.CreateSite(t.Context(), experiments.Site{Name: "Blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.signIn("page@example.com")
	c.get("/sites/" + blog.ID)
	form := url.Values{"name": {"Blog"}, "domain": {"example.com"}, "hide_timeout_ms": {"1500"}}
	resp, body := c.post("/sites/"+blog.ID+"/settings", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, html.UnescapeString(withoutBdi(body)), "Settings saved.", "“"+shop.Name+"”", "storage", `class="flash flash-warn"`)
	form.Set("name", "Blog two")
	resp, body = c.post("/sites/"+blog.ID+"/settings", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "Settings saved.", `class="flash flash-ok"`)
	wantNotContains(t, html.UnescapeString(body), "share the tag's storage")
}
