package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// elementInTestNotice reads the experiment page's notice that another
// test has its element: its text and the link it gives ("" when none).
func elementInTestNotice(t *testing.T, body string) (text, link string) {
	t.Helper()
	for _, n := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "element-in-test" }) {
		text = textOf(n)
		for _, a := range findAll(n, func(n *xhtml.Node) bool { return n.Data == "a" }) {
			link = attrOf(a, "href")
		}
	}
	return text, link
}

// TestStartRefusedWhileElementInTest: while a test of an element runs, a
// second test of the same element that certainly reaches the same pages
// (the same pattern, * on either side, a page the other's glob matches,
// the same path with a query) is refused at Start and at Resume, in the
// API (409 element_in_test, the other named, nothing changed) and on the
// page (the sentence, and a notice linking to the other test; no Start
// button, since it is refused). Stopping the other lets it start.
func TestStartRefusedWhileElementInTest(t *testing.T) {
	// Where the two meet: the same pages, or the running test's pattern
	// when one only contains the other (a draft on * is not refused for
	// "the same pages" as a test on /pricing).
	const same = "on the same pages"
	for _, tc := range []struct{ name, running, next, where string }{
		{"same page", "/pricing", "/pricing", same},
		{"trailing slash", "/pricing", "/pricing/", same},
		{"running on every page", "*", "/pricing", "on pages this one reaches too (it runs on *)"},
		{"next on every page", "/pricing", "*", "on pages this one reaches too (it runs on /pricing)"},
		{"a page the glob matches", "/pricing*", "/pricing", "on pages this one reaches too (it runs on /pricing*)"},
		{"the same path with a query", "/pricing", "/pricing?plan=pro", "on pages this one reaches too (it runs on /pricing)"},
		{"a narrower glob", "/blog/*", "/blog/2024/*", "on pages this one reaches too (it runs on /blog/*)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refusal := "“Running” already tests this element " + tc.where + ", and two tests on one element spoil each other’s results. Stop it first, or test another element."
			e := newEnv(t)
			token := e.token("api@example.com")
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			running := e.transition(e.experimentOn(site.ID, "Running", tc.running, heroSelector, "Original", "Running copy").ID, experiments.ActionStart)
			next := e.experimentOn(site.ID, "Next", tc.next, heroSelector, "Original", "Next copy")
			tag := e.tagBody(site.Key)

			resp, out := e.api("POST", "/api/v1/experiments/"+next.ID+"/start", token, "")
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("start: %d %v", resp.StatusCode, out)
			}
			errBody, _ := out["error"].(map[string]any)
			conflict, _ := out["conflict"].(map[string]any)
			if errBody["code"] != "element_in_test" || errBody["message"] != refusal || conflict["id"] != running.ID || conflict["name"] != "Running" {
				t.Errorf("start: %v, want element_in_test naming %s", out, running.ID)
			}
			if got, _ := e.store.Experiment(t.Context(), next.ID); got.Status != experiments.StatusDraft || !got.StartedAt.IsZero() {
				t.Errorf("the refused start changed it: %s, started %v", got.Status, got.StartedAt)
			}
			if h, _ := e.store.History(t.Context(), next.ID); len(h) != 1 {
				t.Errorf("the refused start left history: %+v", h)
			}
			if got := e.tagBody(site.Key); got != tag || strings.Contains(got, "Next copy") {
				t.Errorf("the refused start changed the tag")
			}

			_, body := c.get("/experiments/" + next.ID)
			text, link := elementInTestNotice(t, body)
			if link != "/experiments/"+running.ID || !strings.Contains(text, "“Running” tests "+heroSelector+" "+tc.where+". ") ||
				!strings.Contains(text, "so this one cannot start until that test stops") {
				t.Errorf("the draft's notice: %q linking %q", text, link)
			}
			if b := pageButtons(t, body, next.ID, "/start"); len(b) != 0 {
				t.Errorf("Start buttons %+v, want none while the start is refused", b)
			}
			body = flashAfter(t, c, "/experiments/"+next.ID+"/start", nil)
			wantContains(t, withoutBdi(body), `<div class="flash flash-error" role="alert">`+refusal+`</div>`, "badge-draft")

			// The other stopped, it starts; the notice goes.
			e.transition(running.ID, experiments.ActionStop)
			_, body = c.get("/experiments/" + next.ID)
			if text, _ := elementInTestNotice(t, body); text != "" {
				t.Errorf("the notice stays after the other test stopped: %q", text)
			}
			resp, out = e.api("POST", "/api/v1/experiments/"+next.ID+"/start", token, "")
			if resp.StatusCode != http.StatusOK || out["status"] != "running" {
				t.Fatalf("start once the other stopped: %d %v", resp.StatusCode, out)
			}
		})
	}
}

// TestResumeRefusedWhileElementInTest: a test paused while another test of
// its element started on pages that include its own cannot resume until that one
// stops, in the API and on the page, which links to it.
func TestResumeRefusedWhileElementInTest(t *testing.T) {
	e := newEnv(t)
	token := e.token("api@example.com")
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	paused := e.transition(e.experimentOn(site.ID, "Paused", "/pricing", heroSelector).ID, experiments.ActionStart)
	e.transition(paused.ID, experiments.ActionPause)
	other := e.transition(e.experimentOn(site.ID, "Newer", "*", heroSelector).ID, experiments.ActionStart)

	// A started test's element is fixed: the refusal does not offer
	// another one.
	const refusal = "“Newer” already tests this element on pages this one reaches too (it runs on *), and two tests on one element spoil each other’s results. Stop it first."
	resp, out := e.api("POST", "/api/v1/experiments/"+paused.ID+"/resume", token, "")
	errBody, _ := out["error"].(map[string]any)
	if resp.StatusCode != http.StatusConflict || errBody["code"] != "element_in_test" || errBody["message"] != refusal {
		t.Fatalf("resume: %d %v", resp.StatusCode, out)
	}
	// Start on a paused test is a resume: refused alike.
	if resp, out := e.api("POST", "/api/v1/experiments/"+paused.ID+"/start", token, ""); resp.StatusCode != http.StatusConflict {
		t.Errorf("start of a paused test: %d %v", resp.StatusCode, out)
	}
	if got, _ := e.store.Experiment(t.Context(), paused.ID); got.Status != experiments.StatusPaused {
		t.Errorf("the refused resume changed the status to %s", got.Status)
	}

	_, body := c.get("/experiments/" + paused.ID)
	text, link := elementInTestNotice(t, body)
	if link != "/experiments/"+other.ID || !strings.Contains(text, "so this one cannot resume until that test stops") {
		t.Errorf("the paused test's notice: %q linking %q", text, link)
	}
	body = flashAfter(t, c, "/experiments/"+paused.ID+"/resume", nil)
	wantContains(t, withoutBdi(body), refusal, "badge-paused")

	e.transition(other.ID, experiments.ActionStop)
	body = flashAfter(t, c, "/experiments/"+paused.ID+"/resume", nil)
	wantContains(t, body, "Resumed. Visitors see the variants again", "badge-running")
}

// TestStartWarnsWhereElementPagesMayMeet: a running test of the same
// element on pages that only may meet these (two different globs) is no
// reason to refuse: Start warns, as before, and starts; one of the same
// selector on other pages is no test of this element at all.
func TestStartWarnsWhereElementPagesMayMeet(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://example.com/pricing")
	e.transition(e.experimentOn(site.ID, "Comments", "/*/comments", heroSelector).ID, experiments.ActionStart)
	e.transition(e.experimentOn(site.ID, "About", "/about", heroSelector).ID, experiments.ActionStart)
	blog := e.experimentOn(site.ID, "Blog", "/blog/*", heroSelector)

	_, body := c.get("/experiments/" + blog.ID)
	if text, _ := elementInTestNotice(t, body); text != "" {
		t.Errorf("a notice where the pages only may meet: %q", text)
	}
	b := pageButtons(t, body, blog.ID, "/start")
	if len(b) != 1 || !strings.HasSuffix(b[0].confirm, " “Comments” tests this element too, on pages that may meet these (it runs on /*/comments): on a page both reach, the two tests undo each other’s copy. Start it only if no page of your site matches both.") {
		t.Errorf("Start buttons %+v, want one warning of “Comments”", b)
	}
	body = flashAfter(t, c, "/experiments/"+blog.ID+"/start", nil)
	wantContains(t, body, "Started. Within a minute, visitors see the variants.", "badge-running")

	// /about never meets /pricing: nothing to warn of.
	pricing := e.experimentOn(site.ID, "Pricing", "/pricing", heroSelector)
	_, body = c.get("/experiments/" + pricing.ID)
	if b := pageButtons(t, body, pricing.ID, "/start"); len(b) != 1 || strings.Contains(b[0].confirm, "already tests") {
		t.Errorf("Start buttons %+v, want no warning", b)
	}
}
