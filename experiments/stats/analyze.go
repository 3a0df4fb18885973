package stats

import (
	"math"
	"sort"
)

// Arm is one variant's counts as they enter the analysis.
type Arm struct {
	// Key identifies the variant: "control", "b", …
	Key string
	// Label is the human name used in sentences, such as "Variant B" or,
	// for the control, "the original". Empty means the key (or "the
	// original" for the control).
	Label string
	// Exposures is the number of distinct visitors in the variant and
	// Conversions how many of them converted. Negative counts are read as
	// zero and conversions above exposures as exposures.
	Exposures, Conversions int64
	// WeightBP is the planned share of traffic in basis points (the
	// weights sum to 10000), used by the sample ratio mismatch test.
	WeightBP int
}

// Interval is a closed interval of a rate or an uplift.
type Interval struct{ Low, High float64 }

// VariantResult holds every number the results page shows for one variant.
// The pointer fields are nil where the spec says the value is absent.
type VariantResult struct {
	Key string
	// Label is the arm's label, defaulted as in Arm.
	Label string
	// Exposures and Conversions are the counts as analysed (clamped as
	// described in Arm).
	Exposures, Conversions int64
	// Rate is Conversions / Exposures, 0 without exposures.
	Rate float64
	// RateInterval is the central 95% credible interval of the rate: the
	// 2.5% and 97.5% quantiles of Beta(1 + conversions, 1 + non-conversions).
	RateInterval Interval
	// ProbBest is the posterior probability that this variant's rate is
	// the highest of all.
	ProbBest float64
	// ProbBeatControl is P(rate > control's rate); nil for the control.
	ProbBeatControl *float64
	// Uplift is Rate / control's Rate − 1; nil for the control and when the
	// control's rate is 0. It is also nil while the variant has no
	// exposures: its Rate of 0 is then a placeholder, and "−100%" would be
	// a claim the data do not make.
	Uplift *float64
	// UpliftInterval holds the 2.5% and 97.5% posterior quantiles of
	// rate / control rate − 1; nil for the control. It is defined even when
	// the observed control rate is 0, because the control's posterior is not,
	// but nil, like Uplift, while this variant or the control has no
	// exposures: the interval would then be the prior's, a range as wide as
	// −95% to +1,900% that says nothing about the copy.
	UpliftInterval *Interval
	// PValue is the two-sided pooled two-proportion z-test against the
	// control; nil for the control and when either arm has no exposures.
	PValue *float64
	// PValueAdjusted is PValue after Holm's step-down correction over all
	// non-control variants that have a p-value; nil when PValue is.
	PValueAdjusted *float64
}

// SRM is the sample ratio mismatch check: Pearson's chi-square
// goodness-of-fit test of the exposures against the planned weights, with
// k − 1 degrees of freedom. Flagged is PValue < SRMAlpha.
type SRM struct {
	// PValue is nil when there was nothing to test: no visitor yet (or
	// none since the split changed), or a single variant with a share of
	// the traffic. A 1 there would read as a split checked and found
	// perfect.
	PValue  *float64
	Flagged bool
}

// Verdict is the one-sentence answer at the top of the results page.
type Verdict struct {
	// Status is one of the Status… constants.
	Status string
	// Text is one plain sentence a marketer can act on.
	Text string
	// Unsure says a winner or control_wins verdict is called by the
	// spec's rule (a one-sided 95%) while the two-sided 95% uplift
	// interval the page shows still leaves the call open: the winner's
	// includes no gain, or its lift is within the practical threshold;
	// for control_wins, some variant's includes a gain. Text then says
	// the answer is probable and gives the choice (keep the test going,
	// or act knowing the risk), and a headline should not announce the
	// answer flatly. The status stays the spec's.
	Unsure bool
	// Leads says Text names one arm as the best so far, and Lead is that
	// arm (its index in the arms, the original 0): the winner, the
	// original when it wins, or, while it is too early to call
	// (keep_running), the arm Text says is ahead, or was once the test
	// ended. A verdict that names no one arm (no clear leader, several
	// variants beating the original with the best of them open, no
	// meaningful difference, not enough data, a broken split) leaves
	// both unset. The experiments lists name their leader from these, so
	// that they call one exactly where the results do.
	Lead  int
	Leads bool
}

// Options tune the analysis.
type Options struct {
	// Threshold is the practical threshold, a relative uplift: an effect
	// smaller than this is not worth acting on. 0 means DefaultThreshold.
	Threshold float64
	// GoalNoun names what is counted, in the plural: "sign-ups", "clicks".
	// "" means "conversions".
	GoalNoun string
	// SplitExposures, when not nil, are the exposures the split check
	// tests, one per arm: those of the visitors the arms' current weights
	// assigned, when the weights changed while the test ran (visitors keep
	// their variant, so the totals mix two splits). nil: the arms' own.
	SplitExposures []int64
	// Ended says the test has stopped, so no more visitors come: the
	// verdicts that would say to wait (not_enough_data, keep_running) say
	// what the stop means instead. The statuses stay the same.
	Ended bool
	// Paused says the test is paused: it gets no visitors until it is
	// resumed, so the keep_running verdict says to resume it rather than
	// to keep it running. The status stays the same; Ended wins over it.
	Paused bool
	// ReadOnly says the reader cannot act on the test (a share link's):
	// the sentences that would tell them to act (resume the test,
	// duplicate it, check the snippet, change the split) say what the
	// test's state means and what the team can do instead (TeamCan,
	// PausedReadOnly). The statuses stay the same.
	ReadOnly bool
	// Early says the test is too young to act on, the caller's judgement
	// (copylab's: less than a full week, or short of its planned sample).
	// The verdicts that would call it (winner, control_wins,
	// no_meaningful_difference) then give the numbers so far without
	// telling to act on them. The statuses stay the same.
	Early bool
}

// DefaultThreshold is the practical threshold used when Options.Threshold is
// zero: a 10% relative change.
const DefaultThreshold = 0.10

// Analysis is everything the results page derives from the counts.
type Analysis struct {
	Variants []VariantResult
	SRM      SRM
	Verdict  Verdict
	// Need is the verdict's data check, judged whatever the verdict (a
	// broken split's comes first): a page holds back the numbers that
	// rest on a handful of visitors while it is Short.
	Need Need
}

// Need says whether the counts are still short of what any verdict but
// not_enough_data needs, and what more it takes.
type Need struct {
	// Short says some variant has fewer than MinExposures visitors, or all
	// of them together fewer than MinConversions conversions.
	Short bool
	// More is roughly how many more visitors each variant needs, as the
	// not_enough_data verdict says it, rounded up as the plan rounds its
	// sample (RoundUpCount); 0 when not Short, and while there is no
	// visitor or no conversion yet to estimate it from.
	More int64
	// Minimum says what holds the verdict back is the MinExposures
	// visitors every variant needs (the conversions come with them at the
	// rate so far): each variant short of it needs MinExposures less its
	// visitors, and More is the largest of those. The verdict then says
	// that, not how many visitors it takes to detect the practical
	// threshold, which is the plan's to say.
	Minimum bool
	// Unfed holds the indexes of the variants short of MinExposures that
	// are planned to get no traffic (a weight of 0): they never get there.
	Unfed []int

	more int64 // visitorsNeeded's answer, its sentinels included
}

// needOf runs the data check of the verdict once, for the verdict and for
// Analysis.Need.
func needOf(arms []Arm) Need {
	if len(arms) == 0 {
		return Need{}
	}
	more, minimum := visitorsNeeded(arms)
	n := Need{Short: more != 0, more: more, Minimum: minimum, Unfed: unfedArms(arms)}
	if more > 0 {
		n.More = RoundUpCount(more)
	}
	return n
}

// Analyze computes the results for arms, where arms[0] is the control.
//
// It is a pure function of its arguments: every probability comes from
// deterministic numerical integration of the Beta posteriors (see the
// package documentation), so the same counts always give the same numbers.
// It takes a few milliseconds at most, even for ten arms of 10^7 visitors.
func Analyze(arms []Arm, opts Options) Analysis {
	if opts.Threshold <= 0 || math.IsNaN(opts.Threshold) {
		opts.Threshold = DefaultThreshold
	}
	if opts.GoalNoun == "" {
		opts.GoalNoun = "conversions"
	}
	arms = normalised(arms)
	an := Analysis{Variants: make([]VariantResult, len(arms))}
	if len(arms) == 0 {
		an.Verdict = verdict(arms, an, opts)
		return an
	}

	post := make([]*posterior, len(arms))
	for i, a := range arms {
		post[i] = newPosterior(a.Conversions, a.Exposures)
		d := post[i].dist
		an.Variants[i] = VariantResult{
			Key:          a.Key,
			Label:        a.Label,
			Exposures:    a.Exposures,
			Conversions:  a.Conversions,
			Rate:         rate(a),
			RateInterval: Interval{d.quantile(0.025), d.quantileUpper(0.025)},
		}
	}
	for i, pb := range probBest(post) {
		an.Variants[i].ProbBest = pb
	}

	control := arms[0]
	for i := 1; i < len(arms); i++ {
		v := &an.Variants[i]
		beat := probBest([]*posterior{post[i], post[0]})[0]
		v.ProbBeatControl = &beat
		if cr := rate(control); cr > 0 && arms[i].Exposures > 0 {
			u := v.Rate/cr - 1
			v.Uplift = &u
		}
		if control.Exposures > 0 && arms[i].Exposures > 0 {
			iv := upliftInterval(post[0], post[i], 0.95)
			v.UpliftInterval = &iv
		}
		if p, ok := twoProportionP(control, arms[i]); ok {
			v.PValue = &p
		}
	}
	holmAdjust(an.Variants[1:])
	an.SRM = srmTest(splitArms(arms, opts.SplitExposures))
	an.Need = needOf(arms)
	an.Verdict = verdict(arms, an, opts)
	return an
}

// normalised returns a copy of arms with counts clamped into range and
// labels filled in.
func normalised(arms []Arm) []Arm {
	out := make([]Arm, len(arms))
	for i, a := range arms {
		a.Exposures = max(a.Exposures, 0)
		a.Conversions = min(max(a.Conversions, 0), a.Exposures)
		if a.Label == "" {
			a.Label = a.Key
			if i == 0 {
				a.Label = "the original"
			}
		}
		out[i] = a
	}
	return out
}

func rate(a Arm) float64 {
	if a.Exposures == 0 {
		return 0
	}
	return float64(a.Conversions) / float64(a.Exposures)
}

// upliftInterval returns the central credible interval at level of
// rate_v / rate_c − 1 under the two posteriors, found by inverting the CDF
// of the ratio (see ratioQuantile).
func upliftInterval(c, v *posterior, level float64) Interval {
	tail := (1 - level) / 2
	return Interval{ratioQuantile(c, v, tail) - 1, ratioQuantile(c, v, 1-tail) - 1}
}

// UpliftInterval returns the central credible interval at the given level
// (0.95 for the page's intervals) of variant rate / control rate − 1, with
// uniform priors. FlagSegments uses it with wider levels.
func UpliftInterval(control, variant Arm, level float64) Interval {
	arms := normalised([]Arm{control, variant})
	c := newPosterior(arms[0].Conversions, arms[0].Exposures)
	v := newPosterior(arms[1].Conversions, arms[1].Exposures)
	return upliftInterval(c, v, level)
}

// RateInterval returns the central 95% credible interval of a conversion
// rate after conversions out of exposures, with a uniform prior.
func RateInterval(conversions, exposures int64) Interval {
	a := normalised([]Arm{{Exposures: exposures, Conversions: conversions}})[0]
	d := posteriorOf(a.Conversions, a.Exposures)
	return Interval{d.quantile(0.025), d.quantileUpper(0.025)}
}

// twoProportionP returns the two-sided p-value of the pooled two-proportion
// z-test of variant against control: z = (p_v − p_c) / √(p̂(1−p̂)(1/n_c + 1/n_v))
// with p̂ the pooled rate, and p = erfc(|z|/√2), which stays accurate for
// tiny p-values where 2·(1 − Φ(|z|)) would round to 0. ok is false when
// either arm has no exposures. When nobody or everybody converted the rates
// are equal and there is no evidence of a difference: p = 1.
func twoProportionP(control, variant Arm) (p float64, ok bool) {
	nc, nv := float64(control.Exposures), float64(variant.Exposures)
	if nc == 0 || nv == 0 {
		return 0, false
	}
	pooled := float64(control.Conversions+variant.Conversions) / (nc + nv)
	se := math.Sqrt(pooled * (1 - pooled) * (1/nc + 1/nv))
	if !(se > 0) {
		return 1, true
	}
	z := (rate(variant) - rate(control)) / se
	return math.Erfc(math.Abs(z) / math.Sqrt2), true
}

// holmAdjust fills PValueAdjusted with Holm's step-down correction of
// PValue over the variants that have one: sorted ascending, the i-th
// smallest of m p-values becomes min(1, max over j ≤ i of (m − j + 1)·p_(j)).
// The running maximum keeps the adjusted values in the same order as the
// raw ones. Holm controls the family-wise error rate like Bonferroni but
// is never less powerful.
func holmAdjust(vs []VariantResult) {
	var idx []int
	for i, v := range vs {
		if v.PValue != nil {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return *vs[idx[a]].PValue < *vs[idx[b]].PValue })
	m := len(idx)
	running := 0.0
	for rank, i := range idx {
		adj := min(1, float64(m-rank)**vs[i].PValue)
		running = max(running, adj)
		p := running
		vs[i].PValueAdjusted = &p
	}
}

// SRMAlpha is the p-value below which a sample ratio mismatch is flagged.
// It is strict on purpose: the check runs every time the page is viewed,
// and a false alarm would stop a healthy experiment.
const SRMAlpha = 0.001

// splitArms are arms with the exposures the split check tests.
func splitArms(arms []Arm, exposures []int64) []Arm {
	if exposures == nil {
		return arms
	}
	out := make([]Arm, len(arms))
	for i, a := range arms {
		out[i] = Arm{Key: a.Key, WeightBP: a.WeightBP}
		if i < len(exposures) {
			out[i].Exposures = max(exposures[i], 0)
		}
	}
	return out
}

// srmTest runs Pearson's chi-square goodness-of-fit test of the exposures
// against the planned weights.
//
// Weights are used relative to their sum, and if none is positive the split
// is taken as equal. An arm planned at zero weight takes no part in the test
// while it has no exposures; if it has any, the split is certainly not what
// was planned and the test reports p = 0. With no exposures, or a single arm
// left to test, there is nothing to test: no p-value, and not flagged.
func srmTest(arms []Arm) SRM {
	w := make([]float64, len(arms))
	var total, sum float64
	for i, a := range arms {
		total += float64(a.Exposures)
		w[i] = float64(max(a.WeightBP, 0))
		sum += w[i]
	}
	if sum == 0 {
		for i := range w {
			w[i] = 1
		}
		sum = float64(len(w))
	}
	if total == 0 {
		return SRM{}
	}
	var chi2 float64
	df := -1
	for i, a := range arms {
		if w[i] == 0 {
			if a.Exposures > 0 {
				zero := 0.0
				return SRM{PValue: &zero, Flagged: true}
			}
			continue
		}
		expected := total * w[i] / sum
		d := float64(a.Exposures) - expected
		chi2 += d * d / expected
		df++
	}
	if df < 1 {
		return SRM{}
	}
	p := chiSquareSF(chi2, df)
	return SRM{PValue: &p, Flagged: p < SRMAlpha}
}
