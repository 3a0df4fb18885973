package app

import (
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestResultsCopyDirAuto: the results table shows each variant's copy
// with dir="auto", so Arabic or Hebrew copy runs and aligns right to
// left, as on the experiment page.
func TestResultsCopyDirAuto(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "ابدأ الآن", "New headline")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{100, 10}, [2]int64{100, 12})
	_, body := c.get("/experiments/" + x.ID + "/results")
	copies := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Type == xhtml.ElementNode && strings.Contains(" "+attrOf(n, "class")+" ", " result-copy ")
	})
	if len(copies) != 2 {
		t.Fatalf("%d copies in the table, want 2", len(copies))
	}
	for _, n := range copies {
		if attrOf(n, "dir") != "auto" {
			t.Errorf("copy %q has dir=%q, want auto", textOf(n), attrOf(n, "dir"))
		}
	}
}
