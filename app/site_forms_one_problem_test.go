package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestSiteFormsOneProblemWords: the site page's recorders and settings
// forms say "the problem" for one, as the experiment form does, not "the
// 1 problem"; two are still counted.
func TestSiteFormsOneProblemWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	c.get("/sites/" + site.ID)
	summary := func(body string) string {
		t.Helper()
		for _, n := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "role") == "alert" }) {
			return strings.Join(strings.Fields(textOf(n)), " ")
		}
		return ""
	}
	for _, tt := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"recorders, one", "/recorders", url.Values{"posthog.project_id": {"4242"}, "posthog.host": {"ftp://x"}},
			"Nothing was saved: please fix the problem marked below."},
		{"settings, one", "/settings", url.Values{"name": {"Shop"}, "domain": {"example.com"}, "hide_timeout_ms": {"50"}},
			"Nothing was saved: please fix the problem marked below."},
		{"settings, two", "/settings", url.Values{"name": {""}, "domain": {"example.com"}, "hide_timeout_ms": {"50"}},
			"Nothing was saved: please fix the 2 problems marked below."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/sites/"+site.ID+tt.path, tt.form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			if got := summary(body); got != tt.want {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
		})
	}
}
