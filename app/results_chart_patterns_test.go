package app

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// seriesPattern is how a series of the rate chart looks without its
// colour: the dashes of its line and the shape of its points (the marker's
// path with its position taken off, and whether it is filled).
type seriesPattern struct{ dash, marker string }

// markerAt is the leading "M x y " of a marker's path: the rest is its
// shape, drawn in relative steps.
var markerAt = regexp.MustCompile(`^M\s*-?[0-9.]+[\s,]+-?[0-9.]+\s*`)

// markerOf is the shape of a marker: a chart's point (chart-dot) or a
// legend's (legend-marker).
func markerOf(t *testing.T, n *xhtml.Node) string {
	t.Helper()
	d := attrOf(n, "d")
	if n.Data != "path" || !markerAt.MatchString(d) {
		t.Errorf("marker <%s d=%q>: want a path drawn from its centre", n.Data, d)
		return "<" + n.Data + ">"
	}
	shape := markerAt.ReplaceAllString(d, "")
	if hasClass("marker-filled")(n) {
		shape += " filled"
	}
	return shape
}

// dashOf is a line's stroke-dasharray attribute, "none" when solid.
func dashOf(n *xhtml.Node) string {
	if d := strings.Join(strings.Fields(attrOf(n, "stroke-dasharray")), " "); d != "" {
		return d
	}
	return "none"
}

// seriesOf is the series-N class of a chart element or legend swatch.
func seriesOf(n *xhtml.Node) string {
	for _, c := range strings.Fields(attrOf(n, "class")) {
		if strings.HasPrefix(c, "series-") {
			return c
		}
	}
	return ""
}

// fullTestWithResults starts a test with as many variants as a test may
// have, on a site of its own, and gives it three days of results.
func fullTestWithResults(t *testing.T, e *env) experiments.Experiment {
	t.Helper()
	site := e.site("Shop")
	texts := []string{"Buy today"}
	for i := 1; i < experiments.MaxVariants; i++ {
		texts = append(texts, "New copy "+strconv.Itoa(i))
	}
	x := e.transition(e.experiment(site.ID, "Hero", texts...).ID, "start")
	if len(x.Variants) != experiments.MaxVariants {
		t.Fatalf("%d variants", len(x.Variants))
	}
	rates := map[string]float64{}
	for i, v := range x.Variants {
		rates[v.Key] = 0.05 + 0.005*float64(i)
	}
	bulkResults(t, e.store, site, x, bulkSpec{Events: 4000, Start: time.Now().AddDate(0, 0, -3), Days: 3, Seed: 5, Rates: rates})
	return x
}

// TestResultsChartSeriesPatterns: WCAG 1.4.1 (use of colour). The lines
// of the rate chart differ in their dashes and the shapes of their points,
// not in colour alone, and each legend entry shows its line's pattern, for
// as many variants as a test may have, on the results page and the share
// page: a colour-blind reader, or a greyscale print, can still tell which
// line is which. The original's line is solid.
func TestResultsChartSeriesPatterns(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := fullTestWithResults(t, e)

	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
		t.Run(path, func(t *testing.T) {
			cl := c
			if strings.HasPrefix(path, "/r/") {
				cl = e.client() // a reviewer with no account
			}
			resp, body := cl.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)

			lines := map[string]seriesPattern{}
			for _, l := range findAll(doc, hasClass("chart-line")) {
				s := seriesOf(l)
				dots := findAll(doc, func(n *xhtml.Node) bool { return hasClass("chart-dot")(n) && seriesOf(n) == s })
				if len(dots) == 0 {
					t.Errorf("%s: a line without markers", s)
					continue
				}
				p := seriesPattern{dash: dashOf(l), marker: markerOf(t, dots[0])}
				for _, d := range dots[1:] {
					if m := markerOf(t, d); m != p.marker {
						t.Errorf("%s: markers %q and %q on one line", s, p.marker, m)
					}
				}
				lines[s] = p
			}
			if len(lines) != experiments.MaxVariants {
				t.Fatalf("%d lines, want %d", len(lines), experiments.MaxVariants)
			}

			legends := findAll(doc, hasClass("legend"))
			if len(legends) != 1 {
				t.Fatalf("%d legends", len(legends))
			}
			items := findAll(legends[0], func(n *xhtml.Node) bool { return n.Data == "li" })
			if len(items) != experiments.MaxVariants {
				t.Fatalf("%d legend entries", len(items))
			}
			seen := map[seriesPattern]string{}
			seenDash := map[string]string{}
			seenMarker := map[string]string{}
			for i, li := range items {
				name := textOf(li)
				sw := findAll(li, hasClass("legend-swatch"))
				if len(sw) != 1 {
					t.Errorf("legend %q: %d swatches", name, len(sw))
					continue
				}
				s := seriesOf(sw[0])
				ls, ms := findAll(sw[0], hasClass("legend-line")), findAll(sw[0], hasClass("legend-marker"))
				if len(ls) != 1 || len(ms) != 1 {
					t.Errorf("legend %q: %d lines, %d markers in its swatch", name, len(ls), len(ms))
					continue
				}
				p := seriesPattern{dash: dashOf(ls[0]), marker: markerOf(t, ms[0])}
				if want, ok := lines[s]; !ok || p != want {
					t.Errorf("legend %q (%s) shows %+v, its line %+v", name, s, p, want)
				}
				if (i == 0) != (p.dash == "none") {
					t.Errorf("legend %q: dashes %q: only the original's line is solid", name, p.dash)
				}
				if other, ok := seen[p]; ok {
					t.Errorf("%q and %q share the pattern %+v", other, name, p)
				}
				if other, ok := seenDash[p.dash]; ok {
					t.Errorf("%q and %q share the dashes %q", other, name, p.dash)
				}
				if other, ok := seenMarker[p.marker]; ok {
					t.Errorf("%q and %q share the marker %q", other, name, p.marker)
				}
				seen[p], seenDash[p.dash], seenMarker[p.marker] = name, name, name
			}
		})
	}
}
