package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// A page and a goal page typed with letters outside ASCII, and the forms
// copylab stores them in: escaped as the browser's location.pathname
// has them, which the tag compares with.
const (
	shownPage      = "/料金*"
	storedPage     = "/%E6%96%99%E9%87%91*"
	shownGoalPage  = "/danke-schön*"
	storedGoalPage = "/danke-sch%C3%B6n*"
)

// TestPagesShowTheirLetters: a page pattern and a goal page typed with
// letters outside ASCII are stored escaped, but every page a person
// reads shows them with their letters: the experiments list, the
// experiment page (its lead, the goal's sentence, the preview wording)
// and the edit form's fields. The preview links' addresses stay escaped,
// as the browser follows them. The edit form sent back as it shows them
// stores the patterns byte for byte as they were, and writes no History
// line, whether the test is a draft or has started.
func TestPagesShowTheirLetters(t *testing.T) {
	for _, started := range []bool{false, true} {
		name := "draft"
		if started {
			name = "running"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := shownPagesExperiment(t, e, site.ID)
			if started {
				x = e.transition(x.ID, experiments.ActionStart)
			}

			_, list := c.get("/experiments")
			wantShownNotStored(t, "the list", list)
			wantContains(t, list, shownPage)

			resp, page := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, page)
			wantShownNotStored(t, "the experiment page", page)
			wantContains(t, page, "<code>"+shownPage+"</code>", "a visit to "+shownGoalPage)
			// The preview link opens the page the browser names escaped,
			// and reads as the address bar shows it.
			wantContains(t, page, `href="https://example.com`+strings.TrimSuffix(storedPage, "*")+`?copylab=`+x.ID+`:b"`,
				`</span>https://example.com`+strings.TrimSuffix(shownPage, "*")+`?copylab=`+x.ID+`:b</a>`)

			resp, form := c.get("/experiments/" + x.ID + "/edit")
			wantStatus(t, resp, http.StatusOK, form)
			wantShownNotStored(t, "the edit form", form)
			fields := sentForm(t, form, "/experiments/"+x.ID+"/edit")
			if !started {
				if got := fields.Get("page"); got != shownPage {
					t.Errorf("the form's page field holds %q, want %q", got, shownPage)
				}
				if got := fields.Get("goal_url"); got != shownGoalPage {
					t.Errorf("the form's goal page field holds %q, want %q", got, shownGoalPage)
				}
			} else if v := inputValue(t, form, "f-page"); v != shownPage {
				t.Errorf("the started test's page field shows %q, want %q", v, shownPage)
			}

			before, _ := countAction(t, e, x.ID, experiments.ChangeEdited)
			resp, body := c.post("/experiments/"+x.ID+"/edit", fields)
			wantStatus(t, resp, http.StatusSeeOther, body)
			got := h1Stored(t, e, x.ID)
			if got.Page != storedPage || got.Goal.URL != storedGoalPage {
				t.Fatalf("saved unchanged, the page is %q and the goal page %q; want %q and %q as stored", got.Page, got.Goal.URL, storedPage, storedGoalPage)
			}
			if !experiments.MatchPage(got.Page, "/%E6%96%99%E9%87%91", "") || !experiments.MatchPage(got.Goal.URL, "/danke-sch%C3%B6n", "") {
				t.Fatalf("the saved patterns no longer match the pages the browser names")
			}
			if after, h := countAction(t, e, x.ID, experiments.ChangeEdited); after != before {
				t.Fatalf("an unchanged save wrote a History line: %q", h[0].Detail)
			}
		})
	}
}

// TestPastedPageNoteShowsLetters: the note after a save of a pasted
// address names the page saved with its letters, as the form shows it.
func TestPastedPageNoteShowsLetters(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{"op": {"save"}, "site_id": {site.ID}, "name": {"Preise"},
		"page": {"https://example.com/料金?utm_source=news"}, "selector": {"h1"}, "goal_type": {"pageview"},
		"goal_url": {"https://example.com/danke-schön?gclid=abc"}, "coverage": {"100"},
		"variants[0].text": {"Preise"}, "variants[1].text": {"Unsere Preise"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get(resp.Header.Get("Location"))
	wantContains(t, page, "the test runs on /料金 for every visitor.", "a visit to /danke-schön counts for every visitor.")
	wantShownNotStored(t, "the page after the save", page)
}

// shownPagesExperiment is a draft on shownPage whose goal is a visit to
// shownGoalPage, as typed; it checks that they are stored escaped.
func shownPagesExperiment(t *testing.T, e *env, siteID string) experiments.Experiment {
	t.Helper()
	x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{
		SiteID: siteID, Name: "Preise", Page: shownPage, Selector: heroSelector,
		Goal: experiments.Goal{Type: experiments.GoalPageview, URL: shownGoalPage}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Preise"}, {Text: "Unsere Preise"}}})
	if err != nil {
		t.Fatal(err)
	}
	if x.Page != storedPage || x.Goal.URL != storedGoalPage {
		t.Fatalf("stored %q and %q, want %q and %q", x.Page, x.Goal.URL, storedPage, storedGoalPage)
	}
	return x
}

// wantShownNotStored fails when a page shows a person the escaped form of
// the patterns: in its text, or in a field's value. Links may carry it.
func wantShownNotStored(t *testing.T, where, body string) {
	t.Helper()
	doc := parseHTML(t, body)
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode && (strings.Contains(n.Data, "%E6%96%99") || strings.Contains(n.Data, "%C3%B6")) {
			t.Errorf("%s shows %q", where, strings.TrimSpace(n.Data))
		}
		if n.Type == xhtml.ElementNode {
			for _, a := range n.Attr {
				if a.Key != "href" && (strings.Contains(a.Val, "%E6%96%99") || strings.Contains(a.Val, "%C3%B6")) {
					t.Errorf("%s has <%s %s=%q>", where, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// sentForm is what a browser sends when the save button of the form
// posting to action is pressed, nothing changed: each field that is not
// disabled (nor in a disabled fieldset) with its value, boxes and
// choices only when ticked, a select's chosen option, and op=save.
func sentForm(t *testing.T, body, action string) url.Values {
	t.Helper()
	forms := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "form" && attrOf(n, "action") == action })
	if len(forms) == 0 {
		t.Fatalf("no form posts to %s", action)
	}
	v := url.Values{"op": {"save"}}
	disabled := func(n *xhtml.Node) bool {
		for p := n; p != nil; p = p.Parent {
			if p.Type == xhtml.ElementNode && (p == n || p.Data == "fieldset") && hasAttr(p, "disabled") {
				return true
			}
		}
		return false
	}
	for _, n := range findAll(forms[0], func(n *xhtml.Node) bool { return attrOf(n, "name") != "" }) {
		name := attrOf(n, "name")
		if disabled(n) {
			continue
		}
		switch n.Data {
		case "input":
			switch attrOf(n, "type") {
			case "submit", "button":
			case "checkbox", "radio":
				if hasAttr(n, "checked") {
					v.Add(name, attrOf(n, "value"))
				}
			default:
				v.Add(name, attrOf(n, "value"))
			}
		case "textarea":
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				b.WriteString(c.Data)
			}
			v.Add(name, b.String())
		case "select":
			opts := findAll(n, func(o *xhtml.Node) bool { return o.Data == "option" })
			for i, o := range opts {
				if i == 0 || hasAttr(o, "selected") {
					v.Set(name, attrOf(o, "value"))
				}
			}
		}
	}
	return v
}
