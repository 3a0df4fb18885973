package views

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		top  float64
		n    int
		want []float64
	}{
		{0.113, 4, []float64{0, 0.05, 0.1, 0.15}},
		{0.08, 4, []float64{0, 0.02, 0.04, 0.06, 0.08}},
		{950, 4, []float64{0, 250, 500, 750, 1000}},
		{0, 4, []float64{0, 0.25, 0.5, 0.75, 1}},
	} {
		got := niceTicks(tc.top, tc.n)
		if len(got) != len(tc.want) {
			t.Errorf("niceTicks(%v) = %v, want %v", tc.top, got, tc.want)
			continue
		}
		for i := range got {
			if d := got[i] - tc.want[i]; d > 1e-12 || d < -1e-12 {
				t.Errorf("niceTicks(%v) = %v, want %v", tc.top, got, tc.want)
				break
			}
		}
	}
	if got := percentTick(0.025, 0.025); got != "2.5%" {
		t.Errorf("percentTick = %q", got)
	}
}

func chartDays() ([]DayRow, []SeriesKey) {
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: SeriesClass(0)}, {Key: "b", Label: "Variant B", Class: SeriesClass(1)}}
	days := []DayRow{
		{Day: "2025-03-10", Cells: []DayCell{
			{Exposures: 100, Conversions: 5, CumExposures: 100, CumConversions: 5, CumRate: 0.05, CumRateLow: 0.02, CumRateHigh: 0.11},
			{Exposures: 0}}}, // B has no visitor on the first day
		{Day: "2025-03-11", Cells: []DayCell{
			{Exposures: 120, Conversions: 7, CumExposures: 220, CumConversions: 12, CumRate: 0.0545, CumRateLow: 0.03, CumRateHigh: 0.09},
			{Exposures: 200, Conversions: 14, CumExposures: 200, CumConversions: 14, CumRate: 0.07, CumRateLow: 0.04, CumRateHigh: 0.11}}},
	}
	return days, keys
}

func TestRateChart(t *testing.T) {
	days, keys := chartDays()
	c := NewRateChart("r", days, keys)
	if c.Empty || len(c.Series) != 2 {
		t.Fatalf("chart %+v", c)
	}
	// The control's line has both days; B's starts on its first visitor.
	if got := strings.Count(c.Series[0].Line, "L"); got != 1 || !strings.HasPrefix(c.Series[0].Line, "M") {
		t.Errorf("control line %q", c.Series[0].Line)
	}
	if strings.Contains(c.Series[1].Line, "L") || len(c.Series[1].Dots) != 1 {
		t.Errorf("B line %q, %d dots", c.Series[1].Line, len(c.Series[1].Dots))
	}
	if !strings.HasSuffix(c.Series[0].Band, "Z") {
		t.Errorf("band %q", c.Series[0].Band)
	}
	// Every point lies inside the plot (bands may leave it: they are clipped).
	for _, s := range c.Series {
		for _, p := range s.Dots {
			if p.X < c.Plot.X || p.X > c.Plot.Right() || p.Y < c.Plot.Y || p.Y > c.Plot.Bottom() {
				t.Errorf("dot %+v outside the plot %+v", p, c.Plot)
			}
		}
	}
	if want := []string{"10 Mar", "11 Mar"}; !reflect.DeepEqual([]string{c.XTicks[0].Label, c.XTicks[1].Label}, want) {
		t.Errorf("x ticks %+v", c.XTicks)
	}
	if !strings.Contains(c.Desc, "Variant B 7.00%") {
		t.Errorf("desc %q", c.Desc)
	}
	if e := NewRateChart("r", nil, keys); !e.Empty {
		t.Error("no days, yet not empty")
	}
}

func TestVisitChart(t *testing.T) {
	days, keys := chartDays()
	c := NewVisitChart("v", days, keys)
	if len(c.Bars) != 3 { // the empty cell draws nothing
		t.Fatalf("%d bars", len(c.Bars))
	}
	// The second day's two bars stack: B sits on the original.
	a, b := c.Bars[1], c.Bars[2]
	if d := (a.Y - (b.Y + b.H)); d > 1e-9 || d < -1e-9 {
		t.Errorf("bars do not stack: %+v %+v", a, b)
	}
	if top := c.YTicks[len(c.YTicks)-1]; top.Label != "400" {
		t.Errorf("top tick %+v", top)
	}
}

// TestChartsRender checks the accessible SVG: role, title and description
// named by aria-labelledby.
func TestChartsRender(t *testing.T) {
	days, keys := chartDays()
	tr := Trends{Keys: keys, Days: days, RateChart: NewRateChart("chart-rate", days, keys), VisitChart: NewVisitChart("chart-visits", days, keys)}
	doc, _ := renderDoc(t, ResultsTrends(tr))
	svgs := find(doc, func(n *html.Node) bool { v, _ := attr(n, "class"); return n.Data == "svg" && v == "chart-svg" })
	if len(svgs) != 2 {
		t.Fatalf("%d svgs", len(svgs))
	}
	for _, s := range svgs {
		role, _ := attr(s, "role")
		ids, _ := attr(s, "aria-labelledby")
		if role != "img" || len(strings.Fields(ids)) != 2 {
			t.Errorf("role %q, aria-labelledby %q", role, ids)
		}
		for _, id := range strings.Fields(ids) {
			if len(find(s, byAttr("id", id))) != 1 {
				t.Errorf("no element #%s in the chart", id)
			}
		}
	}
	if len(find(doc, byTag("details"))) != 2 {
		t.Error("each chart needs its data table in a <details>")
	}
}

// TestChartLabelsFit: the axis labels fit inside the chart at the largest
// size app.css gives them (a phone's): the value labels left of the plot,
// and the day labels, the last one too, within the chart's width.
func TestChartLabelsFit(t *testing.T) {
	// The widest value labels the axes write.
	for _, l := range []string{"12.25%", "7.125%", "100%", "12,500", "1,200,000", "950"} {
		if p := chartPlot([]string{"0%", l}); p.X-8-labelEm(l)*axisFontMax < 0 {
			t.Errorf("the value label %q does not fit left of the plot at %.0f", l, p.X)
		}
	}
	keys := []SeriesKey{{Key: "control", Label: "Original", Class: SeriesClass(0)}}
	for _, n := range []int{1, 7, 21, 31, 90} {
		var days []DayRow
		for i := 0; i < n; i++ {
			day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
			days = append(days, DayRow{Day: day, Cells: []DayCell{{Exposures: 12345, CumExposures: int64(i+1) * 12345,
				CumRate: 0.1212 + 0.0001*float64(i%3), CumRateLow: 0.12, CumRateHigh: 0.123}}})
		}
		for _, c := range []struct {
			name   string
			plot   Rect
			yTicks []Tick
			xTicks []Tick
		}{
			{"rate", NewRateChart("r", days, keys).Plot, NewRateChart("r", days, keys).YTicks, NewRateChart("r", days, keys).XTicks},
			{"visits", NewVisitChart("v", days, keys).Plot, NewVisitChart("v", days, keys).YTicks, NewVisitChart("v", days, keys).XTicks},
		} {
			for _, tk := range c.yTicks {
				if w := labelEm(tk.Label) * axisFontMax; c.plot.X-8-w < 0 {
					t.Errorf("%d days, %s chart: the value label %q (%.0f units) does not fit left of the plot at %.0f", n, c.name, tk.Label, w, c.plot.X)
				}
			}
			for i, tk := range c.xTicks {
				half := labelEm(tk.Label) * axisFontMax / 2
				if tk.LabelAt-half < 0 || tk.LabelAt+half > chartWidth {
					t.Errorf("%d days, %s chart: the day label %q at %.0f runs out of the chart", n, c.name, tk.Label, tk.LabelAt)
				}
				if i > 0 && c.xTicks[i-1].LabelAt+labelEm(c.xTicks[i-1].Label)*axisFontMax/2 > tk.LabelAt-half {
					t.Errorf("%d days, %s chart: the day labels %q and %q overlap", n, c.name, c.xTicks[i-1].Label, tk.Label)
				}
			}
		}
	}
}
