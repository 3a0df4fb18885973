package stats

import (
	"fmt"
	"math"
)

// Power analysis answers "how long must this run?" before and during an
// experiment. It uses the classical frequentist sample size for comparing
// two proportions: the Bayesian numbers on the page need roughly as much
// data to become decisive, and this formula is the one marketers can check
// against any online calculator.

const (
	// PlanAlpha and PlanPower are the two-sided significance level and
	// the power SampleSize plans for.
	PlanAlpha = 0.05
	PlanPower = 0.80
)

// SampleSize returns the visitors needed in each variant for a two-sided
// two-proportion z-test at PlanAlpha with PlanPower to detect a relative
// change mde (0.10 for 10%) from baseRate: SampleSizeFor one comparison,
// a test of one variant against the original.
func SampleSize(baseRate, mde float64) int64 {
	return SampleSizeFor(baseRate, mde, 1)
}

// SampleSizeFor returns the visitors needed in each variant for a
// two-sided two-proportion z-test at PlanSignificance(comparisons) with
// PlanPower to detect a relative change mde (0.10 for 10%) from baseRate,
// comparisons being the variants each compared with the original:
//
//	n = (z_{1−α/2}·√(2·p̄(1−p̄)) + z_{power}·√(p₁(1−p₁) + p₂(1−p₂)))² / (p₂ − p₁)²
//
// with p₁ = baseRate, p₂ = baseRate·(1 + mde) and p̄ their mean (Fleiss's
// formula without continuity correction, as R's power.prop.test). When a
// lift would push p₂ to 1 or beyond, the same-sized drop is planned for
// instead, since a two-sided test detects either. It returns 0 when the
// question has no answer: a base rate outside (0, 1) or a zero mde.
func SampleSizeFor(baseRate, mde float64, comparisons int) int64 {
	mde = math.Abs(mde)
	if !(baseRate > 0 && baseRate < 1) || !(mde > 0) || math.IsInf(mde, 0) {
		return 0
	}
	p1 := baseRate
	p2 := p1 * (1 + mde)
	if p2 >= 1 {
		p2 = p1 * (1 - mde)
	}
	if !(p2 > 0 && p2 < 1) {
		return 0
	}
	za := normalQuantile(1 - PlanSignificance(comparisons)/2)
	zb := normalQuantile(PlanPower)
	pbar := (p1 + p2) / 2
	num := za*math.Sqrt(2*pbar*(1-pbar)) + zb*math.Sqrt(p1*(1-p1)+p2*(1-p2))
	d := p2 - p1
	return int64(math.Ceil(num * num / (d * d)))
}

// PlanSignificance is the significance the plan sizes each of comparisons
// comparisons with the original for: PlanAlpha split evenly between them
// (Bonferroni). The verdict adjusts its p-values for the same comparisons
// with Holm's step-down, which is never stricter than Bonferroni, so a
// plan at this level has at least PlanPower for the verdict's bar too.
// Fewer than one comparison counts as one.
func PlanSignificance(comparisons int) float64 {
	return PlanAlpha / float64(max(comparisons, 1))
}

// DescribePlanBasis says what the plan assumes, as a sentence for the
// plan line, which already names the change it is sized to detect: "The
// plan assumes 5% significance and 80% power.", and with several
// comparisons the significance each is planned at (PlanSignificance).
func DescribePlanBasis(comparisons int) string {
	if comparisons <= 1 {
		return fmt.Sprintf("The plan assumes %s significance and %s power.", percent(PlanAlpha), percent(PlanPower))
	}
	return fmt.Sprintf("The plan assumes %s power and %s significance split between the %d comparisons with the original (%s each), as the verdict corrects for several comparisons.",
		percent(PlanPower), percent(PlanAlpha), comparisons, percent(PlanSignificance(comparisons)))
}

// RunTime returns how many days it takes for every one of variants arms to
// reach perVariant visitors when visitorsPerDay visitors enter the
// experiment (after its traffic allocation). It returns +Inf without
// traffic.
func RunTime(perVariant int64, variants int, visitorsPerDay float64) (days float64) {
	if !(visitorsPerDay > 0) {
		return math.Inf(1)
	}
	return float64(perVariant) * float64(variants) / visitorsPerDay
}

// DescribeRunTime phrases a RunTime for the page, for example "at current
// traffic, about 9 days to detect a 10% lift". Short times are counted in
// days, then weeks, months and years, rounded up, because promising too
// little time is the worse mistake.
func DescribeRunTime(days, mde float64) string {
	goal := fmt.Sprintf("to detect a %s lift", percent(math.Abs(mde)))
	switch {
	case math.IsNaN(days) || math.IsInf(days, 0) || days < 0:
		return "no traffic yet, so no estimate of the time " + goal
	case days < 1:
		return "at current traffic, less than a day " + goal
	case days <= 14:
		return fmt.Sprintf("at current traffic, about %s %s", plural(math.Ceil(days), "day"), goal)
	case days <= 7*9:
		return fmt.Sprintf("at current traffic, about %s %s", plural(math.Ceil(days/7), "week"), goal)
	case days <= 365*2:
		return fmt.Sprintf("at current traffic, about %s %s", plural(math.Ceil(days/30.44), "month"), goal)
	default:
		return fmt.Sprintf("at current traffic, about %s %s", plural(math.Ceil(days/365.25), "year"), goal)
	}
}

func plural(n float64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%s %ss", FormatCount(int64(n)), unit)
}
