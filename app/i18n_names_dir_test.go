package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// An experiment and a site named in Arabic with Latin words and digits:
// unisolated in an English line, such a name is drawn in the wrong order
// and pulls the words beside it out of theirs.
const (
	arabicExperiment = "اختبار Pricing 2026"
	arabicSite       = "متجر Acme 2"
	arabicFollowUp   = "متابعة Pricing 3"
)

// TestExperimentPagesIsolateNames: the experiments list, an experiment's
// page and its forms show each name in an element that takes its
// direction from the name (dir="auto": a heading, a table cell, an
// option) or, inside a sentence, in a <bdi>; a name in a confirm
// question is isolated with Unicode's first-strong isolate, as a <bdi>
// would be. The boxes where people type a name or copy take their
// direction from their text; those for a page, a selector, an event name
// and numbers stay left to right.
func TestExperimentPagesIsolateNames(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	ctx := context.Background()
	site := e.site(arabicSite)
	x := e.experiment(site.ID, arabicExperiment)
	e.transition(x.ID, experiments.ActionStart)
	if _, err := e.store.Ship(ctx, x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	f, err := e.store.FollowUpExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Named apart from the test it follows, which the name would hold.
	if f, err = e.store.PatchExperiment(ctx, f.ID, func(f *experiments.Experiment) error { f.Name = arabicFollowUp; return nil }); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name   string
		path   string
		names  []string
		auto   []string // ids of boxes that take their direction from their text
		fixed  []string // ids of boxes that stay left to right
		quoted []string // names a confirm question holds
	}{
		{name: "list", path: "/experiments", names: []string{arabicExperiment, arabicSite}, auto: []string{"list-q"}},
		{name: "site's list", path: "/experiments?site=" + site.ID, names: []string{arabicExperiment, arabicSite}},
		{name: "experiment", path: "/experiments/" + x.ID, names: []string{arabicExperiment, arabicSite}, quoted: []string{arabicExperiment}},
		{name: "follow-up", path: "/experiments/" + f.ID, names: []string{arabicFollowUp, arabicExperiment, arabicSite}, quoted: []string{arabicFollowUp}},
		{name: "edit", path: "/experiments/" + f.ID + "/edit", names: []string{arabicFollowUp, arabicSite},
			auto:  []string{"f-name", "f-variants-0-text"},
			fixed: []string{"f-page", "f-selector", "f-goal-selector", "f-goal-url", "f-goal-event", "f-coverage", "f-stops-at", "f-variants-0-weight"}},
		{name: "new", path: "/experiments/new?site=" + site.ID, names: []string{arabicSite},
			auto:  []string{"f-name", "f-variants-0-text", "f-variants-1-text"},
			fixed: []string{"f-page", "f-selector", "f-goal-selector", "f-goal-url", "f-goal-event", "f-coverage", "f-stops-at"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.get(tt.path)
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			for _, name := range tt.names {
				shown, loose := nameIsolation(doc, name)
				if shown == 0 {
					t.Errorf("the page does not show %q", name)
				}
				for _, where := range loose {
					t.Errorf("%q is shown in %s, which does not take its direction from it", name, where)
				}
			}
			for _, id := range tt.auto {
				if el := elementByID(doc, id); el == nil {
					t.Errorf("no #%s", id)
				} else if got := attrOf(el, "dir"); got != "auto" {
					t.Errorf("#%s has dir=%q, want auto: people type it in their language", id, got)
				}
			}
			for _, id := range tt.fixed {
				if el := elementByID(doc, id); el == nil {
					t.Errorf("no #%s", id)
				} else if hasAttr(el, "dir") {
					t.Errorf("#%s has dir=%q: it holds a pattern, a selector or a number, left to right", id, attrOf(el, "dir"))
				}
			}
			for _, name := range tt.quoted {
				found := false
				for _, el := range findAll(doc, func(n *xhtml.Node) bool { return strings.Contains(attrOf(n, "data-confirm"), name) }) {
					found = true
					if q := attrOf(el, "data-confirm"); !strings.Contains(q, "“\u2068"+name+"\u2069”") {
						t.Errorf("the question %q does not isolate %q", q, name)
					}
				}
				if !found {
					t.Errorf("no question names %q", name)
				}
			}
		})
	}
}

// nameIsolation counts the text nodes of the page's body that show name,
// and describes each whose direction the name does not set: the nearest
// element around it that has a dir attribute or is a <bdi> must be a
// <bdi> or have dir="auto", and start with the name (a heading holds its
// status badge after it, a History line quotes an older name that holds
// it: “… (follow-up)”). <title> cannot
// hold markup, and a textarea's text is its value (its box's dir is
// checked instead).
func nameIsolation(doc *xhtml.Node, name string) (shown int, loose []string) {
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && (n.Data == "title" || n.Data == "textarea" || n.Data == "script") {
			return
		}
		if n.Type == xhtml.TextNode && strings.Contains(n.Data, name) {
			shown++
			p := n.Parent
			for p != nil && p.Data != "bdi" && !hasAttr(p, "dir") {
				p = p.Parent
			}
			ok := p != nil && (p.Data == "bdi" || attrOf(p, "dir") == "auto") && strings.HasPrefix(textOf(p), name)
			if !ok {
				q := n.Parent
				loose = append(loose, "<"+q.Data+` class="`+attrOf(q, "class")+`">`+strings.Join(strings.Fields(textOf(q)), " "))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return shown, loose
}

// elementByID is the element with the id, or nil.
func elementByID(doc *xhtml.Node, id string) *xhtml.Node {
	els := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(els) == 0 {
		return nil
	}
	return els[0]
}
