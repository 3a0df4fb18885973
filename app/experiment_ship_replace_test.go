package app

import (
	"html"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// replacedNotice reads the experiment page's notice that another
// experiment's shipped copy replaced its own: its text and link.
func replacedNotice(t *testing.T, body string) (text, link string) {
	t.Helper()
	for _, n := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "replaced" }) {
		text = textOf(n)
		for _, a := range findAll(n, func(n *xhtml.Node) bool { return n.Data == "a" }) {
			link = attrOf(a, "href")
		}
	}
	return text, link
}

// TestShipReplacesShippedCopyOfElement: shipping a variant on an element
// where another experiment has one shipped on the same pages (or on
// fewer) ends that older ship: the Ship button and its message say so,
// the tag carries only the newer copy, and the older experiment's page
// says, with a link, which copy replaced its own, as its history does.
// Unshipping the newer then brings back the page's own copy, not the
// older one.
func TestShipReplacesShippedCopyOfElement(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	token := e.token("api@example.com")
	site := e.site("Shop")
	old := e.shipped(site.ID, "Shipped headline")
	next := e.transition(e.experimentOn(site.ID, "Next", "*", heroSelector, "Original headline", "Newer headline").ID, experiments.ActionStart)

	_, body := c.get("/experiments/" + next.ID)
	const replaces = "It replaces Variant B of “Old”, shipped on the same element."
	ship := pageButtons(t, body, next.ID, "/ship")
	if len(ship) != 1 || !strings.Contains(ship[0].confirm, "(“Newer headline”) to every visitor? It replaces Variant B of “\u2068Old\u2069”, shipped on the same element.") {
		t.Errorf("Ship buttons %+v, want one saying %q", ship, replaces)
	}
	wantContains(t, body, `It replaces Variant B of “<a href="/experiments/`+old.ID+`" dir="auto">Old</a>”, shipped on the same element.`)

	body = flashAfter(t, c, "/experiments/"+next.ID+"/ship", map[string][]string{"variant": {"b"}})
	wantContains(t, withoutBdi(body), "Shipped: every visitor now sees Variant B, uncounted, within a minute. "+replaces)
	tag := e.tagBody(site.Key)
	wantContains(t, tag, "Newer headline")
	wantNotContains(t, tag, "Shipped headline")

	resp, out := e.api("GET", "/api/v1/experiments/"+old.ID, token, "")
	if resp.StatusCode != http.StatusOK || out["shipped_variant"] != "" || out["shipped_at"] != nil || out["status"] != "stopped" {
		t.Errorf("the older experiment: %d %v", resp.StatusCode, out)
	}
	_, body = c.get("/experiments/" + old.ID)
	text, link := replacedNotice(t, body)
	if link != "/experiments/"+next.ID || !strings.Contains(text, "visitors see Variant B of “Next” on this element instead of the copy shipped here") {
		t.Errorf("the older page's notice: %q linking %q", text, link)
	}
	wantNotContains(t, body, "Shipped: every visitor sees", "Stop showing it")
	wantContains(t, body, "Variant B no longer shown: Variant B of “<bdi>Next</bdi>”, shipped on the same element, replaced it.")
	_, body = c.get("/experiments/" + next.ID)
	wantContains(t, body, "Variant B shown to every visitor: “<bdi>Newer headline</bdi>”. It replaces Variant B of “<bdi>Old</bdi>”, shipped on the same element.")
	if text, _ := replacedNotice(t, body); text != "" {
		t.Errorf("the newer page says it was replaced: %q", text)
	}

	resp, out = e.api("POST", "/api/v1/experiments/"+next.ID+"/unship", token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("unship: %d %v", resp.StatusCode, out)
	}
	tag = e.tagBody(site.Key)
	wantNotContains(t, tag, "Newer headline", "Shipped headline")
	_, body = c.get("/experiments/" + old.ID)
	if text, _ := replacedNotice(t, body); text != "" {
		t.Errorf("the older page still names a copy that no longer shows: %q", text)
	}
}

// TestShipLeavesBroaderShippedCopy: a variant shipped on fewer pages than
// another experiment's shipped copy of the element replaces it only
// there: the older one stays shipped for its other pages, the tag writes
// the newer one last (it wins where both match), and nothing claims a
// replacement. A ship on another element, or on pages that never meet,
// leaves the older one alone too.
func TestShipLeavesBroaderShippedCopy(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	// The narrower one is created first, so only the order of the ships
	// can put it last in the tag.
	narrow := e.experimentOn(site.ID, "Narrow", "/pricing", heroSelector, "Original headline", "Narrow headline")
	broad := e.transition(e.experimentOn(site.ID, "Broad", "*", heroSelector, "Original headline", "Broad headline").ID, experiments.ActionStart)
	if _, err := e.store.Ship(t.Context(), broad.ID, "b"); err != nil {
		t.Fatal(err)
	}
	narrow = e.transition(narrow.ID, experiments.ActionStart)
	about := e.transition(e.experimentOn(site.ID, "About", "/about", `[data-copylab="tagline"]`, "Original", "About headline").ID, experiments.ActionStart)

	_, body := c.get("/experiments/" + narrow.ID)
	if ship := pageButtons(t, body, narrow.ID, "/ship"); len(ship) != 1 || strings.Contains(ship[0].confirm, "replaces") {
		t.Errorf("Ship buttons %+v, want no replacement", ship)
	}
	for _, x := range []experiments.Experiment{narrow, about} {
		body = flashAfter(t, c, "/experiments/"+x.ID+"/ship", map[string][]string{"variant": {"b"}})
		wantContains(t, body, "Shipped: every visitor now sees Variant B, uncounted, within a minute. Put the same copy")
	}
	if got, _ := e.store.Experiment(t.Context(), broad.ID); got.ShippedVariant != "b" {
		t.Errorf("the broader ship ended: %q", got.ShippedVariant)
	}
	tag := e.tagBody(site.Key)
	b, n := strings.Index(tag, "Broad headline"), strings.Index(tag, "Narrow headline")
	if b < 0 || n < 0 || n < b {
		t.Errorf("the tag writes Broad at %d and Narrow at %d; want both, the newer ship last", b, n)
	}
	wantContains(t, tag, "About headline")
	_, body = c.get("/experiments/" + broad.ID)
	wantContains(t, body, "Shipped: every visitor sees Variant B")
	if text, _ := replacedNotice(t, body); text != "" {
		t.Errorf("the broader page says it was replaced: %q", text)
	}

	// Stop showing the narrow copy: the broader one shows there again,
	// not the page's own, and both the question and the answer say so.
	_, body = c.get("/experiments/" + narrow.ID)
	back := "the shipped copy of “Broad” (Variant B)"
	wantContains(t, html.UnescapeString(body), `data-confirm="Stop showing this variant? Visitors will see `+back+`."`)
	body = flashAfter(t, c, "/experiments/"+narrow.ID+"/unship", nil)
	wantContains(t, html.UnescapeString(withoutBdi(body)), "Within a minute, visitors see "+back+".")
	// With none left on the element, the page's own copy comes back.
	_, body = c.get("/experiments/" + broad.ID)
	wantContains(t, html.UnescapeString(body), `Visitors will see your page's own copy again.`)
}
