package views

import (
	"strconv"
	"strings"
	"testing"
)

// TestRateChartAxisWithinPercentRange: a conversion rate lies between 0%
// and 100%, so the rate chart's value axis never labels a tick outside
// that range, even when a variant converts every visitor (early data: 2
// of 2). The axis still has a few ticks and every point stays inside the
// plot. Found by a fresh-eyes review: the axis ran 80% to 120%.
func TestRateChartAxisWithinPercentRange(t *testing.T) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: SeriesClass(0)}, {Key: "b", Label: "Variant B", Class: SeriesClass(1)}}
	cell := func(n, c int64) DayCell {
		return DayCell{Exposures: n, Conversions: c, CumExposures: n, CumConversions: c,
			CumRate: float64(c) / float64(n), CumRateLow: 0, CumRateHigh: 1}
	}
	for _, tc := range []struct {
		name       string
		control, b DayCell
		wantTop    string // the top tick's label, when it must be 100%
	}{
		{name: "both convert everyone", control: cell(2, 2), b: cell(3, 3), wantTop: "100%"},
		{name: "one converts everyone", control: cell(2, 1), b: cell(2, 2), wantTop: "100%"},
		{name: "near everyone", control: cell(20, 18), b: cell(20, 19), wantTop: "100%"},
		{name: "nobody converts", control: cell(2, 0), b: cell(3, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			days := []DayRow{{Day: "2025-03-10", Cells: []DayCell{tc.control, tc.b}, TooFew: true}}
			c := NewRateChart("chart-rate", days, keys)
			if len(c.YTicks) < 3 {
				t.Fatalf("%d ticks, want at least 3: %+v", len(c.YTicks), c.YTicks)
			}
			var labels []string
			for _, tk := range c.YTicks {
				labels = append(labels, tk.Label)
			}
			for i, l := range labels {
				v, err := strconv.ParseFloat(strings.TrimSuffix(l, "%"), 64)
				if err != nil || !strings.HasSuffix(l, "%") {
					t.Fatalf("tick label %q is not a percentage", l)
				}
				if v < 0 || v > 100 {
					t.Errorf("tick %q outside 0%%–100%%: %v", l, labels)
				}
				if i > 0 && c.YTicks[i].Pos >= c.YTicks[i-1].Pos {
					t.Errorf("ticks do not rise: %+v", c.YTicks)
				}
			}
			if tc.wantTop != "" && labels[len(labels)-1] != tc.wantTop {
				t.Errorf("top tick %q, want %q: %v", labels[len(labels)-1], tc.wantTop, labels)
			}
			for _, s := range c.Series {
				for _, p := range s.Dots {
					if p.Y < c.Plot.Y-1e-9 || p.Y > c.Plot.Bottom()+1e-9 {
						t.Errorf("%s: dot %+v outside the plot %+v", s.Label, p, c.Plot)
					}
				}
			}
		})
	}
}
