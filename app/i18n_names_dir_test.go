package app

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// Names as a team in Arabic types them, mixed with Latin words and
// digits: unisolated, "اختبار Pricing 2026" reads in the wrong order, and
// pulls the words around it out of theirs.
const (
	rtlExperimentName = "اختبار Pricing 2026"
	rtlSiteName       = "متجر Acme 2"
	rtlUserName       = "رنا Haddad"
	rtlTokenName      = "سكربت CI 7"
	// rtlFollowUpName is what the test renames a follow-up of
	// rtlExperimentName to; its History then quotes its first name,
	// rtlFollowUpFirstName, which holds rtlExperimentName.
	rtlFollowUpName      = "متابعة Pricing 3"
	rtlFollowUpFirstName = rtlExperimentName + " (follow-up)"
)

// TestNamesTakeTheirOwnDirection: wherever a page shows a name someone
// typed (a site's, an experiment's, a user's, a token's), the element
// that holds it holds the name alone and takes its direction from it: a
// <bdi> inside a sentence, or an element with dir="auto" (a heading, a
// table cell, an option). The boxes where people type names, briefs and
// copy take their direction from their text too; the ones for domains,
// URLs, page patterns, selectors, event names and numbers stay left to
// right. A name inside a confirm question is isolated with Unicode's
// first-strong isolate, as a <bdi> would be.
func TestNamesTakeTheirOwnDirection(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	ctx := context.Background()
	if _, _, err := addUser(ctx, e.store, "rana@example.com", rtlUserName, testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateToken(ctx, e.store, "owner@example.com", rtlTokenName); err != nil {
		t.Fatal(err)
	}
	site := e.site(rtlSiteName)
	draft := e.experiment(site.ID, rtlExperimentName)
	// A shipped one on the same site (not running: the site's Delete
	// card still asks its question), and its follow-up, named apart from
	// the test it follows, which its first name holds.
	shipped := e.experiment(site.ID, rtlExperimentName)
	e.transition(shipped.ID, experiments.ActionStart)
	if _, err := e.store.Ship(ctx, shipped.ID, "b"); err != nil {
		t.Fatal(err)
	}
	f, err := e.store.FollowUpExperiment(ctx, shipped.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != rtlFollowUpFirstName {
		t.Fatalf("the follow-up is named %q, want %q", f.Name, rtlFollowUpFirstName)
	}
	if f, err = e.store.PatchExperiment(ctx, f.ID, func(f *experiments.Experiment) error { f.Name = rtlFollowUpName; return nil }); err != nil {
		t.Fatal(err)
	}
	// A running one, on a site of its own: a draft's share link has no
	// recordings.
	running := e.experiment(e.site("Other shop").ID, rtlExperimentName)
	e.transition(running.ID, experiments.ActionStart)

	// The boxes of the experiment form.
	formAuto := []string{"f-name", "f-variants-0-text"}
	formFixed := []string{"f-page", "f-selector", "f-goal-selector", "f-goal-url", "f-goal-event", "f-coverage", "f-stops-at"}
	for _, tt := range []namesPage{
		{name: "sites", path: "/sites", names: []string{rtlSiteName}, auto: []string{"f-name"}, fixed: []string{"f-domain"}},
		{name: "site", path: "/sites/" + site.ID, names: []string{rtlSiteName},
			auto: []string{"f-name", "f-brand-voice"}, fixed: []string{"f-domain", "f-hide-timeout-ms", "f-webhook-url"}, quoted: []string{rtlSiteName}},
		{name: "list", path: "/experiments", names: []string{rtlExperimentName, rtlSiteName}, auto: []string{"list-q"}},
		{name: "site's list", path: "/experiments?site=" + site.ID, names: []string{rtlExperimentName, rtlSiteName}},
		{name: "shipped", path: "/experiments/" + shipped.ID, names: []string{rtlExperimentName, rtlSiteName}, quoted: []string{rtlExperimentName}},
		{name: "follow-up", path: "/experiments/" + f.ID, names: []string{rtlFollowUpName, rtlFollowUpFirstName, rtlExperimentName, rtlSiteName},
			quoted: []string{rtlFollowUpName}},
		{name: "follow-up's form", path: "/experiments/" + f.ID + "/edit", names: []string{rtlFollowUpName, rtlSiteName},
			auto: formAuto, fixed: append(formFixed, "f-variants-0-weight")},
		{name: "new", path: "/experiments/new?site=" + site.ID, names: []string{rtlSiteName},
			auto: append(formAuto, "f-variants-1-text"), fixed: formFixed},
		{name: "results", path: "/experiments/" + draft.ID + "/results", names: []string{rtlExperimentName}},
		{name: "recordings", path: "/experiments/" + draft.ID + "/recordings", names: []string{rtlExperimentName}},
		{name: "share link", path: "/r/" + draft.ShareToken, names: []string{rtlExperimentName}},
		{name: "running results", path: "/experiments/" + running.ID + "/results", names: []string{rtlExperimentName}},
		{name: "running share link", path: "/r/" + running.ShareToken, names: []string{rtlExperimentName}},
		{name: "share link's recordings", path: "/r/" + running.ShareToken + "/recordings", names: []string{rtlExperimentName}},
		{name: "drafting", path: "/experiments/" + draft.ID + "/generate", names: []string{rtlExperimentName, rtlSiteName},
			auto: []string{"f-current-copy", "f-product", "f-tone", "f-brand-voice"}, fixed: []string{"f-max-length", "f-n"}},
		{name: "users", path: "/users", names: []string{rtlUserName}, auto: []string{"f-invite-name"}, fixed: []string{"f-email", "f-invite-email"}},
		{name: "settings", path: "/settings", names: []string{rtlTokenName}, auto: []string{"f-name"}, quoted: []string{rtlTokenName}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.get(tt.path)
			wantStatus(t, resp, http.StatusOK, body)
			tt.check(t, parseHTML(t, body))
		})
	}
}

// TestRunningNamesTakeTheirOwnDirection: the site page's Delete card
// names the running experiments to stop first in a sentence, each in
// its own <bdi>.
func TestRunningNamesTakeTheirOwnDirection(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site(rtlSiteName)
	names := []string{rtlExperimentName, "Pricing hero"}
	for _, name := range names {
		e.transition(e.experiment(site.ID, name).ID, experiments.ActionStart)
	}
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)
	card := byID(parseHTML(t, body), "delete")
	if card == nil {
		t.Fatal("no Delete card")
	}
	if got, want := strings.Join(strings.Fields(textOf(card)), " "), "Stop its running experiments first: “Pricing hero”, “"+rtlExperimentName+"”."; !strings.Contains(got, want) {
		t.Errorf("the card reads %q, want %q", got, want)
	}
	namesPage{names: names}.checkNames(t, card)
}

// namesPage is a page that shows names people typed, and what it must
// do with them.
type namesPage struct {
	name   string
	path   string
	names  []string // names it shows, each isolated
	auto   []string // ids of boxes that take their direction from their text
	fixed  []string // ids of boxes that stay left to right (no dir)
	quoted []string // names a confirm question on the page holds
}

// check checks the page's names, boxes and confirm questions in doc.
func (p namesPage) check(t *testing.T, doc *xhtml.Node) {
	t.Helper()
	p.checkNames(t, doc)
	for _, id := range p.auto {
		if el := byID(doc, id); el == nil {
			t.Errorf("no #%s", id)
		} else if got := attrOf(el, "dir"); got != "auto" {
			t.Errorf("#%s has dir=%q, want auto: it holds what people type in their language", id, got)
		}
	}
	for _, id := range p.fixed {
		if el := byID(doc, id); el == nil {
			t.Errorf("no #%s", id)
		} else if hasAttr(el, "dir") {
			t.Errorf("#%s has dir=%q: it holds Latin text (a domain, a URL, a page pattern, a selector, a number) and stays left to right", id, attrOf(el, "dir"))
		}
	}
	for _, name := range p.quoted {
		var found bool
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
}

// checkNames checks that doc shows each of the page's names, each time
// in an element that takes its direction from it alone.
func (p namesPage) checkNames(t *testing.T, doc *xhtml.Node) {
	t.Helper()
	for _, name := range p.names {
		shown := 0
		eachText(doc, func(n *xhtml.Node) {
			if !strings.Contains(n.Data, name) {
				return
			}
			shown++
			if !p.isolated(n) {
				q := n.Parent
				t.Errorf("%q is shown in %s, which does not take its direction from it", name,
					"<"+q.Data+` class="`+attrOf(q, "class")+`">`+strings.Join(strings.Fields(textOf(q)), " "))
			}
		})
		if shown == 0 {
			t.Errorf("the page does not show %q", name)
		}
	}
}

// isolated tells whether the name in the text node n sets its own
// direction. The element that holds it, the nearest one around it that
// is a <bdi> or has a dir attribute, must be a <bdi> or have dir="auto",
// and hold one of the page's names alone: its text, less a status badge
// after the name (an experiment's heading), is that name, and nothing
// comes before it (dir="auto" takes its direction from the first letter
// it meets). The name shown may be a longer one that holds the one looked
// for (a History line quotes a follow-up's first name, “… (follow-up)”).
func (p namesPage) isolated(n *xhtml.Node) bool {
	el := n.Parent
	for el != nil && el.Data != "bdi" && !hasAttr(el, "dir") {
		el = el.Parent
	}
	if el == nil || (el.Data != "bdi" && attrOf(el, "dir") != "auto") {
		return false
	}
	held := strings.TrimSpace(textLessBadges(el))
	return slices.Contains(p.names, held) && strings.HasPrefix(textOf(el), held)
}

// textLessBadges is the text of n without that of its .badge elements.
func textLessBadges(n *xhtml.Node) string {
	if n.Type == xhtml.ElementNode && slices.Contains(strings.Fields(attrOf(n, "class")), "badge") {
		return ""
	}
	if n.Type == xhtml.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textLessBadges(c))
	}
	return b.String()
}

// eachText calls f with each text node under n outside <title>,
// <script>, <style> and <textarea>: a title cannot hold markup, and a
// textarea's text is its value (its box's dir is checked instead).
func eachText(n *xhtml.Node, f func(*xhtml.Node)) {
	if n.Type == xhtml.ElementNode {
		switch n.Data {
		case "title", "script", "style", "textarea":
			return
		}
	}
	if n.Type == xhtml.TextNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		eachText(c, f)
	}
}

// byID is the element with the id, or nil.
func byID(doc *xhtml.Node, id string) *xhtml.Node {
	els := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(els) == 0 {
		return nil
	}
	return els[0]
}

// TestFlashIsolatesNames: a message after an action quotes the name it
// acted on in a <bdi>, so that an Arabic name with Latin words and digits
// reads in its own order and leaves the English around it in its own.
func TestFlashIsolatesNames(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site(rtlSiteName)
	x := e.experiment(site.ID, rtlExperimentName)
	resp, _ := c.post("/experiments/"+x.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body := c.get("/experiments")
	wantContains(t, body, `<div class="flash flash-ok" role="status">Deleted “<bdi>`+rtlExperimentName+`</bdi>”.</div>`)
	resp, _ = c.post("/sites/"+site.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites")
	wantContains(t, body, `Deleted the site “<bdi>`+rtlSiteName+`</bdi>”.`)
}

// withoutBdi is body with its <bdi> tags left out, for a test that reads a
// message's words: the names a message quotes are each in one.
func withoutBdi(body string) string {
	return strings.NewReplacer("<bdi>", "", "</bdi>", "").Replace(body)
}
