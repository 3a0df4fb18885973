package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"copylab/experiments/stats"
)

// Formatting helpers of the results components.

func hasIntervals(rows []ResultRow) bool {
	for _, r := range rows {
		if r.HasInterval {
			return true
		}
	}
	return false
}

func hasProbBest(rows []ResultRow) bool {
	for _, r := range rows {
		if r.HasProbBest {
			return true
		}
	}
	return false
}

func hasUplifts(rows []ResultRow) bool {
	for _, r := range rows {
		if r.HasUplift || r.HasUpliftInterval {
			return true
		}
	}
	return false
}

func hasPValues(rows []ResultRow) bool {
	for _, r := range rows {
		if r.HasPValue {
			return true
		}
	}
	return false
}

// rowIndex is a variant's position, which picks its colour.
func rowIndex(rows []ResultRow, key string) int {
	for i, r := range rows {
		if r.Key == key {
			return i
		}
	}
	return 0
}

// controlRate is the original's rate, drawn as the reference line; 0 when
// it has no visitors yet.
func controlRate(rows []ResultRow) float64 {
	for _, r := range rows {
		if r.Control && r.Exposures > 0 {
			return r.Rate
		}
	}
	return 0
}

// pctShort formats a ratio as a percentage with up to two significant
// decimals, dropping trailing zeros: 0.1 → 10%, 0.0823 → 8.23%, 0.125 → 12.5%.
func pctShort(r float64) string {
	v := r * 100
	d := 1
	switch a := math.Abs(v); {
	case a == 0:
		return "0%"
	case a < 1:
		d = 2
	case a >= 100:
		d = 0
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// pctRange formats an interval of rates with the same decimals at both
// ends: "8.4% – 9.0%", "0.42% – 0.61%".
func pctRange(lo, hi float64) string {
	d := 1
	if hi < 0.01 {
		d = 2
	}
	f := func(x float64) string { return strconv.FormatFloat(x*100, 'f', d, 64) + "%" }
	return f(lo) + " – " + f(hi)
}

// signedRange formats an interval of uplifts: "−2.1% to +27.0%".
func signedRange(lo, hi float64) string { return signedPct(lo) + " to " + signedPct(hi) }

// signedPct formats an uplift with its sign and one decimal: +12.3%,
// −4.0% (the true minus sign, stats.Minus, as everywhere on the page).
func signedPct(u float64) string {
	s := strconv.FormatFloat(math.Abs(u)*100, 'f', 1, 64) + "%"
	switch {
	case s == "0.0%":
		return "±0.0%"
	case u < 0:
		return stats.Minus + s
	}
	return "+" + s
}

// signedPctShort is signedPct without trailing zeros.
func signedPctShort(u float64) string {
	s := pctShort(math.Abs(u))
	switch {
	case s == "0%":
		return "±0%"
	case u < 0:
		return stats.Minus + s
	}
	return "+" + s
}

// probPct formats a probability as the verdict does (rounded down, ">99%"
// and "<1%" at the ends), so that the table never contradicts it.
func probPct(p float64) string { return stats.FormatProbability(p) }

// pValue formats a p-value with two significant digits, and tiny ones as
// "< 0.0001".
func pValue(p float64) string {
	switch {
	case p < 0.0001:
		return "< 0.0001"
	case p >= 0.995:
		return "1.00"
	case p >= 0.01:
		return strconv.FormatFloat(p, 'f', 2, 64)
	}
	return strconv.FormatFloat(p, 'f', 1+int(-math.Floor(math.Log10(p))), 64)
}

// chance words a small probability: "less than once in 10,000 tests".
func chance(p float64) string {
	switch {
	case p < 1e-4:
		return "less than once in 10,000 tests"
	case p < 1e-3:
		return "less than once in 1,000 tests"
	}
	return fmt.Sprintf("about once in %s tests", count(int64(math.Round(1/p))))
}

// upliftClass colours an uplift: clearly up, clearly down, or unclear.
func upliftClass(r ResultRow) string {
	switch {
	case r.HasUpliftInterval && r.UpliftLow > 0:
		return "uplift-up"
	case r.HasUpliftInterval && r.UpliftHigh < 0:
		return "uplift-down"
	}
	return "uplift-unclear"
}

// daysValue and daysLabel show how long the test has run: "3" "days",
// "5" "hours", "<1" "hour" (a test started a minute ago has not run for
// an hour).
func daysValue(d float64) string {
	switch {
	case d*24 < 1:
		return "<1"
	case d < 1:
		return strconv.Itoa(int(d * 24))
	}
	return strconv.Itoa(int(d))
}

func daysLabel(d float64) string {
	if d < 1 {
		return plural(max(1, int(d*24)), "hour", "hours")
	}
	return plural(int(d), "day", "days")
}

// pausedText is the time a test spent paused, in the same units: "2
// days", "5 hours", "<1 hour".
func pausedText(d float64) string { return daysValue(d) + " " + daysLabel(d) }

// verdictTitle is the verdict's headline word. Once the test has ended
// (stopped or shipped) no more visitors come, so the titles that would say
// to wait say what the stop left instead.
func verdictTitle(status string, ended bool) string {
	switch status {
	case "winner":
		return "We have a winner"
	case "control_wins":
		return "Keep the original"
	case "no_meaningful_difference":
		return "No meaningful difference"
	case "keep_running":
		if ended {
			return "Too early to call"
		}
		return "Keep the test running"
	case "srm":
		return "Results can’t be trusted yet"
	case "not_enough_data":
		if ended {
			return "Not enough data"
		}
		return "Not enough data yet"
	}
	return "Results"
}

// verdictIcon is a glyph beside the title; the colour and the words carry
// the meaning, the glyph only helps the eye.
func verdictIcon(status string) string {
	switch status {
	case "winner":
		return "✓"
	case "control_wins":
		return "↺"
	case "no_meaningful_difference":
		return "="
	case "srm":
		return "!"
	case "not_enough_data":
		return "…"
	}
	return "→"
}

// healthLine sums up the snippet's health for one variant.
func healthLine(h Health) string {
	total := h.Applied + h.Missed
	if total == 0 {
		return ""
	}
	s := "Shown in " + pctShort(float64(h.Applied)/float64(total)) + " of page views"
	if h.MedianMS > 0 {
		s += fmt.Sprintf(" · %s\u00a0ms median swap", strconv.FormatFloat(h.MedianMS, 'f', -1, 64))
	}
	return s
}

// flaggedNote says how many values of a dimension are marked.
func flaggedNote(s SegmentTable) string {
	n := 0
	for _, r := range s.Rows {
		if r.Flagged {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" · %d marked", n)
}
