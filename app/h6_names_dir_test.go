package app

import (
	"context"
	"net/http"
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
)

// TestNamesTakeTheirOwnDirection: wherever a page shows a name someone
// typed (a site's, an experiment's, a user's, a token's), the element
// that holds it holds the name alone and takes its direction from it: a
// <bdi>, or an element with dir="auto". The boxes where people type names
// and briefs take theirs from their text too; the ones for domains, URLs
// and numbers stay left to right. A name inside a confirm question is
// isolated with Unicode's first-strong isolate, as a <bdi> would be.
func TestNamesTakeTheirOwnDirection(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	if _, _, err := addUser(context.Background(), e.store, "rana@example.com", rtlUserName, testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site := e.site(rtlSiteName)
	x := e.experiment(site.ID, rtlExperimentName)
	// A running one, on a site of its own (the first site's Delete card
	// then asks its question): a draft's share link has no recordings.
	running := e.experiment(e.site("Other shop").ID, rtlExperimentName)
	e.transition(running.ID, experiments.ActionStart)
	if _, err := CreateToken(context.Background(), e.store, "owner@example.com", rtlTokenName); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name   string
		path   string
		names  []string
		auto   []string // ids of boxes that take their direction from their text
		fixed  []string // ids of boxes that stay left to right (no dir)
		quoted []string // names a confirm question on the page holds
	}{
		{name: "sites", path: "/sites", names: []string{rtlSiteName}, auto: []string{"f-name"}, fixed: []string{"f-domain"}},
		{name: "site", path: "/sites/" + site.ID, names: []string{rtlSiteName},
			auto: []string{"f-name", "f-brand-voice"}, fixed: []string{"f-domain", "f-hide-timeout-ms", "f-webhook-url"}, quoted: []string{rtlSiteName}},
		{name: "results", path: "/experiments/" + x.ID + "/results", names: []string{rtlExperimentName}},
		{name: "recordings", path: "/experiments/" + x.ID + "/recordings", names: []string{rtlExperimentName}},
		{name: "share link", path: "/r/" + x.ShareToken, names: []string{rtlExperimentName}},
		{name: "running results", path: "/experiments/" + running.ID + "/results", names: []string{rtlExperimentName}},
		{name: "running share link", path: "/r/" + running.ShareToken, names: []string{rtlExperimentName}},
		{name: "share link's recordings", path: "/r/" + running.ShareToken + "/recordings", names: []string{rtlExperimentName}},
		{name: "drafting", path: "/experiments/" + x.ID + "/generate", names: []string{rtlExperimentName, rtlSiteName},
			auto: []string{"f-current-copy", "f-product", "f-tone", "f-brand-voice"}, fixed: []string{"f-max-length", "f-n"}},
		{name: "users", path: "/users", names: []string{rtlUserName}, auto: []string{"f-invite-name"}, fixed: []string{"f-email", "f-invite-email"}},
		{name: "settings", path: "/settings", names: []string{rtlTokenName}, auto: []string{"f-name"}, quoted: []string{rtlTokenName}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.get(tt.path)
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			for _, name := range tt.names {
				if n := namesShown(doc, name); n == 0 {
					t.Errorf("the page does not show %q", name)
				}
				for _, where := range namesNotIsolated(doc, name) {
					t.Errorf("%q is shown in %s, which does not take its direction from it", name, where)
				}
			}
			for _, id := range tt.auto {
				if el := byID(doc, id); el == nil {
					t.Errorf("no #%s", id)
				} else if got := attrOf(el, "dir"); got != "auto" {
					t.Errorf("#%s has dir=%q, want auto: it holds what people type in their language", id, got)
				}
			}
			for _, id := range tt.fixed {
				if el := byID(doc, id); el == nil {
					t.Errorf("no #%s", id)
				} else if got := attrOf(el, "dir"); got != "" {
					t.Errorf("#%s has dir=%q: it holds Latin text (a domain, a URL, a number) and stays left to right", id, got)
				}
			}
			for _, name := range tt.quoted {
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
	for _, name := range []string{rtlExperimentName, "Pricing hero"} {
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
	for _, name := range []string{rtlExperimentName, "Pricing hero"} {
		for _, where := range namesNotIsolated(card, name) {
			t.Errorf("%q is shown in %s, which does not take its direction from it", name, where)
		}
	}
}

// namesShown counts the text nodes that show name.
func namesShown(doc *xhtml.Node, name string) int {
	n := 0
	eachText(doc, func(t *xhtml.Node) {
		if strings.Contains(t.Data, name) {
			n++
		}
	})
	return n
}

// namesNotIsolated describes each place name is shown in an element that
// does not take its direction from it alone: the element right around
// the name must be a <bdi> or have dir="auto", and hold nothing else. The
// page's <title> cannot hold markup, and a textarea's text is its value
// (the test checks its box's dir instead).
func namesNotIsolated(doc *xhtml.Node, name string) []string {
	var out []string
	eachText(doc, func(t *xhtml.Node) {
		if !strings.Contains(t.Data, name) {
			return
		}
		p := t.Parent
		if p.Data == "bdi" || attrOf(p, "dir") == "auto" {
			if got := strings.TrimSpace(textOf(p)); got == name {
				return
			}
		}
		out = append(out, "<"+p.Data+` class="`+attrOf(p, "class")+`">`+strings.Join(strings.Fields(textOf(p)), " "))
	})
	return out
}

// eachText calls f with each text node of the page's body outside
// <title>, <script>, <style> and <textarea>.
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
