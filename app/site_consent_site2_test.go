package app

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// copyBoxValue is what the page's CopyBox with this id offers to copy.
func copyBoxValue(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<textarea id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no copy box %q on the page", id)
	}
	return html.UnescapeString(m[1])
}

// TestSitePageConsentTag: a site that needs opt-in consent finds on its
// page the tag that waits for it (data-consent="required"), what it does,
// and that the banner must call window.copylab?.consent(true) on every page, since
// the tag does not remember the answer (snippet.js). The API table's
// consent line points to it and no longer says that false shows the
// original copy (the page keeps its copy). The other tags stay as they
// were. Found by a fresh-eyes review: the on-page instructions sent data
// before consent.
func TestSitePageConsentTag(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, 200, body)

	src := testPublicURL + "/s/" + site.Key + ".js"
	if got, want := copyBoxValue(t, body, "tag"), `<script src="`+src+`"></script>`; got != want {
		t.Errorf("the tag %q, want it unchanged: %q", got, want)
	}
	if got, want := copyBoxValue(t, body, "consent-tag"), `<script src="`+src+`" data-consent="required"></script>`; got != want {
		t.Errorf("the consent tag %q, want %q", got, want)
	}
	_, card, _ := strings.Cut(body, `<details class="details" id="consent">`)
	card, _, _ = strings.Cut(card, "</details>")
	text := html.UnescapeString(card)
	wantContains(t, text, "Wait for consent first", "stores nothing in the browser and sends no events",
		"until your cookie banner calls <code>window.copylab?.consent(true)</code>", "call it on every page")

	_, api, _ := strings.Cut(body, "<code>window.copylab?.consent(true)</code></th>")
	api, _, _ = strings.Cut(api, "</tr>")
	wantContains(t, api, `<a href="#consent">the tag that waits for consent</a>`, "call this on every page")
	wantNotContains(t, api, "shows the original copy")
}
