package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// h7Results is a running test with two variants: the original, and a
// generated Variant B whose copy went missing on some page views, so that
// each row has a health line and B a provenance line.
func h7Results() Results {
	return Results{Status: "running", TotalVisits: 2000, TotalConvert: 210,
		Verdict: Verdict{Status: "keep_running", Text: "Not enough visitors yet to tell the variants apart."},
		Rows: []ResultRow{
			{Key: "control", Control: true, Text: "Simple pricing for growing teams", Exposures: 1000, Conversions: 100, Rate: 0.1,
				Health: Health{Applied: 1000, MedianMS: 40}},
			{Key: "b", Text: "Pay for what you ship", Exposures: 1000, Conversions: 110, Rate: 0.11,
				Health: Health{Applied: 700, Missed: 300, MedianMS: 60, Missing: true},
				Provenance: Provenance{Source: "model", Model: "test-model-2026", PromptVersion: "v1",
					Created: time.Date(2026, 1, 2, 15, 4, 0, 0, time.UTC), ApprovedBy: "ann@example.com"}},
		}}
}

// TestH7RowHeaderIsLabelAndCopy: a screen reader repeats a row's header
// with every cell it reads. A variant's header held its label, its whole
// copy, its provenance and its health line, 30 to 50 words before each
// number. It holds the label and the copy; the provenance and the health
// line are still in the table, in a cell of the variant's own, right under
// its header.
func TestH7RowHeaderIsLabelAndCopy(t *testing.T) {
	r := h7Results()
	doc, _ := renderDoc(t, ResultsPanel(r))
	var heads []*html.Node
	for _, th := range find(doc, byTag("th")) {
		if s, _ := attr(th, "scope"); s == "row" {
			heads = append(heads, th)
		}
	}
	if len(heads) != len(r.Rows) {
		t.Fatalf("%d row headers, want %d", len(heads), len(r.Rows))
	}
	for i, th := range heads {
		row := r.Rows[i]
		// Compared without their spaces: the label and the copy are blocks
		// of their own, read apart.
		got := h7Squeeze(text(th))
		want := VariantLabel(row.Key, row.Control) + " " + row.Text
		if got != h7Squeeze(want) {
			t.Errorf("row header %q, want %q", got, want)
		}
		// The lines left out of the header are in a cell of the row, or of
		// the row that follows it (its second line).
		var cells string
		rows := []*html.Node{th.Parent}
		for n := th.Parent.NextSibling; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode {
				rows = append(rows, n)
				break
			}
		}
		for _, tr := range rows {
			for _, td := range find(tr, byTag("td")) {
				cells += h7Squeeze(text(td))
			}
		}
		lines := []string{healthLine(row.Health)}
		if row.Provenance.Generated() {
			lines = append(lines, row.Provenance.Line())
		}
		for _, line := range lines {
			if !strings.Contains(cells, h7Squeeze(line)) {
				t.Errorf("%s: %q is in no cell of its row", want, line)
			}
		}
	}
}

// TestH7ResultsHeadings: the results panel's verdict and its table are in
// the page's outline. The verdict's title was a <p>: it is a heading of
// level 2, the level of the page's other sections, and the table has a
// heading of its own, for screen readers only (it looked finished
// without one).
func TestH7ResultsHeadings(t *testing.T) {
	r := h7Results()
	doc, _ := renderDoc(t, ResultsPanel(r))
	titles := find(doc, byClass("verdict-title"))
	if len(titles) != 1 {
		t.Fatalf("%d verdict titles", len(titles))
	}
	if titles[0].Data != "h2" {
		t.Errorf("the verdict's title is a <%s>, want an <h2>", titles[0].Data)
	}
	if got := strings.TrimPrefix(text(titles[0]), verdictIcon("keep_running", false)); got != "Keep the test running" {
		t.Errorf("the verdict's heading says %q", got)
	}
	var tableHeading *html.Node
	for _, h := range find(doc, byTag("h2")) {
		if strings.TrimSpace(text(h)) == "Results per variant" {
			tableHeading = h
		}
	}
	if tableHeading == nil {
		t.Fatal("no heading names the results table")
	}
	// The heading comes before the table, after the verdict.
	var order []string
	for _, n := range find(doc, func(n *html.Node) bool { return n == titles[0] || n == tableHeading || n.Data == "table" }) {
		order = append(order, n.Data+":"+strings.TrimSpace(text(n))[:min(len(strings.TrimSpace(text(n))), 12)])
	}
	if len(order) != 3 || !strings.HasPrefix(order[0], "h2:") || !strings.HasPrefix(order[1], "h2:Results") || !strings.HasPrefix(order[2], "table:") {
		t.Errorf("order %v, want the verdict, the table's heading, then the table", order)
	}
}

// h7Squeeze is s without any white space.
func h7Squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
