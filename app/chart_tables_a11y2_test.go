package app

import (
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestChartDataTablesNamed: the two charts' "Data table" disclosures on
// the results page say which chart they belong to. Found by a fresh-eyes
// review: both summaries read "Data table", so a screen reader's list of
// controls offered two alike.
func TestChartDataTablesNamed(t *testing.T) {
	_, c, _, x := startedWithCounts(t, [2]int64{400, 30}, [2]int64{400, 45})
	_, body := c.get("/experiments/" + x.ID + "/results")
	var got []string
	for _, fig := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "figure" }) {
		title := findAll(fig, func(n *xhtml.Node) bool { return n.Data == "figcaption" })
		summary := findAll(fig, func(n *xhtml.Node) bool { return n.Data == "summary" })
		if len(title) != 1 || len(summary) != 1 {
			t.Fatalf("a chart has %d titles and %d summaries", len(title), len(summary))
		}
		name, want := accessibleName(summary[0]), "Data table: "+accessibleName(title[0])
		if name != want {
			t.Errorf("a chart's data table is named %q, want %q", name, want)
		}
		got = append(got, name)
	}
	if len(got) != 2 || got[0] == got[1] {
		t.Errorf("the charts' data tables are named %q: want two, each its own", got)
	}
}
