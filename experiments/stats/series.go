package stats

// DayCounts is one day's counts in an arm: the visitors first exposed that
// day, and the conversions that happened that day (as the store counts
// them, experiments.DayCounts). A day's cumulative rate is then every
// conversion so far over every visitor so far: the rate the results table
// showed at the end of that day. Conversions are capped at the visitors
// so far, so the rate never passes 1.
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
