package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestUpliftHintWithoutInterval: while the original has no conversion,
// the results table keeps its Uplift column but no variant's uplift can
// be worked out, so the column shows "—" with no interval, neither the
// bar a desktop draws nor the range a phone writes under it. Its "?" then
// speaks only of what is shown: what an uplift is, and the threshold, not
// of a bar, a shaded zone or a range the reader looks for in vain.
func TestUpliftHintWithoutInterval(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
	}{
		{"the original without a conversion", [][2]int64{{2000, 0}, {2000, 30}}},
		{"three variants, the original without a conversion", [][2]int64{{2000, 0}, {2000, 30}, {2000, 25}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			texts := []string{"Original headline", "Headline B", "Headline C"}[:len(tc.counts)]
			x := e.experiment(e.site("Shop").ID, "Hero", texts...)
			x = e.transition(x.ID, experiments.ActionStart)
			e.setCounts(x, tc.counts...)
			backdate(e, x, 3)
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)

			cells := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "data-label") == "Uplift" })
			if len(cells) != len(tc.counts) {
				t.Fatalf("%d uplift cells, want one a variant", len(cells))
			}
			for _, cell := range cells[1:] {
				if len(findAll(cell, hasClass("interval")))+len(findAll(cell, hasClass("ci"))) > 0 || words(cell) != "—" {
					t.Fatalf("the case shows an uplift or its interval: %q", words(cell))
				}
			}
			for _, id := range []string{"hint-uplift", "hint-uplift-phone"} {
				n := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
				if len(n) != 1 {
					t.Fatalf("%d #%s", len(n), id)
				}
				tip := words(n[0])
				for _, w := range []string{"bar", "shaded", "range", "interval", "under it"} {
					if strings.Contains(tip, w) {
						t.Errorf("#%s speaks of %q, which is not shown: %q", id, w, tip)
					}
				}
				if !strings.Contains(tip, "relative") || !strings.Contains(tip, "±10%") {
					t.Errorf("#%s leaves out what an uplift is or the threshold: %q", id, tip)
				}
			}
		})
	}
}
