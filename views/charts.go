package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Charts are drawn on the server as SVG: pure Go here computes a typed
// model (scales, ticks, paths, bars) and results_charts.templ writes it out.
// No script draws anything, so the charts work under the Content Security
// Policy, print, and read the same to everyone; each chart has a title and
// a description for screen readers, and its numbers in a table beside it.
//
// Both charts share one x scale: day i sits in the middle of the i-th of
// equal bands across the plot, so a day lines up in the two charts. A
// young test's charts count hours instead (DayRow.Hour), on the same
// scale: an hour is a band, and the axis reads hours.

// Rect is an area in SVG user units.
type Rect struct{ X, Y, W, H float64 }

// Right and Bottom are the far edges of r.
func (r Rect) Right() float64  { return r.X + r.W }
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Tick is one labelled position on an axis, in SVG units.
type Tick struct {
	Pos   float64
	Label string
	// LabelAt is where the middle of a day label goes: under its tick,
	// or as far left of it as keeps the label inside the chart
	// (dayLabelAt). Value labels go beside their tick instead.
	LabelAt float64
}

// Point is a position in SVG units with what it stands for.
type Point struct {
	X, Y  float64
	Title string // shown on hover: the day and the value
}

// LineChart is the cumulative conversion rate per variant over time, each
// with its 95% interval as a band.
type LineChart struct {
	ID     string // prefix of the element ids (title, desc, clip path)
	Title  string
	Desc   string
	Width  float64
	Height float64
	Plot   Rect
	XTicks []Tick
	YTicks []Tick
	Series []LineSeries
	Empty  bool
}

// LineSeries is one variant's line.
type LineSeries struct {
	Label   string
	Class   string // series-N: the colour
	Pattern SeriesPattern
	Line    string // path data of the line
	Band    string // path data of the interval band (a closed shape)
	// Dots are the points to hover, each drawn as the series' marker:
	// every point while they are few, else only the last, so that each
	// line still ends in its shape.
	Dots []Point
}

// SeriesPattern is how a variant's line looks without its colour (WCAG
// 1.4.1): the dashes of its line and the shape of its points, which the
// legend shows too. A reader who cannot tell the colours apart, or a
// greyscale print, still tells the lines apart. The original's line is
// solid; each variant has dashes of its own and a marker of its own.
type SeriesPattern struct {
	// Dash is the line's stroke-dasharray in SVG units, "none" for a
	// solid line. The lines have round caps (app.css), which add half
	// their 2.5-unit width to each end of a dash: a dash of 0.5 shows as
	// a dot, and the gaps show 2.5 units narrower than written.
	Dash string
	// Shape is the marker's outline in relative path steps from its
	// centre (Marker puts it in place).
	Shape string
	// Filled markers are filled with the series' colour, the others with
	// the background: five shapes, each hollow and filled, and a plus.
	Filled bool
}

// Marker shapes of about the same area as a circle of radius 3.
const (
	shapeCircle   = "m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0z"
	shapeSquare   = "m-2.7 -2.7h5.4v5.4h-5.4z"
	shapeTriangle = "m0 -3.9l3.5 6h-7z"
	shapeDiamond  = "m0 -3.6l3.6 3.6l-3.6 3.6l-3.6 -3.6z"
	shapeTriDown  = "m0 3.9l3.5 -6h-7z"
	shapePlus     = "m-1.2 -3.6h2.4v2.4h2.4v2.4h-2.4v2.4h-2.4v-2.4h-2.4v-2.4h2.4z"
)

// seriesPatterns are the patterns of the control and up to ten variants
// (experiments.MaxVariants), the clearest first: most tests have one or
// two variants. No two share their dashes, nor their marker.
var seriesPatterns = []SeriesPattern{
	{Dash: "none", Shape: shapeCircle},                       // solid
	{Dash: "8 7", Shape: shapeSquare},                        // dashed
	{Dash: "0.5 7", Shape: shapeTriangle},                    // dotted
	{Dash: "14 7 0.5 7", Shape: shapeDiamond},                // dash, dot
	{Dash: "22 8", Shape: shapeTriDown},                      // long dashes
	{Dash: "14 7 0.5 7 0.5 7", Shape: shapePlus},             // dash, dot, dot
	{Dash: "22 7 6 7", Shape: shapeCircle, Filled: true},     // long, short
	{Dash: "0.5 5 0.5 12", Shape: shapeSquare, Filled: true}, // pairs of dots
	{Dash: "22 7 0.5 7", Shape: shapeTriangle, Filled: true}, // long dash, dot
	{Dash: "8 5 8 12", Shape: shapeDiamond, Filled: true},    // pairs of dashes
	{Dash: "3 6", Shape: shapeTriDown, Filled: true},         // short dashes
}

// SeriesPatternOf is the pattern of the i-th variant (the control is 0),
// in step with SeriesClass.
func SeriesPatternOf(i int) SeriesPattern { return seriesPatterns[i%len(seriesPatterns)] }

// Marker is the path of the pattern's marker centred on (x, y).
func (p SeriesPattern) Marker(x, y float64) string {
	return "M" + num(x) + " " + num(y) + " " + p.Shape
}

// BarChart is the number of new visitors per day, stacked by variant.
type BarChart struct {
	ID     string
	Title  string
	Desc   string
	Width  float64
	Height float64
	Plot   Rect
	XTicks []Tick
	YTicks []Tick
	Fills  []BarFill // one per variant with bars, in <defs>
	Bars   []Bar
	Empty  bool
}

// BarFill is the fill of one variant's bars: its line's marker (its
// SeriesPattern) repeated on a tint of its colour, so that the bars, like
// the lines, tell the variants apart without colour (WCAG 1.4.1), and a
// bar shows the shape its line and legend entry end in.
type BarFill struct {
	ID      string // the <pattern>'s id, unique on the page
	Class   string // series-N: the colour
	Pattern SeriesPattern
}

// The tile of a BarFill: two markers on a diagonal, each with room for the
// largest shape (3.9 units from its centre) and half its stroke, so that
// no marker is cut at the tile's edge and the rows interleave.
const (
	barTile       = 18
	barMarkerNear = 4.5
	barMarkerFar  = 13.5
)

// Markers are the paths of the tile's markers.
func (f BarFill) Markers() []string {
	return []string{f.Pattern.Marker(barMarkerNear, barMarkerNear), f.Pattern.Marker(barMarkerFar, barMarkerFar)}
}

// Bar is one variant's part of one day's stack.
type Bar struct {
	X, Y, W, H float64
	Class      string
	Fill       string // the id of its variant's BarFill
	Title      string
}

// The charts' size in SVG units. They scale to the width of their box,
// down to a phone's; app.css sets the labels' size in these units, larger
// in a narrow box (up to axisFontMax), so that they stay readable as the
// chart shrinks.
const (
	chartWidth  = 560
	chartHeight = 280
	// axisFontMax is the largest size, in SVG units, app.css gives the
	// axis labels (.chart-axis text): the room left of the plot fits the
	// value labels at that size.
	axisFontMax = 20
)

// chartPlot is the plot area of a chart whose value axis reads yLabels:
// room on the left for the longest of them at axisFontMax, beside its
// 8-unit gap to the axis, and below for the days.
func chartPlot(yLabels []string) Rect {
	left := 52.0
	for _, l := range yLabels {
		left = max(left, math.Ceil(labelEm(l)*axisFontMax)+8+4)
	}
	return Rect{X: left, Y: 12, W: chartWidth - left - 12, H: chartHeight - 12 - 34}
}

// labelEm estimates the width of an axis label in ems, on the generous
// side of the usual sans-serif faces: digits are about half an em, points
// a quarter, a percent sign nearly a whole one.
func labelEm(s string) float64 {
	var w float64
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			w += 0.58
		case r == '.' || r == ',':
			w += 0.3
		case r == '%' || r == 'M':
			w += 0.92
		default:
			w += 0.62
		}
	}
	return w
}

// dayLabelAt is where the middle of a day label for the tick at x goes:
// under the tick, unless the label would then run past the chart's right
// edge (the last day of a long test), when it moves left just enough.
func dayLabelAt(x float64, label string) float64 {
	return min(x, chartWidth-2-labelEm(label)*axisFontMax/2)
}

// SeriesClass is the colour class of the i-th variant (the control is 0).
func SeriesClass(i int) string { return "series-" + strconv.Itoa(i%11) }

// dayBand returns the x of the middle of day i of n, and the band width.
func dayBand(p Rect, i, n int) (x, w float64) {
	w = p.W / float64(n)
	return p.X + (float64(i)+0.5)*w, w
}

// dayTicks labels at most about six days, evenly spaced, always the
// first.
func dayTicks(p Rect, days []DayRow) []Tick {
	n := len(days)
	step := max(1, int(math.Ceil(float64(n)/6)))
	var ticks []Tick
	for i := 0; i < n; i += step {
		x, _ := dayBand(p, i, n)
		label := shortDay(days[i].Day)
		ticks = append(ticks, Tick{Pos: x, Label: label, LabelAt: dayLabelAt(x, label)})
	}
	return ticks
}

// hourly says whether rows are hours (DayRow.Hour) rather than days.
func hourly(rows []DayRow) bool { return len(rows) > 0 && !rows[0].Hour.IsZero() }

// xTicks labels the x axis: days, or hours for hourly rows.
func xTicks(p Rect, rows []DayRow) []Tick {
	if hourly(rows) {
		return spaced(hourTicks(p, rows))
	}
	return spaced(dayTicks(p, rows))
}

// spaced drops a tick whose label, at the largest size app.css gives it
// (a narrow phone's), would touch the one before: the last day's label,
// moved left to stay inside the chart (dayLabelAt), can reach its
// neighbour's.
func spaced(ticks []Tick) []Tick {
	out := ticks[:0]
	for _, tk := range ticks {
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.LabelAt+labelEm(prev.Label)*axisFontMax/2+4 > tk.LabelAt-labelEm(tk.Label)*axisFontMax/2 {
				continue
			}
		}
		out = append(out, tk)
	}
	return out
}

// hourSteps are the spacings hourTicks chooses from: each divides a day,
// so midnight always gets a tick.
var hourSteps = []int{1, 2, 3, 4, 6, 12, 24}

// hourTicks labels at most about six hours, on the hours of the day that
// are multiples of the spacing: "14:00", and the day itself ("11 Mar") at
// midnight, where the day changes.
func hourTicks(p Rect, rows []DayRow) []Tick {
	n := len(rows)
	step := hourSteps[len(hourSteps)-1]
	for _, s := range hourSteps {
		if (n+s-1)/s <= 6 {
			step = s
			break
		}
	}
	var ticks []Tick
	for i, r := range rows {
		h := r.Hour.UTC()
		if h.Hour()%step != 0 {
			continue
		}
		x, _ := dayBand(p, i, n)
		label := h.Format("15:04")
		if h.Hour() == 0 {
			label = h.Format("2 Jan")
		}
		ticks = append(ticks, Tick{Pos: x, Label: label, LabelAt: dayLabelAt(x, label)})
	}
	return ticks
}

// pointName names a row's day or hour in a chart's words: "10 Mar", or
// "10 Mar 14:00" (UTC, as days are).
func pointName(r DayRow) string {
	if !r.Hour.IsZero() {
		return r.Hour.UTC().Format("2 Jan 15:04")
	}
	return shortDay(r.Day)
}

// RowName names a row of the charts' data tables: its day (2025-03-10),
// or for hours the hour ("15:00"), with the day in front on the first row
// and where the day changes ("2025-03-11 00:00").
func RowName(rows []DayRow, i int) string {
	r := rows[i]
	if r.Hour.IsZero() {
		return r.Day
	}
	h := r.Hour.UTC()
	if i == 0 || rows[i-1].Hour.UTC().Day() != h.Day() {
		return h.Format("2006-01-02 15:04")
	}
	return h.Format("15:04")
}

// unitName is what a row of the charts' data tables is: "day" or "hour".
func unitName(hourly bool) string {
	if hourly {
		return "hour"
	}
	return "day"
}

// unitHeader heads the data tables' first column.
func unitHeader(hourly bool) string {
	if hourly {
		return "Hour (UTC)"
	}
	return "Day"
}

// shortDay turns 2025-03-10 into "10 Mar".
func shortDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("2 Jan")
}

// niceTicks returns about n+1 round values from 0 up to at least top: steps
// of 1, 2, 2.5 or 5 times a power of ten.
func niceTicks(top float64, n int) []float64 {
	if !(top > 0) || math.IsInf(top, 0) {
		top = 1
	}
	raw := top / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := 0.0; ; v += step {
		v = math.Round(v/step) * step
		out = append(out, v)
		if v >= top*(1-1e-9) {
			break
		}
	}
	return out
}

// niceRange returns round ticks from at most lo to at least hi, about n
// steps.
func niceRange(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step+1e-9) * step
	var out []float64
	for i := 0; ; i++ {
		v := math.Round((start+float64(i)*step)/step) * step
		out = append(out, v)
		if v >= hi*(1-1e-9) || i > 2*n+2 {
			break
		}
	}
	return out
}

// percentTick labels a rate tick with as many decimals as the step needs.
func percentTick(v, step float64) string {
	d := 0
	for s := step * 100; d < 3 && math.Abs(s-math.Round(s)) > 1e-9; s *= 10 {
		d++
	}
	return strconv.FormatFloat(v*100, 'f', d, 64) + "%"
}

// NewRateChart draws the cumulative conversion rate of each variant (keys,
// control first) at the end of each day, with its 95% interval as a band.
// The value axis fits the lines rather than the early, very wide bands,
// which are clipped to the plot.
func NewRateChart(id string, days []DayRow, keys []SeriesKey) LineChart {
	c := LineChart{ID: id, Title: "Conversion rate over time",
		Width: chartWidth, Height: chartHeight, Plot: chartPlot(nil)}
	perHour := hourly(days)
	if perHour {
		c.Title = "Conversion rate over time, per hour"
	}
	n := len(days)
	if n == 0 || len(keys) == 0 {
		c.Empty = true
		c.Desc = "No visitors yet."
		return c
	}
	// The value axis spans the lines (not the first days' very wide bands,
	// which are clipped), from a round value below them to one above, but
	// never past 0% or 100%: no rate lies outside them, and a variant that
	// converts all of its first few visitors would otherwise put 110% and
	// 120% on the axis. Every nice step divides 1, so the top tick lands
	// on 100% exactly.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range days {
		for _, cell := range d.Cells {
			if cell.CumExposures > 0 {
				lo, hi = min(lo, cell.CumRate), max(hi, cell.CumRate)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 0.01
	}
	pad := max((hi-lo)*0.6, hi*0.15, 0.002)
	bottom, top := max(lo-pad, 0), min(hi+pad, 1)
	ticks := niceRange(bottom, top, 4)
	bottom, top = ticks[0], ticks[len(ticks)-1]
	step := ticks[1] - ticks[0]
	labels := make([]string, len(ticks))
	for i, v := range ticks {
		labels[i] = percentTick(v, step)
	}
	c.Plot = chartPlot(labels)
	p := c.Plot
	y := func(v float64) float64 { return p.Bottom() - (v-bottom)/(top-bottom)*p.H }
	for i, v := range ticks {
		c.YTicks = append(c.YTicks, Tick{Pos: y(v), Label: labels[i]})
	}
	c.XTicks = xTicks(p, days)
	// A dot per point to hover, while they are few enough to tell apart:
	// a month of days, two days of hours. Past that, a dot at the end of
	// each line alone, which shows the line's marker.
	dots := n <= 31 || perHour && n <= 49

	for k, key := range keys {
		s := LineSeries{Label: key.Label, Class: key.Class, Pattern: SeriesPatternOf(k)}
		last := 0 // the line's last day
		dot := func(i int) Point {
			d, cell := days[i], days[i].Cells[k]
			x, _ := dayBand(p, i, n)
			title := fmt.Sprintf("%s · %s: %s (95%% interval %s), %s visitors",
				pointName(d), key.Label, pct(cell.CumRate), rateRange(cell.CumRateLow, cell.CumRateHigh), count(cell.CumExposures))
			if d.TooFew {
				title = fmt.Sprintf("%s · %s: %s, %s visitors (too few yet for an interval)",
					pointName(d), key.Label, pct(cell.CumRate), count(cell.CumExposures))
			}
			return Point{X: x, Y: y(cell.CumRate), Title: title}
		}
		var line, upper, lower strings.Builder
		var lows []string
		first := true
		for i, d := range days {
			if k >= len(d.Cells) || d.Cells[k].CumExposures == 0 {
				continue
			}
			cell := d.Cells[k]
			x, _ := dayBand(p, i, n)
			cmd := "L"
			if first {
				cmd = "M"
			}
			first = false
			fmt.Fprintf(&line, "%s%s %s ", cmd, num(x), num(y(cell.CumRate)))
			// A day with too few visitors for any verdict has no band: an
			// interval on a handful of visitors reads as a finding. Running
			// totals only grow, so the band starts on the first day with
			// enough and runs to the end.
			if !d.TooFew {
				bandCmd := "L"
				if len(lows) == 0 {
					bandCmd = "M"
				}
				fmt.Fprintf(&upper, "%s%s %s ", bandCmd, num(x), num(y(cell.CumRateHigh)))
				lows = append(lows, "L"+num(x)+" "+num(y(cell.CumRateLow))+" ")
			}
			if dots {
				s.Dots = append(s.Dots, dot(i))
			}
			last = i
		}
		if first {
			continue // no visitors in this variant yet
		}
		if !dots {
			s.Dots = []Point{dot(last)}
		}
		for i := len(lows) - 1; i >= 0; i-- {
			lower.WriteString(lows[i])
		}
		s.Line = strings.TrimSpace(line.String())
		if len(lows) > 0 {
			s.Band = strings.TrimSpace(upper.String()+lower.String()) + " Z"
		}
		c.Series = append(c.Series, s)
	}

	// The description says in words what the chart shows: where each line
	// ends.
	last := days[n-1]
	var ends []string
	for k, key := range keys {
		if k < len(last.Cells) && last.Cells[k].CumExposures > 0 {
			ends = append(ends, fmt.Sprintf("%s %s", key.Label, pct(last.Cells[k].CumRate)))
		}
	}
	bands := "with shaded 95% intervals"
	if last.TooFew {
		bands = "without intervals while there are too few visitors"
	}
	unit, utc := "day", ""
	if perHour {
		unit, utc = "hour", " UTC"
	}
	c.Desc = fmt.Sprintf("Cumulative conversion rate of each variant at the end of each %s, %s to %s%s, %s. At the end: %s.",
		unit, pointName(days[0]), pointName(last), utc, bands, strings.Join(ends, ", "))
	return c
}

// NewVisitChart draws the new visitors of each day, stacked by variant.
func NewVisitChart(id string, days []DayRow, keys []SeriesKey) BarChart {
	c := BarChart{ID: id, Title: "New visitors per day",
		Width: chartWidth, Height: chartHeight, Plot: chartPlot(nil)}
	unit, utc, one := "day", "", "on one day"
	if hourly(days) {
		unit, utc, one = "hour", " UTC", "in one hour"
		c.Title = "New visitors per hour"
	}
	n := len(days)
	if n == 0 || len(keys) == 0 {
		c.Empty = true
		c.Desc = "No visitors yet."
		return c
	}
	var top, total int64
	for _, d := range days {
		var sum int64
		for _, cell := range d.Cells {
			sum += max(cell.Exposures, 0)
		}
		top = max(top, sum)
		total += sum
	}
	ticks := niceTicks(max(float64(top), 4), 4)
	yTop := ticks[len(ticks)-1]
	labels := make([]string, len(ticks))
	for i, v := range ticks {
		// Whole counts with separators, as the page writes every other
		// count: "5k" here beside "5,000" in the table is two styles.
		// chartPlot leaves the room the longest one needs.
		labels[i] = count(int64(v))
	}
	c.Plot = chartPlot(labels)
	p := c.Plot
	for i, v := range ticks {
		c.YTicks = append(c.YTicks, Tick{Pos: p.Bottom() - v/yTop*p.H, Label: labels[i]})
	}
	c.XTicks = xTicks(p, days)
	fills := make([]string, len(keys)) // each variant's fill, once it has a bar
	for i, d := range days {
		x, w := dayBand(p, i, n)
		bw := max(w*0.72, 1)
		base := p.Bottom()
		for k, key := range keys {
			if k >= len(d.Cells) || d.Cells[k].Exposures <= 0 {
				continue
			}
			if fills[k] == "" {
				fills[k] = id + "-fill-" + strconv.Itoa(k)
				c.Fills = append(c.Fills, BarFill{ID: fills[k], Class: key.Class, Pattern: SeriesPatternOf(k)})
			}
			h := float64(d.Cells[k].Exposures) / yTop * p.H
			base -= h
			c.Bars = append(c.Bars, Bar{X: x - bw/2, Y: base, W: bw, H: h, Class: key.Class, Fill: fills[k],
				Title: fmt.Sprintf("%s · %s: %s new visitors", pointName(d), key.Label, count(d.Cells[k].Exposures))})
		}
	}
	c.Desc = fmt.Sprintf("New visitors per %s, %s to %s%s, stacked by variant: %s in all, at most %s %s.",
		unit, pointName(days[0]), pointName(days[n-1]), utc, count(total), count(top), one)
	return c
}

// num formats an SVG coordinate: one decimal is finer than a pixel.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// IntervalScale maps rates to the x of the small interval bars of the
// results table: one scale for every row, so the bars compare. It spans
// the intervals, not zero to the top: the bars show positions, and a scale
// from zero would squeeze rates of 7% and 8% into the same few pixels.
type IntervalScale struct {
	Min, Max float64 // the rates at the ends
	Width    float64 // SVG units
}

// NewIntervalScale fits every row's interval, with a little room around.
func NewIntervalScale(rows []ResultRow) IntervalScale {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		if r.HasInterval && r.Exposures > 0 {
			lo, hi = min(lo, r.RateLow), max(hi, r.RateHigh)
		}
	}
	if math.IsInf(lo, 0) {
		return IntervalScale{Min: 0, Max: 1, Width: 160}
	}
	pad := max((hi-lo)*0.08, hi*0.01, 1e-6)
	return IntervalScale{Min: max(lo-pad, 0), Max: min(hi+pad, 1), Width: 160}
}

// X is the position of a rate.
func (s IntervalScale) X(rate float64) string {
	return num(s.frac(rate) * s.Width)
}

// W is the width between two rates.
func (s IntervalScale) W(lo, hi float64) string {
	return num(max((s.frac(hi)-s.frac(lo))*s.Width, 1.5))
}

func (s IntervalScale) frac(rate float64) float64 {
	if !(s.Max > s.Min) {
		return 0
	}
	return min(max((rate-s.Min)/(s.Max-s.Min), 0), 1)
}

// UpliftScale maps uplifts to the x of the uplift bars: symmetric around 0
// and wide enough for every interval and the practical threshold.
type UpliftScale struct {
	Max       float64 // the uplift at either end (±)
	Width     float64
	Threshold float64
}

// NewUpliftScale fits every row's uplift interval, capped at ±200%.
func NewUpliftScale(rows []ResultRow, threshold float64) UpliftScale {
	top := threshold * 2
	for _, r := range rows {
		if r.HasUpliftInterval {
			top = max(top, math.Abs(r.UpliftLow), math.Abs(r.UpliftHigh))
		}
	}
	top = min(top, 2)
	if !(top > 0) {
		top = 0.2
	}
	t := niceTicks(top, 2)
	return UpliftScale{Max: t[len(t)-1], Width: 160, Threshold: threshold}
}

// X is the position of an uplift.
func (s UpliftScale) X(u float64) string {
	return num((min(max(u/s.Max, -1), 1) + 1) / 2 * s.Width)
}

// W is the width between two uplifts.
func (s UpliftScale) W(lo, hi float64) string {
	a := (min(max(lo/s.Max, -1), 1) + 1) / 2
	b := (min(max(hi/s.Max, -1), 1) + 1) / 2
	return num(max((b-a)*s.Width, 1.5))
}
