package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/net/html"
)

// renderDoc renders a component and parses the result as a browser would.
func renderDoc(t *testing.T, c templ.Component) (*html.Node, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, buf.String()
}

// find returns every element for which match is true, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byAttr(key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { v, ok := attr(n, key); return ok && v == val }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

const evil = `<script>alert(1)</script>`

func testPage() Page {
	return Page{Title: "T", User: "ann@example.com", CSRF: `tok"en<`, Assets: Assets{CSS: "/static/h/css/app.css", HTMX: "/static/h/vendor/htmx.min.js", AppJS: "/static/h/js/app.js", Icon: "/static/h/img/logo.svg"}}
}

func TestUserTextIsEscaped(t *testing.T) {
	p := ExperimentPage{
		Page: testPage(), ID: "x1", Name: evil, Status: "running", SiteID: "s1", SiteName: evil, PageURL: "/p", Selector: "h1",
		Goal: "a click on " + evil, CoveragePct: "100%",
		Variants: []VariantView{{Key: "control", Text: "Original", Control: true}, {Key: "b", Text: evil, WeightBP: 5000}},
		QALinks:  []QALink{{Key: "b", URL: "https://example.com/p?copylab=x1:b", Param: "?copylab=x1:b"}},
		ShareURL: "https://copylab.test/r/abc",
		Results:  Results{Status: "running", Rows: []ResultRow{{Key: "control", Text: "Original", Control: true}, {Key: "b", Text: evil, Exposures: 10, Conversions: 1, Rate: 0.1}}},
	}
	doc, raw := renderDoc(t, Experiment(p))
	if strings.Contains(raw, evil) {
		t.Fatal("user text reached the page unescaped")
	}
	if n := len(find(doc, byTag("script"))); n != 2 {
		t.Errorf("%d script elements, want the 2 of the layout", n)
	}
	copies := find(doc, func(n *html.Node) bool { v, _ := attr(n, "class"); return v == "copy" })
	if len(copies) != 2 || text(copies[1]) != evil {
		t.Errorf("variant copy not shown as text: %d", len(copies))
	}
	results := find(doc, func(n *html.Node) bool { v, _ := attr(n, "class"); return v == "result-copy" })
	if len(results) != 2 || text(results[1]) != evil {
		t.Error("results copy not shown as text")
	}

	// The same for the form, where user text sits in attributes and textareas.
	f := ExperimentForm{Page: testPage(), Name: evil, Selector: `"><script>`, Variants: []VariantField{{Text: evil}, {Text: "</textarea>" + evil}}, Errors: Errors{"name": evil}}
	doc, raw = renderDoc(t, ExperimentEdit(f))
	if strings.Contains(raw, evil) || strings.Contains(raw, `"><script>`) {
		t.Fatal("form text reached the page unescaped")
	}
	areas := find(doc, byAttr("name", "variants[1].text"))
	if len(areas) != 1 || text(areas[0]) != "</textarea>"+evil {
		t.Errorf("textarea content %q", text(areas[0]))
	}
}

func TestLayout(t *testing.T) {
	p := testPage()
	p.Nav = NavSites
	p.Flash = Flash{Kind: "ok", Text: "Saved " + evil}
	doc, raw := renderDoc(t, Sites(SitesPage{Page: p}))
	bodies := find(doc, byTag("body"))
	if len(bodies) != 1 {
		t.Fatal("no body")
	}
	if hx, _ := attr(bodies[0], "hx-headers"); hx != `{"X-CSRF-Token":"tok\"en\u003c"}` {
		t.Errorf("hx-headers %q", hx)
	}
	active := find(doc, byAttr("aria-current", "page"))
	if len(active) != 1 || text(active[0]) != "Sites" {
		t.Error("Sites is not the active nav entry")
	}
	for _, form := range find(doc, byTag("form")) {
		if m, _ := attr(form, "method"); m != "post" {
			continue
		}
		if len(find(form, byAttr("name", "_csrf"))) != 1 {
			t.Errorf("a form without _csrf: %v", form.Attr)
		}
	}
	meta := find(doc, byAttr("name", "htmx-config"))
	if len(meta) != 1 {
		t.Fatal("no htmx-config")
	}
	if v, _ := attr(meta[0], "content"); !strings.Contains(v, `"includeIndicatorStyles":false`) {
		t.Errorf("htmx-config %q", v)
	}
	// No inline script or style anywhere: the CSP forbids both.
	for _, s := range find(doc, byTag("script")) {
		if _, ok := attr(s, "src"); !ok {
			t.Error("inline script")
		}
	}
	if len(find(doc, byTag("style"))) > 0 || strings.Contains(raw, " style=") {
		t.Error("inline style")
	}
	if strings.Contains(raw, evil) {
		t.Error("flash text unescaped")
	}
	if len(find(doc, func(n *html.Node) bool { v, _ := attr(n, "class"); return strings.Contains(v, "empty") })) == 0 {
		t.Error("no empty state")
	}
}

func TestFieldErrors(t *testing.T) {
	f := ExperimentForm{Page: testPage(), Variants: []VariantField{{}, {}},
		Errors: Errors{"name": "Name it.", "variants[1].text": "Enter the copy.", "weights": "Must add up to 100%."}}
	doc, _ := renderDoc(t, ExperimentEdit(f))
	tests := []struct{ input, errID, msg string }{
		{"name", "f-name-error", "Name it."},
		{"variants[1].text", "f-variants-1-text-error", "Enter the copy."},
	}
	for _, tt := range tests {
		in := find(doc, byAttr("name", tt.input))
		if len(in) != 1 {
			t.Fatalf("no input %s", tt.input)
		}
		if v, _ := attr(in[0], "aria-invalid"); v != "true" {
			t.Errorf("%s: aria-invalid %q", tt.input, v)
		}
		if v, _ := attr(in[0], "aria-describedby"); !strings.Contains(v, tt.errID) {
			t.Errorf("%s: aria-describedby %q", tt.input, v)
		}
		msg := find(doc, byAttr("id", tt.errID))
		if len(msg) != 1 || text(msg[0]) != tt.msg {
			t.Errorf("%s: message %v", tt.input, msg)
		}
	}
	if len(find(doc, byAttr("id", "f-weights-error"))) != 1 {
		t.Error("no weights error")
	}
	alerts := find(doc, byAttr("role", "alert"))
	if len(alerts) == 0 || !strings.Contains(text(alerts[0]), "3 problems") {
		t.Error("no summary of the problems")
	}
}

func TestResultsPanelPolling(t *testing.T) {
	live := Results{LiveURL: "/experiments/x/results/live", Status: "running", UpdatedAt: time.Unix(0, 0),
		Rows: []ResultRow{{Key: "control", Control: true}, {Key: "b", Exposures: 4, Conversions: 1, Rate: 0.25}}, TotalVisits: 4, TotalConvert: 1}
	doc, _ := renderDoc(t, ResultsPanel(live))
	panel := find(doc, byAttr("id", "results"))
	if len(panel) != 1 {
		t.Fatal("no #results")
	}
	if v, _ := attr(panel[0], "hx-trigger"); v != "every 5s" {
		t.Errorf("hx-trigger %q", v)
	}
	if v, _ := attr(panel[0], "hx-get"); v != live.LiveURL {
		t.Errorf("hx-get %q", v)
	}
	if v, _ := attr(panel[0], "hx-swap"); v != "outerHTML" {
		t.Errorf("hx-swap %q", v)
	}
	if !strings.Contains(text(panel[0]), "25.0%") {
		t.Error("no rate")
	}
	// Statistics columns appear only when computed.
	if strings.Contains(text(panel[0]), "Chance to be best") {
		t.Error("empty statistics column shown")
	}
	live.Rows[1].HasProbBest, live.Rows[1].ProbBest = true, 0.9
	doc, _ = renderDoc(t, ResultsPanel(live))
	if !strings.Contains(text(doc), "Chance to be best") || !strings.Contains(text(doc), "90%") {
		t.Error("no statistics column when computed")
	}
	live.LiveURL = ""
	doc, _ = renderDoc(t, ResultsPanel(live))
	if _, ok := attr(find(doc, byAttr("id", "results"))[0], "hx-trigger"); ok {
		t.Error("a stopped panel still polls")
	}
}

func TestDemoPage(t *testing.T) {
	doc, _ := renderDoc(t, Demo(DemoPage{SnippetURL: "http://copylab.test/s/abc.js", CSS: "/c.css", JS: "/d.js", Icon: "/i.svg", Headline: "Hello", ExperimentID: "x", Variants: []string{"control", "b"}}, DemoVisit{}))
	head := find(doc, byTag("head"))[0]
	scripts := find(head, byTag("script"))
	if len(scripts) < 1 {
		t.Fatal("no script in head")
	}
	if src, _ := attr(scripts[0], "src"); src != "http://copylab.test/s/abc.js" {
		t.Errorf("first script %q", src)
	}
	if _, async := attr(scripts[0], "async"); async {
		t.Error("the tag must be synchronous")
	}
	if _, deferred := attr(scripts[0], "defer"); deferred {
		t.Error("the tag must be synchronous")
	}
	hero := find(doc, byAttr("data-copylab", "hero"))
	if len(hero) != 1 || hero[0].Data != "h1" || text(hero[0]) != "Hello" {
		t.Error("no hero h1")
	}
	if len(find(doc, byAttr("data-copylab", "signup"))) != 1 {
		t.Error("no sign-up button")
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q", n, got)
		}
	}
	for bp, want := range map[int]string{10000: "100%", 5000: "50%", 3333: "33.33%", 1250: "12.5%"} {
		if got := bpPct(bp); got != want {
			t.Errorf("bpPct(%d) = %q", bp, got)
		}
	}
	// How long a test has run: a minute is not "1 hour".
	for days, want := range map[float64]string{0: "<1 hour", 1.0 / 24 / 60: "<1 hour", 1.5 / 24: "1 hour", 5.0 / 24: "5 hours",
		1: "1 day", 3.7: "3 days"} {
		if got := daysValue(days) + " " + daysLabel(days); got != want {
			t.Errorf("%g days run: %q, want %q", days, got, want)
		}
	}
}
