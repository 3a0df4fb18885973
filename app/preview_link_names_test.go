package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestPreviewLinkNames: a screen reader tabbing through the preview links
// heard four raw URLs in a row, told apart only by their last characters.
// Each link's name now starts with which variant it previews and that it
// opens a new tab, then the URL as shown, so the visible words stay in the
// name (for voice control).
func TestPreviewLinkNames(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	x := e.experimentOn(e.site("Shop").ID, "Home", "/", `[data-copylab="home"]`, "Original headline", "New headline")
	resp, body := c.get("/experiments/" + x.ID)
	wantStatus(t, resp, http.StatusOK, body)
	var names []string
	for _, sec := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "preview" }) {
		for _, a := range findAll(sec, func(n *xhtml.Node) bool {
			return n.Type == xhtml.ElementNode && n.Data == "a" && attrOf(n, "target") == "_blank"
		}) {
			names = append(names, strings.Join(strings.Fields(textOf(a)), " "))
		}
	}
	want := []string{
		"Preview Original (opens in a new tab): https://example.com/?copylab=" + x.ID + ":control",
		"Preview Variant B (opens in a new tab): https://example.com/?copylab=" + x.ID + ":b",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("preview links are named\n%q\nwant\n%q", names, want)
	}
}
