package views

import (
	"strings"
	"testing"
)

// TestRateChartBandStartsWithEnoughVisitors: the rate chart draws no
// interval for a day whose running totals were too few for a verdict
// (DayRow.TooFew): the band starts on the first day with enough, the line
// and the dots run from the first day, and a dot of a day too few names no
// interval. With no day enough there is no band at all, and the
// description says so.
func TestRateChartBandStartsWithEnoughVisitors(t *testing.T) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: "series-0"}, {Key: "b", Label: "Variant B", Class: "series-1"}}
	cell := func(n, c int64) DayCell {
		return DayCell{CumExposures: n, CumConversions: c, CumRate: float64(c) / float64(n), CumRateLow: 0.01, CumRateHigh: 0.5}
	}
	days := []DayRow{
		{Day: "2025-03-10", Cells: []DayCell{cell(40, 2), cell(40, 3)}, TooFew: true},
		{Day: "2025-03-11", Cells: []DayCell{cell(120, 6), cell(130, 9)}},
		{Day: "2025-03-12", Cells: []DayCell{cell(300, 15), cell(310, 20)}},
	}
	c := NewRateChart("chart-rate", days, keys)
	for _, s := range c.Series {
		if got := strings.Count(s.Line, "M") + strings.Count(s.Line, "L"); got != 3 {
			t.Errorf("%s: line through %d days, want 3", s.Label, got)
		}
		// Upper edge through two days, lower edge back through two.
		if got := strings.Count(s.Band, "M") + strings.Count(s.Band, "L"); got != 4 || !strings.HasPrefix(s.Band, "M") {
			t.Errorf("%s: band %q, want it over the last two days", s.Label, s.Band)
		}
		if len(s.Dots) != 3 || strings.Contains(s.Dots[0].Title, "95% interval") || !strings.Contains(s.Dots[0].Title, "too few yet for an interval") ||
			!strings.Contains(s.Dots[1].Title, "95% interval") {
			t.Errorf("%s: dot titles %q / %q", s.Label, s.Dots[0].Title, s.Dots[1].Title)
		}
	}
	if !strings.Contains(c.Desc, "with shaded 95% intervals") {
		t.Errorf("desc %q", c.Desc)
	}

	for i := range days {
		days[i].TooFew = true
	}
	c = NewRateChart("chart-rate", days, keys)
	for _, s := range c.Series {
		if s.Band != "" {
			t.Errorf("%s: band %q with too few visitors every day", s.Label, s.Band)
		}
	}
	if !strings.Contains(c.Desc, "without intervals while there are too few visitors") {
		t.Errorf("desc %q", c.Desc)
	}
	doc, _ := renderDoc(t, lineChart(c))
	if n := len(find(doc, byClass("chart-band"))); n != 0 {
		t.Errorf("%d bands drawn", n)
	}
}
