package stats

// DayCounts is one day's new visitors in an arm and how many of those
// visitors converted (at any time since). Counting each conversion on its
// visitor's first-exposure day keeps every cumulative rate a rate among the
// same visitors, so the line on the chart never jumps when late conversions
// arrive.
type DayCounts struct {
	Exposures, Conversions int64
}

// SeriesPoint is an arm's state at the end of one day.
type SeriesPoint struct {
	Exposures, Conversions int64
	Rate                   float64
	// RateInterval is the 95% credible interval, the band around the line.
	RateInterval Interval
}

// Cumulative turns one arm's daily counts into the running totals, rate and
// rate interval at the end of each day, for the results chart.
func Cumulative(days []DayCounts) []SeriesPoint {
	out := make([]SeriesPoint, len(days))
	var n, c int64
	for i, d := range days {
		n += max(d.Exposures, 0)
		c = min(c+max(d.Conversions, 0), n)
		a := Arm{Exposures: n, Conversions: c}
		out[i] = SeriesPoint{Exposures: n, Conversions: c, Rate: rate(a), RateInterval: RateInterval(c, n)}
	}
	return out
}
