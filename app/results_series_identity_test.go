package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// linePatternsOf is each series' pattern in the rate chart of a page: the
// dashes of its line and the shape of its markers, by series-N class.
func linePatternsOf(t *testing.T, doc *xhtml.Node) map[string]seriesPattern {
	t.Helper()
	lines := map[string]seriesPattern{}
	for _, l := range findAll(doc, hasClass("chart-line")) {
		s := seriesOf(l)
		dots := findAll(doc, func(n *xhtml.Node) bool { return hasClass("chart-dot")(n) && seriesOf(n) == s })
		if len(dots) == 0 {
			t.Errorf("%s: a line without markers", s)
			continue
		}
		lines[s] = seriesPattern{dash: dashOf(l), marker: markerOf(t, dots[0])}
	}
	return lines
}

// swatchOf is the series and the pattern a swatch shows (a legend's, or
// one beside a variant's name): a stretch of line ending in a marker.
func swatchOf(t *testing.T, sw *xhtml.Node) (string, seriesPattern, bool) {
	t.Helper()
	ls, ms := findAll(sw, hasClass("legend-line")), findAll(sw, hasClass("legend-marker"))
	if sw.Data != "svg" || len(ls) != 1 || len(ms) != 1 {
		return "", seriesPattern{}, false
	}
	return seriesOf(sw), seriesPattern{dash: dashOf(ls[0]), marker: markerOf(t, ms[0])}, true
}

// legendOf is each legend entry's series and pattern, by variant name.
type legendEntry struct {
	series  string
	pattern seriesPattern
}

func legendOf(t *testing.T, doc *xhtml.Node) map[string]legendEntry {
	t.Helper()
	out := map[string]legendEntry{}
	for _, li := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass("legend")(n.Parent) }) {
		sw := findAll(li, hasClass("legend-swatch"))
		if len(sw) != 1 {
			t.Fatalf("legend %q: %d swatches", textOf(li), len(sw))
		}
		s, p, ok := swatchOf(t, sw[0])
		if !ok {
			t.Fatalf("legend %q: its swatch is not a line and a marker", textOf(li))
		}
		out[textOf(li)] = legendEntry{series: s, pattern: p}
	}
	return out
}

// wantNamesLikeLegend checks that each variant's name in the elements
// matched by sel has beside it the legend's picture of that variant's line,
// and nothing that looks otherwise: one identity per variant on the page.
func wantNamesLikeLegend(t *testing.T, where string, root *xhtml.Node, sel func(*xhtml.Node) bool, legend map[string]legendEntry) int {
	t.Helper()
	found := 0
	for _, n := range findAll(root, sel) {
		name := textOf(n)
		want, ok := legend[name]
		if !ok {
			t.Errorf("%s: %q is not in the legend", where, name)
			continue
		}
		if old := findAll(n, hasClass("swatch")); len(old) > 0 {
			t.Errorf("%s %q: a square swatch beside the name, not its line", where, name)
		}
		sw := findAll(n, hasClass("legend-swatch"))
		if len(sw) != 1 {
			t.Errorf("%s %q: %d pictures of its line, want 1", where, name, len(sw))
			continue
		}
		if attrOf(sw[0], "aria-hidden") != "true" {
			t.Errorf("%s %q: its picture is not hidden from screen readers", where, name)
		}
		s, p, ok := swatchOf(t, sw[0])
		if !ok {
			t.Errorf("%s %q: its picture is not a line and a marker", where, name)
			continue
		}
		if s != want.series || p != want.pattern {
			t.Errorf("%s %q: shows %s %+v, the legend %s %+v", where, name, s, p, want.series, want.pattern)
		}
		found++
	}
	return found
}

// TestVisitChartSeriesPatterns: WCAG 1.4.1 (use of colour). The stacked
// bars of new visitors differ in their fill pattern, not in colour alone:
// each variant's bars are filled with its line's marker, from a pattern
// defined once per chart, so that a reader who cannot tell the colours
// apart matches a bar to its line and its legend entry by shape. On the
// results page and the share page, for as many variants as a test may
// have. The results table shows beside each name the legend's picture.
func TestVisitChartSeriesPatterns(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := fullTestWithResults(t, e)

	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
		t.Run(path, func(t *testing.T) {
			cl := c
			if strings.HasPrefix(path, "/r/") {
				cl = e.client()
			}
			resp, body := cl.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			lines := linePatternsOf(t, doc)
			if len(lines) != experiments.MaxVariants {
				t.Fatalf("%d lines, want %d", len(lines), experiments.MaxVariants)
			}

			bars := findAll(doc, hasClass("chart-bar"))
			if len(bars) == 0 {
				t.Fatal("no bars")
			}
			var svg *xhtml.Node
			for n := bars[0].Parent; n != nil; n = n.Parent {
				if n.Data == "svg" {
					svg = n
					break
				}
			}
			if svg == nil {
				t.Fatal("a bar outside an svg")
			}
			patterns := map[string]*xhtml.Node{}
			for _, p := range findAll(svg, func(n *xhtml.Node) bool { return n.Data == "pattern" }) {
				if p.Parent == nil || p.Parent.Data != "defs" {
					t.Errorf("pattern %q outside <defs>", attrOf(p, "id"))
				}
				patterns[attrOf(p, "id")] = p
			}
			bySeries := map[string]string{} // series → its bars' pattern id
			unfilled := map[string]bool{}
			for _, b := range bars {
				s := seriesOf(b)
				if len(findAll(b, func(n *xhtml.Node) bool { return n.Data == "title" })) != 1 {
					t.Errorf("a bar of %s without its title", s)
				}
				fill := attrOf(b, "fill")
				id, ok := strings.CutPrefix(fill, "url(#")
				id, ok2 := strings.CutSuffix(id, ")")
				if !ok || !ok2 {
					if !unfilled[s] {
						t.Errorf("bars of %s filled with %q, not a pattern", s, fill)
					}
					unfilled[s] = true
					continue
				}
				if prev, seen := bySeries[s]; seen && prev != id {
					t.Errorf("%s: bars filled with %q and %q", s, prev, id)
				}
				bySeries[s] = id
			}
			if len(bySeries) != experiments.MaxVariants {
				t.Errorf("bars of %d series with a pattern, want %d", len(bySeries), experiments.MaxVariants)
			}
			if len(patterns) != len(bySeries) {
				t.Errorf("%d patterns for %d series: want one per series, once per chart", len(patterns), len(bySeries))
			}
			seen := map[string]string{}
			for s, id := range bySeries {
				p, ok := patterns[id]
				if !ok {
					t.Errorf("%s: no pattern %q in the chart", s, id)
					continue
				}
				if seriesOf(p) != s {
					t.Errorf("%s: its pattern %q has the colour of %q", s, id, seriesOf(p))
				}
				marks := findAll(p, hasClass("bar-marker"))
				if len(marks) == 0 {
					t.Errorf("%s: pattern %q has no marker", s, id)
					continue
				}
				for _, m := range marks {
					if got := markerOf(t, m); got != lines[s].marker {
						t.Errorf("%s: bars show the marker %q, its line %q", s, got, lines[s].marker)
					}
				}
				if other, ok := seen[lines[s].marker]; ok {
					t.Errorf("%s and %s: bars of the same pattern", other, s)
				}
				seen[lines[s].marker] = s
			}

			legend := legendOf(t, doc)
			if len(legend) != experiments.MaxVariants {
				t.Fatalf("%d legend entries", len(legend))
			}
			table := findAll(doc, hasClass("table-results"))
			if len(table) != 1 {
				t.Fatalf("%d results tables", len(table))
			}
			if n := wantNamesLikeLegend(t, "results table", table[0], hasClass("result-name"), legend); n != experiments.MaxVariants {
				t.Errorf("results table: %d names with their line, want %d", n, experiments.MaxVariants)
			}
		})
	}
}

// TestRecordingsSeriesMarkers: beside each variant's name, the recordings
// card and the list of sessions show the legend's picture of that
// variant's line (the original's solid, ending in a circle), not a square
// of its colour: one identity per variant on every page.
func TestRecordingsSeriesMarkers(t *testing.T) {
	f := newRecordingsFixture(t)
	e, x := f.e, f.x
	c := e.signIn("owner@example.com")
	_, page := c.get("/experiments/" + x.ID + "/results")
	legend := legendOf(t, parseHTML(t, page))
	if len(legend) != 2 {
		t.Fatalf("legend %v, want the original and B", legend)
	}
	isCell := func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Variant" }
	tests := []struct {
		name          string
		client        *client
		path          string
		cards, others int
	}{
		{"results", c, "/experiments/" + x.ID + "/results", 2, 3},
		{"share", e.client(), "/r/" + x.ShareToken, 2, 3},
		{"recordings page", c, "/experiments/" + x.ID + "/recordings", 2, 3},
		{"share's recordings page", e.client(), "/r/" + x.ShareToken + "/recordings?variant=b", 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tt.client.get(tt.path)
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			if n := wantNamesLikeLegend(t, "recordings card", doc, func(n *xhtml.Node) bool {
				return hasClass("result-name")(n) && n.Parent != nil && hasClass("rec-variant")(n.Parent)
			}, legend); n != tt.cards {
				t.Errorf("recordings card: %d names with their line, want %d", n, tt.cards)
			}
			if n := wantNamesLikeLegend(t, "sessions", doc, isCell, legend); n != tt.others {
				t.Errorf("sessions: %d names with their line, want %d", n, tt.others)
			}
		})
	}
}
