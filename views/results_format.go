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

// hasUpliftIntervals says whether the results table shows any uplift's
// interval: the table draws one only beside an uplift it shows.
func hasUpliftIntervals(rows []ResultRow) bool {
	for _, r := range rows {
		if r.HasUplift && r.HasUpliftInterval {
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

// The results format their numbers by the rules beside
// stats.FormatRate, one per kind, so that the table, the verdict, the plan
// line, the segments and the trends agree: rates (pct, rateRange)
// "7.93%", "12.5%"; uplifts (signedPct, signedRange) "+33.1%", "−4.0%";
// ranges "7.71% to 8.20%", "+5.0% to +15.6%"; chances (probPct) "97%";
// shares of page views (share) "99.6%"; the threshold (thresholdText) "10%".
// A zero uplift is "±0.0%" in a table cell, where it lines up with the
// signed numbers around it; a sentence says it in words instead ("against
// no change overall", "overall it is level with the original").

// rateRange writes an interval of rates: "7.71% to 8.20%".
func rateRange(lo, hi float64) string { return stats.RateRange(lo, hi) }

// signedPct writes an uplift: "+12.3%", "−4.0%" (the true minus sign,
// stats.Minus, as everywhere on the page), "±0.0%".
func signedPct(u float64) string { return stats.SignedPercent(u) }

// signedRange writes an interval of uplifts: "−2.1% to +27.0%".
func signedRange(lo, hi float64) string { return stats.UpliftRange(lo, hi) }

// share writes a share of page views: "99.6%", ">99.9%".
func share(x float64) string { return stats.FormatShare(x) }

// thresholdText writes the practical threshold as the form shows it: "10%".
func thresholdText(x float64) string { return stats.FormatThreshold(x) }

// pctShort formats a ratio as a percentage with up to three significant
// digits, dropping trailing zeros: 0.1 → 10%, 0.0713 → 7.13%, 0.125 →
// 12.5%, 0.000333 → 0.0333%. The form's plan estimate uses it, so that it
// quotes the rate as the form's field holds it (the edit form fills the
// field with three significant digits); the results and the lists use the
// rules above.
func pctShort(r float64) string {
	v := r * 100
	a := math.Abs(v)
	if a == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', 0, 64) + "%"
	}
	d := max(0, 2-int(math.Floor(math.Log10(a))))
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// armsPhrase names a test's n arms as the lists count them, the original
// apart: "the original and 2 variants" (n = 3).
func armsPhrase(n int) string {
	switch {
	case n <= 1:
		return "the original alone"
	case n == 2:
		return "the original and 1 variant"
	}
	return "the original and " + strconv.Itoa(n-1) + " variants"
}

// probPct formats a probability as the verdict does (rounded down, ">99%"
// and "<1%" at the ends), so that the table never contradicts it.
func probPct(p float64) string { return stats.FormatProbability(p) }

// pValue formats a p-value with two significant digits, whatever its
// size ("0.0088", "0.018", "0.045", "0.50"), and tiny ones as "< 0.0001"
// (stats.FormatPValue, which the verdict quotes too). Two decimals would
// print 0.045 to 0.054 all as "0.05", the line the hint says to compare
// with.
func pValue(p float64) string { return stats.FormatPValue(p) }

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

// runningWord follows the time a test has run in its stat: "3 days
// running", and once it has stopped (or shipped), when no more time
// counts, "3 days of running". While it is paused no time counts either
// (the days leave paused time out, as the API's days_running does), so it
// is "3 days of running, now paused": the same words as a stopped test's,
// with what holds them.
func runningWord(ended, paused bool) string {
	switch {
	case ended:
		return "of running"
	case paused:
		return "of running, now paused"
	}
	return "running"
}

// pausedText is the time a test spent paused, in the same units, in a
// sentence: "2 days", "5 hours", and "under an hour" rather than "<1
// hour", which reads as a sum inside "not counting <1 hour paused" (the
// stat's big number can be "<1": it is a figure, with its unit below).
func pausedText(d float64) string {
	if d*24 < 1 {
		return "under an hour"
	}
	return daysValue(d) + " " + daysLabel(d)
}

// splitCheckText says, after a split changed during the test, what the
// totals mix and how many visitors the split check counts: those who first
// came after the day of the change (n). Until one has come, it says the
// check waits for them: "the 0 visitors" would read as a fault.
func splitCheckText(n int64) string {
	const mix = "Visitors keep the variant they were given, so the totals below mix both splits"
	if n == 0 {
		return mix + ". The split check counts only visitors who first came after that day, and none has yet, so it waits for new visitors."
	}
	return mix + ", and the split check counts only the " + count(n) + " " + plural(int(n), "visitor", "visitors") + " who first came after that day."
}

// verdictHeadline is the verdict's headline. Once the test has ended
// (stopped or shipped) no more visitors come, so the titles that would say
// to wait say what the stop left instead. While the test is too young to
// act on (early), an answer is not called: the headline says what leads
// and that it is not called yet, and once stopped that it was too early,
// as a lead that never became an answer does. An answer called only as
// probable (unsure: its sentence hedges and leaves the choice) is headed
// "Probably a winner", "The original is probably best", not announced
// flatly. The webhook's messages take their headlines from here too
// (VerdictTitle), so a message never names a verdict otherwise than the
// page it links to.
func verdictHeadline(status string, ended, early, unsure bool) string {
	switch status {
	case "winner", "control_wins", "no_meaningful_difference":
		if early && ended {
			return "Too early to call"
		}
	}
	switch status {
	case "winner":
		switch {
		case early:
			return "Early lead: not called yet"
		case unsure:
			return "Probably a winner"
		}
		return "We have a winner"
	case "control_wins":
		switch {
		case early:
			return "Original ahead: not called yet"
		case unsure:
			return "The original is probably best"
		}
		return "Keep the original"
	case "no_meaningful_difference":
		if early {
			return "No difference so far: not called yet"
		}
		return "No meaningful difference"
	case "keep_running":
		if ended {
			return "Too early to call"
		}
		return "Keep the test running"
	case "srm":
		if ended {
			return "Results can’t be trusted"
		}
		return "Results can’t be trusted yet"
	case "not_enough_data":
		if ended {
			return "Not enough data"
		}
		return "Not enough data yet"
	}
	return "Results"
}

// VerdictTitle is the verdict's title on the results page (verdictTitle),
// which the results document gives as verdict.headline.
func VerdictTitle(v Verdict, paused bool) string { return verdictTitle(v, paused) }

// ElementMissingTitle heads the results page's warning that the tag often
// does not find the tested element, and the webhook's message about it.
const ElementMissingTitle = "The element is going missing"

// ElementNotFoundTitle heads the verdict of a test whose element the tag
// never found on its page (Verdict.NotFound), and the webhook's message
// about it: "going missing" would say it was there once.
const ElementNotFoundTitle = "The element was not found"

// DraftResultsTitle heads a draft's results page, which shows no verdict;
// the results document gives it as a draft's verdict.headline.
const DraftResultsTitle = "No results yet"

// verdictTitle is the verdict's headline (verdictHeadline), or, when the
// tag found the page but never the element on it, that: "Not enough data
// yet" would read as a quiet page. A paused test gets no visitors, so a
// verdict that waits for more (keep_running) says to resume it: "Keep the
// test running" would be untrue while it is not running. A share link's
// reader (v.ReadOnly) cannot resume it, so theirs says only where it stands.
// A test that shipped a variant where the original did best is past the
// advice "Keep the original": its title says what the results found.
func verdictTitle(v Verdict, paused bool) string {
	switch {
	case v.NotFound:
		return ElementNotFoundTitle
	case v.Shipped && v.Status == "control_wins" && !v.Early && v.Unsure:
		return "The original was probably best"
	case v.Shipped && v.Status == "control_wins" && !v.Early:
		return "The original did best"
	case paused && v.Status == "keep_running" && v.ReadOnly:
		return "Paused: too early to call"
	case paused && v.Status == "keep_running":
		return "Resume the test to reach a verdict"
	}
	return verdictHeadline(v.Status, v.Ended, v.Early, v.Unsure)
}

// verdictIcon is a glyph beside the title; the colour and the words carry
// the meaning, the glyph only helps the eye. A test that is still to be
// called (keep_running, or an early answer) gets a clock face, "in
// progress"; an answer gets its own glyph only once it is called.
func verdictIcon(status string, early bool) string {
	switch {
	case status == "keep_running" || early:
		return "◔"
	case status == "winner":
		return "✓"
	case status == "control_wins":
		return "↺"
	case status == "no_meaningful_difference":
		return "="
	case status == "srm":
		return "!"
	case status == "not_enough_data":
		return "…"
	}
	return "◔"
}

// healthLine sums up the snippet's health for one variant, in plain words:
// on what share of page views the copy was shown, and how long after the
// page started loading (navigation start, or a client-side navigation) it
// typically was, the median in whole milliseconds.
func healthLine(h Health) string {
	total := h.Applied + h.Missed
	switch {
	case total == 0:
		return ""
	case h.Applied == 0 && total == 1:
		return "Not found on its 1 page view"
	case h.Applied == 0:
		return "Not found on any of its " + count(total) + " page views"
	}
	s := "Shown on " + share(float64(h.Applied)/float64(total)) + " of page views"
	if h.MedianMS > 0 {
		ms := math.Round(h.MedianMS)
		if ms < 1 {
			s += ", typically less than 1\u00a0ms after the page starts loading"
		} else {
			s += ", typically " + count(int64(ms)) + "\u00a0ms after the page starts loading"
		}
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

// keyLabel is the name of the i-th variant of a data table, which labels
// its cell in a phone's card; "" past the end, as a cell with no label.
func keyLabel(keys []SeriesKey, i int) string {
	if i < 0 || i >= len(keys) {
		return ""
	}
	return keys[i].Label
}

// flagMark is the start of a segment's mark, which stays on one line:
// "▲ clearly higher", "▼ clearly lower". The mark goes on "lift here than
// overall", in sight: it compares the variant's lift with its own lift
// overall, as the flag's sentence says ("Variant B's lift on clicks is
// clearly lower for desktop visitors than overall"), not the variant with
// the original ("clearly worse" read as a loss it need not have). It is
// no longer than "▼ clearly worse" was, so it still fits a phone's card.
func flagMark(flag string) string {
	if flag == "better" {
		return "▲ clearly higher"
	}
	return "▼ clearly lower"
}

// flagTone colours a marked segment's cell: "better" (green) or "worse"
// (red) when the variant also wins or loses against the original in that
// segment, and "even" otherwise. A variant can do clearly worse in a
// segment than overall and still match or beat the original there (level
// on desktop against +83.3% overall): red would read as a loss it did not
// have. The uplift is taken as the cell writes it, so a "±0.0%" is even.
func flagTone(c SegmentCell) string {
	if c.Flag == "" {
		return ""
	}
	u := ""
	if c.HasUplift {
		u = signedPct(c.Uplift)
	}
	switch {
	case c.Flag == "better" && strings.HasPrefix(u, "+"):
		return "better"
	case c.Flag == "worse" && strings.HasPrefix(u, stats.Minus):
		return "worse"
	}
	return "even"
}

// keyOf is the key of the i-th variant of a table; "" past the end.
func keyOf(keys []SeriesKey, i int) string {
	if i < 0 || i >= len(keys) {
		return ""
	}
	return keys[i].Key
}

// shippedLabel names the shipped variant as its row does: "Variant B",
// or "Original".
func shippedLabel(r Results) string {
	for _, row := range r.Rows {
		if row.Key == r.ShippedKey {
			return VariantLabel(row.Key, row.Control)
		}
	}
	return VariantLabel(r.ShippedKey, false)
}
