package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// hourRows are n hours from start, each variant with a visitor an hour;
// tooFew marks the first few hours too few for an interval.
func hourRows(start time.Time, n, tooFew int) []DayRow {
	rows := make([]DayRow, n)
	for i := range rows {
		h := start.Add(time.Duration(i) * time.Hour)
		cum := int64(100 * (i + 1))
		cell := DayCell{Exposures: 100, Conversions: 5, CumExposures: cum, CumConversions: cum / 20, CumRate: 0.05,
			CumRateLow: 0.03, CumRateHigh: 0.07}
		rows[i] = DayRow{Day: h.Format(time.DateOnly), Hour: h, Cells: []DayCell{cell, cell}, TooFew: i < tooFew}
	}
	return rows
}

// TestChartsByHour: rows with hours make charts per hour, titled so, whose
// axis reads hours on round hours and the day at midnight, whose points
// and description name the hour, and whose rate band keeps the
// too-few rule.
func TestChartsByHour(t *testing.T) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: "series-0"}, {Key: "b", Label: "Variant B", Class: "series-1"}}
	start := time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		hours  int
		tooFew int
		ticks  string
		bands  bool
	}{
		{"launch day", 5, 5, "[14:00 15:00 16:00 17:00 18:00]", false},
		{"across midnight", 20, 3, "[16:00 20:00 11 Mar 04:00 08:00]", true},
		{"two days", 47, 0, "[11 Mar 12:00 12 Mar 12:00]", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := hourRows(start, tc.hours, tc.tooFew)
			rate, visits := NewRateChart("chart-rate", rows, keys), NewVisitChart("chart-visits", rows, keys)
			if rate.Title != "Conversion rate over time, per hour" || visits.Title != "New visitors per hour" {
				t.Errorf("titles %q, %q", rate.Title, visits.Title)
			}
			for _, c := range [][]Tick{rate.XTicks, visits.XTicks} {
				var labels []string
				for _, tk := range c {
					labels = append(labels, tk.Label)
				}
				if got := fmt.Sprint(labels); got != tc.ticks {
					t.Errorf("x labels %s, want %s", got, tc.ticks)
				}
			}
			if !strings.Contains(rate.Desc, "at the end of each hour, 10 Mar 14:00 to") || !strings.Contains(rate.Desc, " UTC,") {
				t.Errorf("rate desc %q", rate.Desc)
			}
			if !strings.HasPrefix(visits.Desc, "New visitors per hour, 10 Mar 14:00 to") || !strings.Contains(visits.Desc, "in one hour") {
				t.Errorf("visits desc %q", visits.Desc)
			}
			if !strings.HasPrefix(visits.Bars[0].Title, "10 Mar 14:00 · Original") {
				t.Errorf("bar title %q", visits.Bars[0].Title)
			}
			for _, s := range rate.Series {
				if (s.Band != "") != tc.bands {
					t.Errorf("%s: band %q, want one: %v", s.Label, s.Band, tc.bands)
				}
				if len(s.Dots) != tc.hours || !strings.HasPrefix(s.Dots[0].Title, "10 Mar 14:00 · ") {
					t.Errorf("%s: %d dots, first %q", s.Label, len(s.Dots), s.Dots[0].Title)
				}
				if tc.tooFew > 0 && !strings.Contains(s.Dots[0].Title, "too few yet for an interval") {
					t.Errorf("%s: dot %q of an hour too few", s.Label, s.Dots[0].Title)
				}
			}
		})
	}
}

// TestDataTablesByHour: the charts' tables name hours, with the day on
// the first row and where it changes, under "Hour (UTC)"; by day they
// keep the day.
func TestDataTablesByHour(t *testing.T) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: "series-0"}, {Key: "b", Label: "Variant B", Class: "series-1"}}
	rows := hourRows(time.Date(2025, 3, 10, 22, 0, 0, 0, time.UTC), 4, 4)
	tr := Trends{Keys: keys, Days: rows, Hourly: true, HourlyMax: 10000,
		RateChart: NewRateChart("chart-rate", rows, keys), VisitChart: NewVisitChart("chart-visits", rows, keys)}
	doc, body := renderDoc(t, ResultsTrends(tr))
	for _, id := range []string{"rate-data", "visit-data"} {
		box := find(doc, byAttr("id", id))
		if len(box) != 1 {
			t.Fatalf("%d #%s", len(box), id)
		}
		var names []string
		for _, th := range find(box[0], func(n *html.Node) bool { return n.Data == "th" }) {
			names = append(names, strings.TrimSpace(text(th)))
		}
		if want := "[Hour (UTC) Original Variant B 2025-03-10 22:00 23:00 2025-03-11 00:00 01:00]"; fmt.Sprint(names) != want {
			t.Errorf("%s: headers %q, want %s", id, names, want)
		}
	}
	for _, s := range []string{"at the end of each hour (UTC)", "New visitors each hour (UTC)", "per hour</caption>", "up to 10,000 visitors"} {
		if !strings.Contains(body, s) {
			t.Errorf("no %q", s)
		}
	}

	days := []DayRow{{Day: "2025-03-10", Cells: rows[0].Cells}, {Day: "2025-03-11", Cells: rows[1].Cells}}
	tr = Trends{Keys: keys, Days: days, RateChart: NewRateChart("chart-rate", days, keys), VisitChart: NewVisitChart("chart-visits", days, keys)}
	doc, body = renderDoc(t, ResultsTrends(tr))
	var names []string
	for _, th := range find(find(doc, byAttr("id", "visit-data"))[0], func(n *html.Node) bool { return n.Data == "th" }) {
		names = append(names, strings.TrimSpace(text(th)))
	}
	if fmt.Sprint(names) != "[Day Original Variant B 2025-03-10 2025-03-11]" {
		t.Errorf("by day: headers %q", names)
	}
	if strings.Contains(body, "UTC") || strings.Contains(body, "per hour") {
		t.Error("a chart by day speaks of hours")
	}
}
