package views

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestVerdictHeadlines: every status's headline, running and ended, early
// and not. An answer that came too early is not called: running, it says
// what leads and that it is not called yet; ended, it is too early to
// call, as a lead that never became an answer is. Nothing that has ended
// says "yet".
func TestVerdictHeadlines(t *testing.T) {
	for _, tt := range []struct {
		status       string
		ended, early bool
		want         string
	}{
		{"winner", false, false, "We have a winner"},
		{"winner", true, false, "We have a winner"},
		{"winner", false, true, "Early lead: not called yet"},
		{"winner", true, true, "Too early to call"},
		{"control_wins", false, false, "Keep the original"},
		{"control_wins", false, true, "Original ahead: not called yet"},
		{"control_wins", true, true, "Too early to call"},
		{"no_meaningful_difference", false, false, "No meaningful difference"},
		{"no_meaningful_difference", false, true, "No difference so far: not called yet"},
		{"no_meaningful_difference", true, true, "Too early to call"},
		{"keep_running", false, false, "Keep the test running"},
		{"keep_running", true, false, "Too early to call"},
		{"srm", false, false, "Results can’t be trusted yet"},
		{"srm", true, false, "Results can’t be trusted"},
		{"not_enough_data", false, false, "Not enough data yet"},
		{"not_enough_data", true, false, "Not enough data"},
	} {
		got := verdictHeadline(tt.status, tt.ended, tt.early, false)
		if got != tt.want {
			t.Errorf("%s ended=%v early=%v: %q, want %q", tt.status, tt.ended, tt.early, got, tt.want)
		}
		if tt.ended && strings.Contains(got, "yet") {
			t.Errorf("%s: an ended test's headline %q says yet", tt.status, got)
		}
	}
}

// TestVerdictBlockEarly: an early answer is marked verdict-early, wears the
// "in progress" glyph of a test still running rather than the answer's,
// and its caution banner is headed for a running or a stopped test.
func TestVerdictBlockEarly(t *testing.T) {
	for _, tt := range []struct {
		name                string
		verdict             Verdict
		caution             string
		icon, title, banner string
		early               bool
	}{
		{"a winner", Verdict{Status: "winner", Text: "Variant B lifts clicks by +30.0% (…). Ship it."}, "",
			"✓", "We have a winner", "", false},
		{"an early lead", Verdict{Status: "winner", Text: "Variant B lifts clicks by +30.0% so far (…), but it is too early to call.", Early: true},
			"This looks clear, but …", "◔", "Early lead: not called yet", "Don’t call it yet", true},
		{"an early lead, stopped", Verdict{Status: "winner", Text: "…", Early: true, Ended: true},
			"This looks clear, but the test ran …", "◔", "Too early to call", "Stopped too soon", true},
		{"keep running", Verdict{Status: "keep_running", Text: "…"}, "", "◔", "Keep the test running", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := renderDoc(t, ResultsPanel(Results{Status: "running", Verdict: tt.verdict, Caution: tt.caution}))
			blocks := find(doc, byClass("verdict"))
			if len(blocks) != 1 {
				t.Fatalf("%d verdict blocks", len(blocks))
			}
			if early := byClass("verdict-early")(blocks[0]); early != tt.early {
				t.Errorf("verdict-early %v, want %v", early, tt.early)
			}
			if icon := text(find(blocks[0], byClass("verdict-icon"))[0]); icon != tt.icon {
				t.Errorf("icon %q, want %q", icon, tt.icon)
			}
			title := text(find(blocks[0], byClass("verdict-title"))[0])
			if title != tt.icon+tt.title {
				t.Errorf("title %q, want %q", title, tt.title)
			}
			var banner string
			for _, b := range find(doc, byClass("banner-warn")) {
				banner = text(find(b, byClass("banner-title"))[0])
			}
			if banner != tt.banner {
				t.Errorf("caution banner %q, want %q", banner, tt.banner)
			}
		})
	}
}

// TestHealthLine: where and how soon the copy was shown, in plain words
// and whole milliseconds, the share as the results write shares.
func TestHealthLine(t *testing.T) {
	for _, tt := range []struct {
		h    Health
		want string
	}{
		{Health{Applied: 996, Missed: 4, MedianMS: 20}, "Shown on 99.6% of page views, typically 20\u00a0ms after the page starts loading"},
		{Health{Applied: 10, MedianMS: 224.5}, "Shown on 100% of page views, typically 225\u00a0ms after the page starts loading"},
		{Health{Applied: 99999, Missed: 1, MedianMS: 1234.4}, "Shown on >99.9% of page views, typically 1,234\u00a0ms after the page starts loading"},
		{Health{Applied: 5, MedianMS: 0.4}, "Shown on 100% of page views, typically less than 1\u00a0ms after the page starts loading"},
		{Health{Applied: 3, Missed: 1}, "Shown on 75% of page views"},
		{Health{}, ""},
	} {
		if got := healthLine(tt.h); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.h, got, tt.want)
		}
	}
}

// TestResultsNumberFormats: the panel writes rates, uplifts and ranges by
// one rule each (stats.FormatRate and the rules beside it): a rate with
// its interval "7.93%" over "7.71% to 8.20%", an uplift "+33.1%" over
// "+5.0% to +15.6%", and the segments' uplifts like the table's.
func TestResultsNumberFormats(t *testing.T) {
	r := Results{Status: "running", Threshold: 0.1, Rows: []ResultRow{
		{Key: "control", Control: true, Exposures: 10000, Conversions: 793, Rate: 0.0793, RateLow: 0.0771, RateHigh: 0.082, HasInterval: true},
		{Key: "b", Exposures: 10000, Conversions: 1056, Rate: 0.1056, RateLow: 0.0994, RateHigh: 0.1118, HasInterval: true,
			Uplift: 0.331, HasUplift: true, UpliftLow: 0.05, UpliftHigh: 0.156, HasUpliftInterval: true},
	}}
	doc, raw := renderDoc(t, ResultsPanel(r))
	cells := func(label string) []string {
		var out []string
		for _, td := range find(doc, byAttr("data-label", label)) {
			var parts []string
			for _, s := range find(td, func(n *html.Node) bool { return n.Data == "span" }) {
				parts = append(parts, text(s))
			}
			out = append(out, strings.Join(parts, "|"))
		}
		return out
	}
	if got := cells("Conversion rate"); strings.Join(got, " / ") != "7.93%|7.71% to 8.20% / 10.6%|9.94% to 11.2%" {
		t.Errorf("rates %q", got)
	}
	if got := cells("Uplift"); strings.Join(got, " / ") != "baseline / +33.1%|+5.0% to +15.6%" {
		t.Errorf("uplifts %q", got)
	}
	if strings.Contains(raw, " – ") {
		t.Error("a range with a dash")
	}

	tr := Trends{Keys: []SeriesKey{{Key: "control", Label: "Original"}, {Key: "b", Label: "Variant B"}}, Dimensions: 1,
		Segments: []SegmentTable{{Dimension: "device", Title: "Device", Keys: []SeriesKey{{Key: "control"}, {Key: "b"}},
			Rows: []SegmentRow{{Label: "Mobile", Visitors: 2000, Cells: []SegmentCell{
				{Exposures: 1000, Conversions: 80, Rate: 0.08},
				{Exposures: 1000, Conversions: 100, Rate: 0.1, Uplift: 0.25, HasUplift: true}}}}}}}
	doc, _ = renderDoc(t, ResultsTrends(tr))
	var seg []string
	for _, td := range find(doc, func(n *html.Node) bool { return n.Data == "td" }) {
		seg = append(seg, strings.Join(strings.Fields(text(td)), " "))
	}
	if got := strings.Join(seg, " / "); got != "2,000 / 8.00% / 10.0% +25.0%" {
		t.Errorf("segment cells %q", got)
	}
}
