package stats

import (
	"fmt"
	"math"
	"testing"
)

// Reference values from outside the package. Every expected number below
// is a literal computed by testdata/reference.py (Python 3 standard library
// only: fractions, decimal, math.comb), which shares no method with this
// package: no floating-point special function, no continued fraction, no
// quadrature. Each table says how its values were computed; rerun
//
//	python3 experiments/stats/testdata/reference.py
//
// to reproduce them. The tolerances are what the package is documented to
// achieve (see doc.go), well inside the spec's accuracy column: a miss is a
// bug in the package, not a reason to widen them.

// nearRel fails the test when got is further than rel·|want| from want.
func nearRel(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if !(math.Abs(got-want) <= rel*math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g (relative ±%g, off by %.3g)", what, got, want, rel, (got-want)/want)
	}
}

// TestReferenceNormal: the standard normal quantile and upper tail.
// Reference: Φ(z) = (1 + erf(z/√2))/2 with erf summed from its Maclaurin
// series in 80-digit decimals (π by Machin's formula), the quantile by 260
// bisection steps on it.
func TestReferenceNormal(t *testing.T) {
	quantiles := []struct {
		p, want float64
	}{
		{0.975, 1.9599639845400542},
		{0.8, 0.84162123357291421},
		{0.025, -1.9599639845400542},
		// The tails, where the quantile seeds every Beta quantile search
		// (tailMass is 1e-12).
		{1e-10, -6.3613409024040562},
		{1e-12, -7.0344838253011319},
		// Upper tails, from the float64 nearest p (exactly: its Decimal),
		// as 1 − p in binary is not 1 − p in decimal there.
		{0.999, 3.0902323061678133},
		{0.9999999, 5.1993375822906611},
	}
	for _, tt := range quantiles {
		nearRel(t, fmt.Sprint("normalQuantile(", tt.p, ")"), normalQuantile(tt.p), tt.want, 1e-14)
	}
	near(t, "normalQuantile(0.5)", normalQuantile(0.5), 0, 1e-16)
	for _, tt := range []struct{ z, want float64 }{
		{1.96, 0.024997895148220434},
		{3, 0.0013498980316300945},
		{8, 6.2209605742717841e-16},
	} {
		nearRel(t, fmt.Sprint("normalSF(", tt.z, ")"), normalSF(tt.z), tt.want, 1e-14)
	}
}

// TestReferenceBeta: the Beta posterior's CDF and the rate_interval.
// Reference: for integer a, b, I_x(a, b) = P(Binomial(a+b−1, x) ≥ a), a
// finite sum in 80-digit decimals; quantiles by 120 bisection steps on it
// (the upper one as 1 − the lower quantile of Beta(b, a)). Closed forms
// check three rows: Beta(1, 1) is uniform, Beta(1, 11) has
// F(x) = 1 − (1−x)^11 and Beta(11, 1) has F(x) = x^11.
func TestReferenceBeta(t *testing.T) {
	for _, tt := range []struct {
		x, a, b, want float64
	}{
		{0.1, 101, 901, 0.47760259779094341},
		{0.3, 4, 5, 0.19410435}, // exact: 19410435/10^8
		{0.02, 3, 200, 0.77065317626139079},
	} {
		nearRel(t, fmt.Sprintf("I_%g(%g, %g)", tt.x, tt.a, tt.b), incBeta(tt.x, tt.a, tt.b), tt.want, 1e-12)
	}
	for _, tt := range []struct {
		conversions, exposures int64
		low, high              float64
	}{
		{100, 1000, 0.0829363984958179, 0.120169129875861}, // the spec's check
		{3, 7, 0.157012770487058, 0.755136783633448},
		{0, 10, 0.00229897221381427, 0.284914152918154}, // 1 − 0.975^(1/11), 1 − 0.025^(1/11)
		{10, 10, 0.715085847081846, 0.997701027786186},  // 0.025^(1/11), 0.975^(1/11)
		{0, 0, 0.025, 0.975},
		{1, 2, 0.0942993240502461, 0.905700675949754},
		{50, 2000, 0.0190344643482827, 0.0328114314315888},
	} {
		an := Analyze([]Arm{arm("control", tt.conversions, tt.exposures)}, Options{})
		iv := an.Variants[0].RateInterval
		name := fmt.Sprintf("%d/%d rate_interval", tt.conversions, tt.exposures)
		near(t, name+" low", iv.Low, tt.low, 1e-12)
		near(t, name+" high", iv.High, tt.high, 1e-12)
	}
}

// TestReferenceProbBeatControl: two arms, where prob_best of the variant
// is prob_beat_control. Reference: Evan Miller's closed form
// Σ_{i<αB} B(αA+i, βA+βB) / ((βB+i)·B(1+i, βB)·B(αA, βA)), summed as an
// exact fraction (B of integers from factorials).
func TestReferenceProbBeatControl(t *testing.T) {
	for _, tt := range []struct {
		c, v [2]int64 // conversions, exposures
		want float64
	}{
		{[2]int64{100, 1000}, [2]int64{120, 1000}, 0.923183438973560}, // the spec's 0.92318
		{[2]int64{7, 50}, [2]int64{12, 60}, 0.786194948473243},
		{[2]int64{0, 1}, [2]int64{1, 1}, 5.0 / 6}, // Beta(2, 1) against Beta(1, 2)
		{[2]int64{0, 0}, [2]int64{0, 0}, 0.5},
		{[2]int64{20, 1000}, [2]int64{3, 80}, 0.901782436543491},
	} {
		an := Analyze([]Arm{arm("control", tt.c[0], tt.c[1]), arm("b", tt.v[0], tt.v[1])}, Options{})
		name := fmt.Sprintf("%v against %v", tt.v, tt.c)
		near(t, name+": prob_beat_control", *an.Variants[1].ProbBeatControl, tt.want, 1e-9)
		near(t, name+": prob_best", an.Variants[1].ProbBest, tt.want, 1e-9)
		near(t, name+": control's prob_best", an.Variants[0].ProbBest, 1-tt.want, 1e-9)
	}
}

// TestReferenceProbBest: three and four arms. Reference: with integer
// Beta parameters the integrand f_i(x)·Π_{j≠i} F_j(x) is a polynomial (each
// F_j a binomial tail), multiplied out with integer coefficients and
// integrated over [0, 1] exactly; each row of exact fractions sums to
// exactly 1.
func TestReferenceProbBest(t *testing.T) {
	for _, tt := range []struct {
		arms []Arm
		want []float64
	}{
		{[]Arm{arm("control", 3, 10), arm("b", 5, 12), arm("c", 1, 8)},
			[]float64{0.278597144052562, 0.658079199689080, 0.0633236562583584}},
		{[]Arm{arm("control", 30, 400), arm("b", 40, 410), arm("c", 35, 390)},
			[]float64{0.0693913099729275, 0.603693311292507, 0.326915378734566}},
		// An arm without visitors has the uniform posterior.
		{[]Arm{arm("control", 0, 0), arm("b", 2, 20), arm("c", 5, 20), arm("d", 4, 30)},
			[]float64{0.713889627902993, 0.0237280330277388, 0.233363293846358, 0.0290190452229103}},
	} {
		an := Analyze(tt.arms, Options{})
		for i, v := range an.Variants {
			near(t, fmt.Sprintf("%v: prob_best of %s", tt.arms, v.Key), v.ProbBest, tt.want[i], 1e-9)
		}
	}
}

// TestReferenceUpliftInterval: the 2.5% and 97.5% quantiles of
// rate_v/rate_c − 1. Reference: for r ≤ 1, G(r) = P(X_v ≤ r·X_c) =
// E[F_v(r·X_c)] is a polynomial in r whose exact coefficients come from
// the binomial-tail form of F_v and the Beta moments
// E[X^p] = Π_{i<p} (α+i)/(α+β+i); for r > 1, G(r) = 1 − P(X_c < X_v/r),
// the same with the arms swapped. Evaluated in decimals with enough
// digits for the alternating sum, and inverted by 90 bisection steps. As a
// check of the method, 1 − G(1) reproduces Evan Miller's P(B > A) above.
func TestReferenceUpliftInterval(t *testing.T) {
	for _, tt := range []struct {
		c, v      [2]int64
		low, high float64
	}{
		{[2]int64{100, 1000}, [2]int64{120, 1000}, -0.06536043211098, 0.5408381930998},
		{[2]int64{7, 50}, [2]int64{12, 60}, -0.3734442870525, 2.290158268916},
		{[2]int64{3, 10}, [2]int64{5, 12}, -0.5242368282448, 3.266933092531},
		// The control converted nobody: no uplift, but an interval, from
		// the control's posterior.
		{[2]int64{0, 50}, [2]int64{2, 50}, -0.5716642283154, 114.7994376369},
		{[2]int64{20, 200}, [2]int64{30, 200}, -0.1128096178959, 1.537507670837},
	} {
		an := Analyze([]Arm{arm("control", tt.c[0], tt.c[1]), arm("b", tt.v[0], tt.v[1])}, Options{})
		iv := an.Variants[1].UpliftInterval
		name := fmt.Sprintf("%v against %v: uplift_interval", tt.v, tt.c)
		if iv == nil {
			t.Errorf("%s missing", name)
			continue
		}
		// Relative to 1 + uplift, the ratio the interval is a quantile of.
		nearRel(t, name+" low", 1+iv.Low, 1+tt.low, 1e-9)
		nearRel(t, name+" high", 1+iv.High, 1+tt.high, 1e-9)
	}
}

// TestReferencePValues: the pooled two-proportion z-test and Holm's
// correction. Reference: z from exact fractions, p = erfc(|z|/√2) with
// erf from its Maclaurin series in 80-digit decimals; Holm by hand on
// those: sorted p₁ ≤ p₂ ≤ p₃, adjusted min(1, max_{j≤i} (m−j+1)·p_j).
func TestReferencePValues(t *testing.T) {
	for _, tt := range []struct {
		c, v [2]int64
		want float64
	}{
		{[2]int64{100, 1000}, [2]int64{120, 1000}, 0.15291778186394597}, // the spec's 0.15292
		{[2]int64{50, 400}, [2]int64{20, 300}, 0.010900409303408283},
		{[2]int64{500000, 10000000}, [2]int64{505000, 10000000}, 3.0913920507455547e-7},
	} {
		an := Analyze([]Arm{arm("control", tt.c[0], tt.c[1]), arm("b", tt.v[0], tt.v[1])}, Options{})
		name := fmt.Sprintf("%v against %v", tt.v, tt.c)
		nearRel(t, name+": p_value", *an.Variants[1].PValue, tt.want, 1e-12)
		nearRel(t, name+": p_value_adjusted (one variant)", *an.Variants[1].PValueAdjusted, tt.want, 1e-12)
	}

	// Three variants against 200/2000: raw p 0.0432, 0.793, 0.00216; Holm
	// multiplies the smallest by 3 (0.00649), the next by 2 (0.0865) and
	// the largest by 1 (0.793).
	an := Analyze([]Arm{arm("control", 200, 2000), arm("b", 240, 2000), arm("c", 205, 2000), arm("d", 262, 2000)}, Options{})
	raw := []float64{0.043244928043021673, 0.79326480837230337, 0.0021617795761400796}
	holm := []float64{0.086489856086043347, 0.79326480837230337, 0.0064853387284202387}
	for i, v := range an.Variants[1:] {
		nearRel(t, v.Key+": p_value", *v.PValue, raw[i], 1e-12)
		nearRel(t, v.Key+": p_value_adjusted", *v.PValueAdjusted, holm[i], 1e-12)
	}
}

// TestReferenceSRM: Pearson's chi-square test of the split. Reference: χ²
// as an exact fraction, then the chi-square survival function's closed
// forms in 80-digit decimals: erfc(√(χ²/2)) for 1 degree of freedom,
// exp(−χ²/2) for 2, erfc(√(χ²/2)) + √(2χ²/π)·exp(−χ²/2) for 3.
func TestReferenceSRM(t *testing.T) {
	for _, tt := range []struct {
		exposures []int64
		weights   []int
		want      float64
	}{
		{[]int64{5000, 5400}, []int{5000, 5000}, 0.000087699423755902331},                     // χ² = 15.38, 1 df
		{[]int64{3300, 3000, 2700}, []int{3334, 3333, 3333}, 1.0253217550774815e-13},          // χ² = 59.82, 2 df
		{[]int64{2600, 2500, 2450, 2450}, []int{2500, 2500, 2500, 2500}, 0.11161022509471256}, // χ² = 6, 3 df
		{[]int64{8100, 1900}, []int{8000, 2000}, 0.012419330651552270},                        // χ² = 6.25, 1 df
	} {
		arms := make([]Arm, len(tt.exposures))
		for i := range arms {
			arms[i] = Arm{Key: fmt.Sprint(i), Exposures: tt.exposures[i], Conversions: tt.exposures[i] / 10, WeightBP: tt.weights[i]}
		}
		srm := Analyze(arms, Options{}).SRM
		if srm.PValue == nil {
			t.Fatalf("%v at %v: no srm p_value", tt.exposures, tt.weights)
		}
		nearRel(t, fmt.Sprintf("%v at %v: srm p_value", tt.exposures, tt.weights), *srm.PValue, tt.want, 1e-12)
		if srm.Flagged != (tt.want < SRMAlpha) {
			t.Errorf("%v: flagged %v at p = %g", tt.exposures, srm.Flagged, *srm.PValue)
		}
	}
}

// TestReferenceSampleSize: the plan's visitors per variant. Reference:
// Fleiss's formula (as R's power.prop.test) in 80-digit decimals, with the
// normal quantiles from the bisection above; R gives 14750.79 for the
// first row. SampleSize rounds up.
func TestReferenceSampleSize(t *testing.T) {
	for _, tt := range []struct {
		base, mde float64
		exact     float64
	}{
		{0.10, 0.10, 14750.7904690},
		{0.05, 0.10, 31233.4379401},
		{0.02, 0.20, 21108.3830704},
		{0.3, 0.05, 14855.4421992},
	} {
		if got, want := SampleSize(tt.base, tt.mde), int64(math.Ceil(tt.exact)); got != want {
			t.Errorf("SampleSize(%g, %g) = %d, want %d (⌈%.7f⌉)", tt.base, tt.mde, got, want, tt.exact)
		}
	}
}
