package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// h6Segments is a device dimension where Variant B converts as the
// original does on desktop (800 visitors and 80 clicks each) and far
// better on mobile (40 against 140 of 400): overall it is +83.3%, so
// desktop is marked as clearly worse than overall although B is level
// with the original there.
func h6Segments() Trends {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: "series-0"}, {Key: "b", Label: "Variant B", Class: "series-1"}}
	return Trends{Keys: keys, Dimensions: 1, Overall: map[string]float64{"b": 0.8333},
		Segments: []SegmentTable{{Dimension: "device", Title: "Device", Open: true, Keys: keys, Rows: []SegmentRow{
			{Label: "Desktop", Visitors: 1600, Flagged: true, Cells: []SegmentCell{
				{Exposures: 800, Conversions: 80, Rate: 0.1},
				{Exposures: 800, Conversions: 80, Rate: 0.1, HasUplift: true, Uplift: 0, Flag: "worse"}}},
			{Label: "Mobile", Visitors: 800, Flagged: true, Cells: []SegmentCell{
				{Exposures: 400, Conversions: 40, Rate: 0.1},
				{Exposures: 400, Conversions: 140, Rate: 0.35, HasUplift: true, Uplift: 2.5, Flag: "better"}}},
			{Label: "Tablet", Visitors: 400, Flagged: true, Cells: []SegmentCell{
				{Exposures: 200, Conversions: 40, Rate: 0.2},
				{Exposures: 200, Conversions: 20, Rate: 0.1, HasUplift: true, Uplift: -0.5, Flag: "worse"}}},
		}}}}
}

// TestH6SegmentMarkSaysWhatItCompares: a segment's mark compares a
// variant with itself overall, not with the original. It said "▼ clearly
// worse" in red, "here than overall" hidden from sight, beside a rate
// equal to the original's. It says "here than overall" in sight, with the
// overall figure, and is red only where the variant also loses to the
// original there (tablet), green only where it also beats it (mobile).
func TestH6SegmentMarkSaysWhatItCompares(t *testing.T) {
	doc, _ := renderDoc(t, ResultsTrends(h6Segments()))
	for _, tt := range []struct {
		row, mark, cell, flag string
	}{
		{"Desktop", "▼ clearly lower lift here than overall (+83.3% overall)", "cell-even", "flag-even"},
		{"Mobile", "▲ clearly higher lift here than overall (+83.3% overall)", "cell-better", "flag-better"},
		{"Tablet", "▼ clearly lower lift here than overall (+83.3% overall)", "cell-worse", "flag-worse"},
	} {
		t.Run(tt.row, func(t *testing.T) {
			var cell *html.Node
			for _, tr := range find(doc, byTag("tr")) {
				if th := find(tr, byTag("th")); len(th) > 0 && text(th[0]) == tt.row {
					cell = find(tr, byTag("td"))[2]
				}
			}
			if cell == nil {
				t.Fatal("no row")
			}
			var seen []string
			for _, n := range find(cell, byClass("flag")) {
				seen = append(seen, text(n))
			}
			for _, n := range find(cell, byClass("flag-overall")) {
				seen = append(seen, text(n))
			}
			if got := strings.Join(seen, " "); got != tt.mark {
				t.Errorf("the mark reads %q, want %q", got, tt.mark)
			}
			for _, n := range find(cell, byClass("sr-only")) {
				t.Errorf("words hidden from sight: %q", text(n))
			}
			class, _ := attr(cell, "class")
			if !strings.Contains(" "+class+" ", " "+tt.cell+" ") {
				t.Errorf("the cell's class is %q, want %s", class, tt.cell)
			}
			if len(find(cell, byClass(tt.flag))) != 1 {
				t.Errorf("no %s in the cell", tt.flag)
			}
		})
	}
}

// TestH6PValueTwoSignificantDigits: p-values have two significant digits
// at every size. From 0.01 up they had two decimals: 0.045 to 0.054 all
// read "0.05", the line the hint compares with, and an adjusted 0.0177
// read "0.02" under a raw "0.0088".
func TestH6PValueTwoSignificantDigits(t *testing.T) {
	for _, tt := range []struct {
		p    float64
		want string
	}{
		{0.00005, "< 0.0001"},
		{0.00012, "0.00012"},
		{0.0088, "0.0088"},
		{0.00996, "0.010"},
		{0.0177, "0.018"},
		{0.045, "0.045"},
		{0.0499, "0.050"},
		{0.054, "0.054"},
		{0.0996, "0.10"},
		{0.123, "0.12"},
		{0.5, "0.50"},
		{0.994, "0.99"},
		{0.996, "1.0"},
		{1, "1.0"},
	} {
		if got := pValue(tt.p); got != tt.want {
			t.Errorf("pValue(%v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// TestH6PausedTimeInWords: a paused test's stat read "not counting <1
// hour paused", then "not counting under an hour paused", both hard to
// parse under "<1 hour of running, now paused". It says plainly that the
// time paused, in words, is left out.
func TestH6PausedTimeInWords(t *testing.T) {
	for _, tt := range []struct {
		paused float64
		want   string
	}{
		{0.01, "time paused (under an hour) left out"},
		{0.2, "time paused (4 hours) left out"},
		{2.5, "time paused (2 days) left out"},
	} {
		doc, _ := renderDoc(t, ResultsPanel(Results{Status: "paused", Days: 0.02, DaysPaused: tt.paused,
			Verdict: Verdict{Status: "not_enough_data", Text: "…"}}))
		var got []string
		for _, n := range find(doc, byClass("stat-label")) {
			if s := text(n); strings.HasPrefix(s, "time paused") {
				got = append(got, s)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("paused %v: %q, want %q", tt.paused, got, tt.want)
		}
	}
}

// TestH6ShippedPanelSaysWhichAndWhen: a shipped test's panel said only
// "Too early to call" under a "Shipped" badge. It names the shipped
// variant and when it was shipped, and marks its row.
func TestH6ShippedPanelSaysWhichAndWhen(t *testing.T) {
	at := time.Date(2025, 3, 4, 15, 30, 0, 0, time.UTC)
	r := Results{Status: "stopped", ShippedKey: "b", ShippedAt: at, TotalVisits: 200,
		Verdict: Verdict{Status: "keep_running", Text: "…", Ended: true},
		Rows: []ResultRow{
			{Key: "control", Control: true, Exposures: 100, Conversions: 5, Rate: 0.05},
			{Key: "b", Exposures: 100, Conversions: 7, Rate: 0.07},
		}}
	doc, _ := renderDoc(t, ResultsPanel(r))
	notes := find(doc, byAttr("id", "shipped-note"))
	if len(notes) != 1 {
		t.Fatal("no shipped note")
	}
	if got := text(notes[0]); !strings.Contains(got, "Shipped: Variant B") || !strings.Contains(got, "Variant B was shipped on "+dateTime(at)) {
		t.Errorf("the note reads %q", got)
	}
	rows := find(doc, byClass("row-shipped"))
	if len(rows) != 1 || !strings.Contains(text(rows[0]), "Variant B") || len(find(rows[0], byClass("badge-shipped"))) != 1 {
		t.Errorf("%d rows marked shipped", len(rows))
	}
}
