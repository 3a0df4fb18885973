package views

import (
	"strings"
	"testing"
	"time"
)

// TestRateChartEndMarkers: a line of a long test (too many days for a dot
// on each) still ends in its marker, so that a reader who cannot tell the
// colours apart matches each line with its legend entry by its shape too;
// the marker has the last day's numbers. A short test keeps a dot per
// day.
func TestRateChartEndMarkers(t *testing.T) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: SeriesClass(0)}, {Key: "b", Label: "Variant B", Class: SeriesClass(1)}}
	rows := func(n int) []DayRow {
		start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		var days []DayRow
		for i := range n {
			cell := DayCell{Exposures: 100, Conversions: 8, CumExposures: int64(100 * (i + 1)), CumConversions: int64(8 * (i + 1)),
				CumRate: 0.08, CumRateLow: 0.07, CumRateHigh: 0.09}
			days = append(days, DayRow{Day: start.AddDate(0, 0, i).Format(time.DateOnly), Cells: []DayCell{cell, cell}})
		}
		return days
	}
	for _, tc := range []struct {
		name       string
		days, dots int
	}{
		{"a month", 31, 31},
		{"two months", 60, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewRateChart("r", rows(tc.days), keys)
			if len(c.Series) != 2 {
				t.Fatalf("%d series", len(c.Series))
			}
			for _, s := range c.Series {
				if len(s.Dots) != tc.dots {
					t.Fatalf("%s: %d dots, want %d", s.Label, len(s.Dots), tc.dots)
				}
				end := s.Dots[len(s.Dots)-1]
				if want := num(c.Plot.X + c.Plot.W*(float64(tc.days)-0.5)/float64(tc.days)); num(end.X) != want ||
					!strings.HasSuffix(s.Line, " "+num(end.Y)) || !strings.Contains(s.Line, num(end.X)+" "+num(end.Y)) {
					t.Errorf("%s: the last dot at %s,%s, the line %q ends elsewhere", s.Label, num(end.X), num(end.Y), s.Line[max(len(s.Line)-20, 0):])
				}
				last := rows(tc.days)[tc.days-1]
				if want := pointName(last) + " · " + s.Label + ": "; !strings.HasPrefix(end.Title, want) ||
					!strings.HasSuffix(end.Title, " "+count(int64(100*tc.days))+" visitors") {
					t.Errorf("%s: the last dot's title %q", s.Label, end.Title)
				}
			}
		})
	}
}
