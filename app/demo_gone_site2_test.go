package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// demoBanner is the words of the demo page's banner.
func demoBanner(t *testing.T, body string) string {
	t.Helper()
	asides := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "aside" && attrOf(n, "class") == "demo-banner" })
	if len(asides) != 1 {
		t.Fatalf("%d demo banners in %.2000s", len(asides), body)
	}
	return strings.Join(strings.Fields(textOf(asides[0])), " ")
}

// TestDemoGone: the demo page's banner says what became of the demo. On a
// database nobody has set up, the demo "does not exist (it is created
// with the first account)", as before. Once it was made, a paused or
// stopped demo experiment is named as such, a deleted one is said to be
// deleted, and a demo site deleted (or renamed) is said to be gone:
// none of them claims the page runs a test, or that the first account
// would bring the demo back. Found by a fresh-eyes review: after the demo
// experiment was stopped and deleted the page still said it was created
// with the first account, or called the headline an A/B test.
func TestDemoGone(t *testing.T) {
	const neverMade = "The demo experiment does not exist (it is created with the first account). This page shows its original copy."
	e := newEnv(t)
	banner := func() string {
		t.Helper()
		resp, body := e.client().get("/demo")
		wantStatus(t, resp, http.StatusOK, body)
		return demoBanner(t, body)
	}
	if got := banner(); !strings.Contains(got, neverMade) {
		t.Errorf("before setup: %q", got)
	}

	c := e.signIn("owner@example.com")
	ctx := t.Context()
	if err := e.app.createDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	x, ok, err := e.app.demoExperiment(ctx)
	if err != nil || !ok {
		t.Fatalf("demo experiment: %v %v", ok, err)
	}
	if got := banner(); !strings.Contains(got, "The headline below is an A/B test run by copylab.") {
		t.Errorf("running: %q", got)
	}

	for _, tt := range []struct {
		name, action, want string
	}{
		{"paused", experiments.ActionPause, "The demo experiment, “Demo: landing headline”, is paused, so the headline below is not being tested and clicks are not counted."},
		{"stopped", experiments.ActionStop, "The demo experiment, “Demo: landing headline”, is stopped, so the headline below is not being tested and clicks are not counted."},
	} {
		e.transition(x.ID, tt.action)
		if got := banner(); !strings.Contains(got, tt.want) || strings.Contains(got, "A/B test run by copylab") || strings.Contains(got, "does not exist") {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}

	resp, body := c.post("/experiments/"+x.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got, want := banner(), "The demo experiment was deleted, so this page tests nothing and counts no clicks. Setup made it with the first account: an A/B test of this headline, for trying copylab without a website of your own. A deleted experiment does not come back."; !strings.Contains(got, want) {
		t.Errorf("deleted: %q, want %q", got, want)
	}

	site, _, err := e.app.demoSite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.DeleteSite(ctx, site.ID); err != nil {
		t.Fatal(err)
	}
	got := banner()
	if want := "No site is named “Demo site” now, so this page tests nothing and shows its original copy."; !strings.Contains(got, want) {
		t.Errorf("the demo site deleted: %q, want %q", got, want)
	}
	if strings.Contains(got, neverMade) {
		t.Errorf("the demo site deleted: still %q", neverMade)
	}
}
