package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestPreviewLinksOfAWildcardPage: a page pattern with a * has no one URL
// to link to, so each preview row says which parameter to add, as a
// sentence whose words keep their spaces around the code ("Add ?copylab=…
// to the URL of a page that matches /pricing/*."). A page without a *
// links to the page itself, and so does one whose only * ends its path
// (/pricing* links /pricing).
func TestPreviewLinksOfAWildcardPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	wild := e.experimentOn(site.ID, "Plans", "/pricing/*", heroSelector, "Original headline", "New headline")
	one := e.experimentOn(site.ID, "Home", "/", `[data-copylab="home"]`, "Original headline", "New headline")

	cells := func(id string) []string {
		t.Helper()
		resp, body := c.get("/experiments/" + id)
		wantStatus(t, resp, http.StatusOK, body)
		var out []string
		for _, sec := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "preview" }) {
			for _, td := range findAll(sec, func(n *xhtml.Node) bool { return attrOf(n, "data-label") == "Link" }) {
				out = append(out, strings.Join(strings.Fields(textOf(td)), " "))
			}
		}
		return out
	}

	got := cells(wild.ID)
	want := []string{
		"Add ?copylab=" + wild.ID + ":control to the URL of a page that matches /pricing/*.",
		"Add ?copylab=" + wild.ID + ":b to the URL of a page that matches /pricing/*.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("a wildcard page's preview rows read\n%q\nwant\n%q", got, want)
	}

	// A pattern that only adds a * to one page's path (/pricing*) links
	// that page, which it matches: /pricing itself.
	stem := e.experimentOn(site.ID, "Pricing", "/pricing*", `[data-copylab="plans"]`, "Original headline", "New headline")
	got = cells(stem.ID)
	want = []string{"Preview Original (opens in a new tab): https://example.com/pricing?copylab=" + stem.ID + ":control",
		"Preview Variant B (opens in a new tab): https://example.com/pricing?copylab=" + stem.ID + ":b"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("/pricing*'s preview rows read\n%q\nwant\n%q", got, want)
	}

	got = cells(one.ID)
	want = []string{"Preview Original (opens in a new tab): https://example.com/?copylab=" + one.ID + ":control",
		"Preview Variant B (opens in a new tab): https://example.com/?copylab=" + one.ID + ":b"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("one page's preview rows read\n%q\nwant\n%q", got, want)
	}
}
