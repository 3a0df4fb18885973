package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestExperimentFormOneProblemWords: with one problem the form's summary
// says "the problem", not "the 1 problem"; a goal selector's problem
// reads as one sentence after its label, "Goal selector: the selector …",
// and a goal page's the same.
func TestExperimentFormOneProblemWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	c.get("/experiments/new")
	form := func(goalType, goalSelector, goalURL string) *xhtml.Node {
		t.Helper()
		resp, body := c.post("/experiments", url.Values{
			"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {heroSelector},
			"goal_type": {goalType}, "goal_selector": {goalSelector}, "goal_url": {goalURL}, "coverage": {"100"},
			"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"},
		})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		return parseHTML(t, body)
	}
	text := func(doc *xhtml.Node, match func(*xhtml.Node) bool) string {
		for _, n := range findAll(doc, match) {
			return strings.Join(strings.Fields(textOf(n)), " ")
		}
		return ""
	}
	byID := func(id string) func(*xhtml.Node) bool {
		return func(n *xhtml.Node) bool { return attrOf(n, "id") == id }
	}
	summary := func(n *xhtml.Node) bool { return attrOf(n, "role") == "alert" }

	doc := form("click", "button[", "")
	if got, want := text(doc, summary), "Please fix the problem marked below."; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if got, want := text(doc, byID("f-goal-error")), "Goal selector: the selector has an unclosed bracket."; got != want {
		t.Errorf("goal message %q, want %q", got, want)
	}
	doc = form("pageview", "", "thanks")
	if got, want := text(doc, byID("f-goal-error")), "Goal page: start the page pattern with /, such as /thanks or /thanks*."; got != want {
		t.Errorf("goal message %q, want %q", got, want)
	}
	// A message that starts with a name in capitals keeps them.
	doc = form("click", "#1a", "")
	if got := text(doc, byID("f-goal-error")); !strings.HasPrefix(got, "Goal selector: an id or class") {
		t.Errorf("goal message %q", got)
	}

	resp, body := c.post("/experiments", url.Values{"op": {"save"}, "site_id": {site.ID}, "goal_type": {"click"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	if got := text(parseHTML(t, body), summary); !strings.HasPrefix(got, "Please fix the 4 problems marked below.") {
		t.Errorf("summary %q, want the 4 problems", got)
	}
}

// TestExperimentCopyDirAuto: the experiment page's copy (each variant's,
// and the shipped one's) is shown with dir="auto", so Arabic or Hebrew
// copy runs and aligns right to left.
func TestExperimentCopyDirAuto(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "ابدأ الآن", "New headline")
	e.transition(x.ID, "start")
	c.get("/experiments/" + x.ID)
	flashAfter(t, c, "/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}})
	_, body := c.get("/experiments/" + x.ID)
	copies := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Type == xhtml.ElementNode && strings.Contains(" "+attrOf(n, "class")+" ", " copy ")
	})
	if len(copies) != 3 { // the shipped copy, then the two variants
		t.Fatalf("%d copy paragraphs, want 3", len(copies))
	}
	for _, n := range copies {
		if attrOf(n, "dir") != "auto" {
			t.Errorf("copy %q has dir=%q, want auto", textOf(n), attrOf(n, "dir"))
		}
	}
}
