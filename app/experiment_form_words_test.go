package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestExperimentFormNamesTheOriginal: the form names its first copy box
// "Original", as the results, the lists and the drafts do, and says under
// it what that copy is; the other boxes are "Variant B", "Variant C". Its
// weight and its box read alike to a screen reader ("Weight % for
// Original"), on the new form and on a started experiment's.
func TestExperimentFormNamesTheOriginal(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Simple pricing", "Pricing that grows", "Pay for what you use")
	e.transition(x.ID, experiments.ActionStart)

	for _, path := range []string{"/experiments/new?site=" + site.ID, "/experiments/" + x.ID + "/edit"} {
		t.Run(path, func(t *testing.T) {
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			wantNotContains(t, body, "(control)", "Original copy")
			doc := parseHTML(t, body)
			label := func(id string) string {
				for _, n := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "label" && attrOf(n, "for") == id }) {
					return strings.Join(strings.Fields(textOf(n)), " ")
				}
				t.Errorf("no label for #%s", id)
				return ""
			}
			if got := label("f-variants-0-text"); got != "Original" {
				t.Errorf("first box labelled %q, want Original", got)
			}
			if got := label("f-variants-0-weight"); got != "Weight % for Original" {
				t.Errorf("its weight labelled %q", got)
			}
			if got := label("f-variants-1-text"); got != "Variant B" {
				t.Errorf("second box labelled %q, want Variant B", got)
			}
			box := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "f-variants-0-text" })
			help := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "f-variants-0-text-help" })
			if len(box) != 1 || len(help) != 1 || !strings.Contains(attrOf(box[0], "aria-describedby"), "f-variants-0-text-help") {
				t.Fatalf("the first box has no help it is described by")
			}
			if got := textOf(help[0]); got != "The copy on your page today, exactly as visitors see it. Visitors given the original keep seeing it." {
				t.Errorf("its help says %q", got)
			}
			if n := len(findAll(doc, func(n *xhtml.Node) bool { return strings.HasPrefix(attrOf(n, "id"), "f-variants-1-text-help") })); n != 0 {
				t.Errorf("Variant B's box has help too")
			}
		})
	}
}
