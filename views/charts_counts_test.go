package views

import (
	"regexp"
	"testing"
)

// TestVisitChartCountLabels: the visitor chart's value axis writes counts
// as every other count on the results page does (the tables, the stats,
// the data tables): whole, with thousands separators. It used to switch
// to "5k / 10k" once a day (or hour) passed 10,000 visitors, so that two
// charts of one page, or of one test a day apart, read "2,000 / 4,000" and
// "5k / 10k". The labels still fit left of the plot.
func TestVisitChartCountLabels(t *testing.T) {
	whole := regexp.MustCompile(`^\d{1,3}(,\d{3})*$`)
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: SeriesClass(0)}}
	for _, tt := range []struct {
		top  int64
		want string // the top tick
	}{
		{3, "4"},
		{950, "1,000"},
		{8000, "8,000"},
		{12000, "15,000"},
		{47000, "60,000"},
		{2300000, "3,000,000"},
		{987654321, "1,000,000,000"},
	} {
		days := []DayRow{
			{Day: "2025-03-01", Cells: []DayCell{{Exposures: tt.top / 2}}},
			{Day: "2025-03-02", Cells: []DayCell{{Exposures: tt.top}}},
		}
		c := NewVisitChart("v", days, keys)
		if got := c.YTicks[len(c.YTicks)-1].Label; got != tt.want {
			t.Errorf("top %d: top tick %q, want %q", tt.top, got, tt.want)
		}
		for _, tk := range c.YTicks {
			if !whole.MatchString(tk.Label) {
				t.Errorf("top %d: tick %q is not a whole count with separators", tt.top, tk.Label)
			}
			if w := labelEm(tk.Label) * axisFontMax; c.Plot.X-8-w < 0 {
				t.Errorf("top %d: the value label %q (%.0f units) does not fit left of the plot at %.0f", tt.top, tk.Label, w, c.Plot.X)
			}
		}
		if c.Plot.W < chartWidth/2 {
			t.Errorf("top %d: the labels leave a plot %.0f units wide", tt.top, c.Plot.W)
		}
	}
}
