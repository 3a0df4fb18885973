package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestShipWaitsForRunningTest: shipping a variant of an element that
// another running test may reach on these pages (/blog/* and
// /*/comments) does not show it: the tag leaves it out while that test
// decides the element's copy. The Ship question says so before, and the
// flash after, naming the test, instead of "every visitor now sees".
func TestShipWaitsForRunningTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Blog")
	e.transition(e.experimentOn(site.ID, "Blog A", "/blog/*", heroSelector, "Original A", "Copy A").ID, experiments.ActionStart)
	b := e.transition(e.experimentOn(site.ID, "Blog B", "/*/comments", heroSelector, "Original B", "Comments headline").ID, experiments.ActionStart)

	const waits = "While “\u2068Blog A\u2069” runs on this element, Variant B is not shown: it shows once it stops."
	_, body := c.get("/experiments/" + b.ID)
	ship := pageButtons(t, body, b.ID, "/ship")
	if len(ship) != 1 || !strings.Contains(ship[0].confirm, waits) {
		t.Errorf("Ship buttons %+v, want one saying %q", ship, waits)
	}
	body = flashAfter(t, c, "/experiments/"+b.ID+"/ship", url.Values{"variant": {"b"}})
	wantContains(t, withoutBdi(body), "Shipped Variant B, uncounted. "+waits)
	if strings.Contains(body, "every visitor now sees") {
		t.Error("the flash says every visitor sees the variant, which the tag leaves out")
	}
	if tag := e.tagBody(site.Key); strings.Contains(tag, "Comments headline") {
		t.Error("the tag has the shipped copy while the other test runs")
	}

	// With nothing running on the element, a ship shows at once.
	other := e.site("Shop")
	x := e.transition(e.experimentOn(other.ID, "Hero", "/", heroSelector, "Original", "New headline").ID, experiments.ActionStart)
	resp, _ := c.get("/experiments/" + x.ID)
	wantStatus(t, resp, http.StatusOK, "")
	body = flashAfter(t, c, "/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}})
	wantContains(t, body, "Shipped: every visitor now sees Variant B, uncounted, within a minute.")
}
