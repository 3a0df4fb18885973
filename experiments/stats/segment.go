package stats

import "fmt"

// Segment is one slice of an experiment's traffic (a device type, a country,
// a traffic source) with each arm's counts inside it. Arms are matched to
// the overall arms by Key; an arm missing from a segment has no visitors
// there.
type Segment struct {
	Name string
	Arms []Arm
}

// SegmentOptions tune FlagSegments. Zero values mean the defaults.
type SegmentOptions struct {
	// MinExposures is the fewest visitors both the control and the variant
	// need within a segment for it to be judged (default MinExposures).
	MinExposures int64
	// MinConversions is the fewest conversions the two need together
	// (default MinConversions).
	MinConversions int64
	// GoalNoun is as in Options.
	GoalNoun string
}

// SegmentFlag reports a variant whose lift over the control is clearly
// higher or clearly lower within one segment than overall. It compares the
// variant with itself, not with the control: a variant whose lift is
// clearly lower in a segment can still match or beat the control there.
type SegmentFlag struct {
	Segment string
	// Variant is the variant's key.
	Variant string
	// Uplift is the variant's uplift over the control within the segment,
	// and OverallUplift across all traffic.
	Uplift, OverallUplift float64
	// Interval is the segment's uplift interval at Level (see FlagSegments),
	// which excludes OverallUplift.
	Interval Interval
	Level    float64
	// Better is true when the variant's lift is higher in the segment
	// than overall, false when it is lower.
	Better bool
	// Text is one sentence for the page.
	Text string
}

// FlagSegments compares, for each segment and each non-control variant, the
// variant's uplift over the control within the segment with its uplift over
// all traffic (overall, control first), and returns the pairs where the two
// clearly differ, in segment order and then arm order.
//
// A pair is judged only when the segment holds at least MinExposures
// visitors in each of the two arms and MinConversions conversions between
// them, so a handful of visitors can never raise a flag. It is flagged when
// the segment's credible interval for the uplift excludes the overall
// uplift. Looking at many segments means many chances for a fluke, so the
// interval's level is widened Bonferroni-style to 1 − 0.05/m for m judged
// pairs (95% for one pair, 99.5% for ten): the chance of any false flag
// stays near 5%. Variants whose overall uplift is undefined (a control rate
// of 0) are skipped.
func FlagSegments(overall []Arm, segments []Segment, opts SegmentOptions) []SegmentFlag {
	if opts.MinExposures <= 0 {
		opts.MinExposures = MinExposures
	}
	if opts.MinConversions <= 0 {
		opts.MinConversions = MinConversions
	}
	if opts.GoalNoun == "" {
		opts.GoalNoun = "conversions"
	}
	overall = normalised(overall)
	if len(overall) < 2 || rate(overall[0]) == 0 {
		return nil
	}

	type pair struct {
		segment          string
		control, variant Arm
		overallUp        float64
	}
	var pairs []pair
	for _, s := range segments {
		byKey := make(map[string]Arm, len(s.Arms))
		for _, a := range s.Arms {
			byKey[a.Key] = a
		}
		sc := normalised([]Arm{byKey[overall[0].Key]})[0]
		for _, o := range overall[1:] {
			sv := normalised([]Arm{byKey[o.Key]})[0]
			if sc.Exposures < opts.MinExposures || sv.Exposures < opts.MinExposures ||
				sc.Conversions+sv.Conversions < opts.MinConversions || rate(sc) == 0 {
				continue
			}
			sv.Label = o.Label
			pairs = append(pairs, pair{
				segment:   s.Name,
				control:   sc,
				variant:   sv,
				overallUp: rate(o)/rate(overall[0]) - 1,
			})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	level := 1 - 0.05/float64(len(pairs))
	variants := len(overall) > 2

	var flags []SegmentFlag
	for _, p := range pairs {
		if !maybeOutside(p.control, p.variant, p.overallUp, level) {
			continue
		}
		iv := UpliftInterval(p.control, p.variant, level)
		if iv.Low <= p.overallUp && p.overallUp <= iv.High {
			continue
		}
		f := SegmentFlag{
			Segment:       p.segment,
			Variant:       p.variant.Key,
			Uplift:        rate(p.variant)/rate(p.control) - 1,
			OverallUplift: p.overallUp,
			Interval:      iv,
			Level:         level,
			Better:        iv.Low > p.overallUp,
		}
		// The flag compares the variant's lift here with its own lift
		// overall, not the variant with the original: "does clearly
		// worse" read as worse than the original beside a segment where
		// it was level with it (desktop at ±0.0% against +83.3% overall).
		how := "lower"
		if f.Better {
			how = "higher"
		}
		// Against an overall uplift that reads ±0.0%, the table's signless
		// zero, the sentence says "no change overall".
		overall := SignedPercent(f.OverallUplift)
		if overall == SignedPercent(0) {
			overall = "no change"
		}
		// A lift here that reads ±0.0% is said in words too.
		here := SignedPercent(f.Uplift)
		if here == SignedPercent(0) {
			here = "no change"
		}
		f.Text = fmt.Sprintf("%s's lift on %s is clearly %s for %s than overall: %s (%s) against %s overall.",
			capitalise(p.variant.Label), opts.GoalNoun, how, p.segment, here,
			intervalWords(iv, len(pairs), variants), overall)
		flags = append(flags, f)
	}
	return flags
}

// maybeOutside screens a pair before its interval is computed: the
// overall uplift u lies inside the central interval at level exactly when
// G(1 + u) = P(rate_v / rate_c ≤ 1 + u) is between the two tails, which
// one evaluation of G tells, where the interval takes two quantile searches
// of several evaluations each. Most segments are unremarkable, so this is
// what keeps the results page fast with many segments and variants. The
// screen is conservative: pairs within half a tail of either edge go on to
// the exact check, so it never changes an answer, only skips work.
func maybeOutside(control, variant Arm, u, level float64) bool {
	if !(1+u > 0) {
		return true
	}
	arms := normalised([]Arm{control, variant})
	c := newPosterior(arms[0].Conversions, arms[0].Exposures)
	v := newPosterior(arms[1].Conversions, arms[1].Exposures)
	g, _ := ratioCDF(c, v, 1+u)
	tail := (1 - level) / 2
	return g < 1.5*tail || g > 1-1.5*tail
}

// intervalWords gives a flag's interval for a marketer: a level such as
// "99.29%" means nothing to one, so an interval widened for m judged
// pairs says that it was and why, in segments (or, with several
// variants, in comparisons of a segment and a variant), and one pair's
// is the page's usual 95% interval.
func intervalWords(iv Interval, m int, variants bool) string {
	if m == 1 {
		return "95% interval " + UpliftRange(iv.Low, iv.High)
	}
	checked := fmt.Sprintf("%d segments were checked", m)
	if variants {
		checked = fmt.Sprintf("%d segment comparisons were checked", m)
	}
	return "interval " + UpliftRange(iv.Low, iv.High) + ", widened because " + checked
}
