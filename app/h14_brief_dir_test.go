package app

import (
	"net/http"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestBriefFieldsTakeTheirDirectionFromTheirText: the brief's free-text
// fields hold copy and words about it in whatever language the site is
// in, so each carries dir="auto" from the server, as the drafts' boxes
// do: Arabic typed into one reads from the right, with or without the
// page's script. The number fields carry no direction, and neither do
// the app's other fields (views.Field sets none unless asked).
func TestBriefFieldsTakeTheirDirectionFromTheirText(t *testing.T) {
	g := newGenFixture(t, nil)
	resp, body := g.c.get(g.base)
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	dirOf := func(id string) (string, bool) {
		t.Helper()
		els := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
		if len(els) != 1 {
			t.Fatalf("%d elements #%s on the page, want 1", len(els), id)
		}
		return attrOf(els[0], "dir"), hasAttr(els[0], "dir")
	}
	for _, id := range []string{"f-current-copy", "f-goal", "f-product", "f-audience", "f-tone",
		"f-must-say", "f-must-not-say", "f-language", "f-brand-voice"} {
		if got, _ := dirOf(id); got != "auto" {
			t.Errorf("#%s has dir=%q, want auto", id, got)
		}
	}
	for _, id := range []string{"f-max-length", "f-n"} {
		if got, has := dirOf(id); has {
			t.Errorf("#%s has dir=%q, want none", id, got)
		}
	}

	_, login := g.e.client().get("/login")
	for _, n := range findAll(parseHTML(t, login), func(n *xhtml.Node) bool { return n.Data == "input" || n.Data == "textarea" }) {
		if hasAttr(n, "dir") {
			t.Errorf("the sign-in page's %s has dir=%q, want none", attrOf(n, "name"), attrOf(n, "dir"))
		}
	}
}
