package app

import (
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestResultsHintButtonsHaveIDs: each "?" hint button in the results
// table has an id, unique on the experiment page and on the results
// page, so that htmx and app.js can put the focus back on it when the
// panel is swapped (TestResultsHintFocusSurvivesRefreshBrowser). Found by
// a fresh-eyes review.
func TestResultsHintButtonsHaveIDs(t *testing.T) {
	_, c, _, x := startedWithCounts(t, [2]int64{4000, 300}, [2]int64{4000, 380})
	for _, path := range []string{"/experiments/" + x.ID, "/experiments/" + x.ID + "/results"} {
		_, body := c.get(path)
		doc := parseHTML(t, body)
		hints := findAll(doc, hasClass("hint-btn"))
		if len(hints) < 4 {
			t.Errorf("%s: %d hint buttons, want the four of the table", path, len(hints))
		}
		ids := map[string]int{}
		for _, n := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") != "" }) {
			ids[attrOf(n, "id")]++
		}
		for _, b := range hints {
			id := attrOf(b, "id")
			if id == "" {
				t.Errorf("%s: the hint button %q has no id", path, attrOf(b, "aria-label"))
			} else if ids[id] != 1 {
				t.Errorf("%s: the id %q of the hint button %q is on %d elements", path, id, attrOf(b, "aria-label"), ids[id])
			}
		}
	}
}
