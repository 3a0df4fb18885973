package stats

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// arm is shorthand for a test arm with an equal planned weight.
func arm(key string, conversions, exposures int64) Arm {
	return Arm{Key: key, Exposures: exposures, Conversions: conversions}
}

// evanMiller returns P(p_B > p_A) for Beta(αA, βA) and Beta(αB, βB) with
// integer αB by Evan Miller's closed form
//
//	Σ_{i=0}^{αB−1} B(αA+i, βA+βB) / ((βB+i)·B(1+i, βB)·B(αA, βA)),
//
// summed in log space with math.Lgamma, independently of this package.
func evanMiller(aA, bA, aB, bB float64) float64 {
	lbeta := func(a, b float64) float64 {
		x, _ := math.Lgamma(a)
		y, _ := math.Lgamma(b)
		z, _ := math.Lgamma(a + b)
		return x + y - z
	}
	var sum float64
	for i := 0.0; i < aB; i++ {
		sum += math.Exp(lbeta(aA+i, bA+bB) - math.Log(bB+i) - lbeta(1+i, bB) - lbeta(aA, bA))
	}
	return sum
}

func TestSpecChecks(t *testing.T) {
	an := Analyze([]Arm{arm("control", 100, 1000), arm("b", 120, 1000)}, Options{})
	c, b := an.Variants[0], an.Variants[1]
	near(t, "prob_beat_control", *b.ProbBeatControl, 0.92318, 5e-6)
	near(t, "p_value", *b.PValue, 0.15292, 5e-6)
	near(t, "control rate_interval low", c.RateInterval.Low, 0.082936, 5e-7)
	near(t, "control rate_interval high", c.RateInterval.High, 0.120169, 5e-7)
	// With two arms, prob_best is prob_beat_control.
	near(t, "prob_best", b.ProbBest, *b.ProbBeatControl, 1e-12)
	near(t, "uplift", *b.Uplift, 0.2, 1e-15)
	if c.ProbBeatControl != nil || c.Uplift != nil || c.UpliftInterval != nil || c.PValue != nil || c.PValueAdjusted != nil {
		t.Errorf("control has comparison fields: %+v", c)
	}
	// Holm over a single variant changes nothing.
	near(t, "p_value_adjusted", *b.PValueAdjusted, *b.PValue, 0)
}

func TestProbBestEvanMiller(t *testing.T) {
	tests := []struct {
		name     string
		a, b     [2]int64 // conversions, exposures
		tol      float64
		slowTest bool
	}{
		{"tiny", [2]int64{1, 10}, [2]int64{3, 10}, 1e-9, false},
		{"no data", [2]int64{0, 0}, [2]int64{0, 0}, 1e-9, false},
		{"one visitor", [2]int64{0, 1}, [2]int64{1, 1}, 1e-9, false},
		{"small", [2]int64{7, 50}, [2]int64{12, 60}, 1e-9, false},
		{"spec example", [2]int64{100, 1000}, [2]int64{120, 1000}, 1e-9, false},
		{"unequal sizes", [2]int64{20, 1000}, [2]int64{3, 80}, 1e-9, false},
		{"rare", [2]int64{2, 5000}, [2]int64{9, 5000}, 1e-9, false},
		{"common", [2]int64{950, 1000}, [2]int64{940, 1000}, 1e-9, false},
		// Ten million visitors each; the closed form sums 500,501 terms.
		{"ten million", [2]int64{500000, 10000000}, [2]int64{500500, 10000000}, 1e-6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slowTest && testing.Short() {
				t.Skip("slow closed form")
			}
			aA, bA := float64(1+tt.a[0]), float64(1+tt.a[1]-tt.a[0])
			aB, bB := float64(1+tt.b[0]), float64(1+tt.b[1]-tt.b[0])
			want := evanMiller(aA, bA, aB, bB)
			an := Analyze([]Arm{arm("a", tt.a[0], tt.a[1]), arm("b", tt.b[0], tt.b[1])}, Options{})
			near(t, "prob_best(B)", an.Variants[1].ProbBest, want, tt.tol)
			near(t, "prob_beat_control(B)", *an.Variants[1].ProbBeatControl, want, tt.tol)
			near(t, "prob_best(A)", an.Variants[0].ProbBest, 1-want, tt.tol)
		})
	}
}

// referenceProbBest integrates ∫ f_i Π F_j on the union of 150 uniform
// panels over each arm's range (no merging), with the CDFs from the
// incomplete Beta function rather than tables.
func referenceProbBest(arms []Arm) []float64 {
	ds := make([]betaDist, len(arms))
	var edges []float64
	for i, a := range arms {
		ds[i] = posteriorOf(a.Conversions, a.Exposures)
		lo, hi := ds[i].quantile(1e-13), ds[i].quantileUpper(1e-13)
		for p := range 151 {
			edges = append(edges, lo+(hi-lo)*float64(p)/150)
		}
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	out := make([]float64, len(arms))
	F := make([]float64, len(arms))
	rule.each(edges, func(x, w float64) {
		for j, d := range ds {
			F[j] = d.cdf(x)
		}
		for i, d := range ds {
			v := w * d.pdf(x)
			for j := range ds {
				if j != i {
					v *= F[j]
				}
			}
			out[i] += v
		}
	})
	return out
}

func TestProbBestReference(t *testing.T) {
	tests := []struct {
		name string
		arms []Arm
	}{
		{"three arms", []Arm{arm("a", 30, 400), arm("b", 40, 410), arm("c", 35, 390)}},
		{"four arms, one tiny", []Arm{arm("a", 30, 400), arm("b", 1, 5), arm("c", 45, 400), arm("d", 44, 400)}},
		{"zero traffic arm", []Arm{arm("a", 50, 500), arm("b", 0, 0), arm("c", 60, 500)}},
		{"no conversions", []Arm{arm("a", 0, 300), arm("b", 0, 310), arm("c", 0, 290)}},
		{"ten million and a few", []Arm{arm("a", 500000, 10000000), arm("b", 1, 20), arm("c", 501000, 10000000), arm("d", 5000, 100000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := referenceProbBest(tt.arms)
			an := Analyze(tt.arms, Options{})
			for i, v := range an.Variants {
				near(t, "prob_best "+v.Key, v.ProbBest, want[i], 1e-8)
			}
		})
	}
}

func TestProbBestSumsToOne(t *testing.T) {
	sizes := []int64{0, 7, 150, 1000, 40000, 10000000}
	for k := 2; k <= 10; k++ {
		for _, mix := range []string{"similar", "mixed sizes", "far apart", "huge"} {
			arms := make([]Arm, k)
			for i := range arms {
				var n, c int64
				switch mix {
				case "similar":
					n = 1000 + int64(13*i)
					c = 100 + int64(7*i%5)
				case "mixed sizes":
					n = sizes[i%len(sizes)]
					c = n / int64(8+i)
				case "far apart":
					n = 20000
					c = int64(200 * (i + 1))
				case "huge":
					n = 10000000
					c = 500000 + int64(500*i)
				}
				arms[i] = arm(fmt.Sprint(i), c, n)
			}
			ps := make([]*posterior, k)
			for i, a := range arms {
				ps[i] = newPosterior(a.Conversions, a.Exposures)
			}
			var sum float64
			for _, v := range probBestRaw(ps) {
				sum += v
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("%d arms, %s: raw prob_best sums to %.12f", k, mix, sum)
			}
		}
	}
}

func TestSwapVariants(t *testing.T) {
	base := []Arm{arm("control", 100, 1000), arm("b", 130, 1100), arm("c", 90, 950), arm("d", 2, 40)}
	an := Analyze(base, Options{})
	for _, sw := range [][2]int{{1, 2}, {1, 3}, {2, 3}} {
		arms := append([]Arm(nil), base...)
		arms[sw[0]], arms[sw[1]] = arms[sw[1]], arms[sw[0]]
		got := Analyze(arms, Options{})
		for i, j := range map[int]int{sw[0]: sw[1], sw[1]: sw[0]} {
			a, b := got.Variants[i], an.Variants[j]
			if a.Key != b.Key {
				t.Fatalf("keys %s, %s", a.Key, b.Key)
			}
			near(t, "prob_best", a.ProbBest, b.ProbBest, 1e-12)
			near(t, "prob_beat_control", *a.ProbBeatControl, *b.ProbBeatControl, 1e-12)
			near(t, "uplift low", a.UpliftInterval.Low, b.UpliftInterval.Low, 1e-9)
			near(t, "uplift high", a.UpliftInterval.High, b.UpliftInterval.High, 1e-9)
			near(t, "p_value", *a.PValue, *b.PValue, 0)
			near(t, "p_value_adjusted", *a.PValueAdjusted, *b.PValueAdjusted, 0)
		}
	}

	// Swapping control and variant mirrors the comparison: P(B > A) becomes
	// 1 − P(B > A), and the ratio's quantiles become the reciprocal ones.
	ab := Analyze([]Arm{arm("a", 30, 400), arm("b", 45, 420)}, Options{})
	ba := Analyze([]Arm{arm("b", 45, 420), arm("a", 30, 400)}, Options{})
	near(t, "mirrored prob_beat_control", *ba.Variants[1].ProbBeatControl, 1-*ab.Variants[1].ProbBeatControl, 1e-9)
	near(t, "mirrored interval low", 1+ba.Variants[1].UpliftInterval.Low, 1/(1+ab.Variants[1].UpliftInterval.High), 1e-8)
	near(t, "mirrored interval high", 1+ba.Variants[1].UpliftInterval.High, 1/(1+ab.Variants[1].UpliftInterval.Low), 1e-8)
	near(t, "mirrored p_value", *ba.Variants[1].PValue, *ab.Variants[1].PValue, 1e-15)
}

func TestMoreConversionsNeverLowerProbBest(t *testing.T) {
	for _, n := range []int64{20, 1000, 10000000} {
		prev := -1.0
		step := max(n/40, 1)
		for c := int64(0); c <= n; c += step {
			an := Analyze([]Arm{arm("a", n/10, n), arm("b", c, n), arm("c", n/8, n)}, Options{})
			pb := an.Variants[1].ProbBest
			if pb < prev-1e-12 {
				t.Errorf("n=%d: prob_best fell from %.12g to %.12g at %d conversions", n, prev, pb, c)
			}
			prev = pb
		}
	}
}

func TestUpliftInterval(t *testing.T) {
	tests := []struct {
		name      string
		c, v      Arm
		low, high float64
		tol       float64
	}{
		// mpmath: quadrature of f_c(x)·I_{rx}(a_v, b_v), then bisection.
		{"spec example", arm("c", 100, 1000), arm("b", 120, 1000), -0.06536043211100107, 0.5408381930998047, 1e-9},
		{"small", arm("c", 3, 40), arm("b", 9, 50), -0.2509241257914365, 6.583700428683667, 1e-8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze([]Arm{tt.c, tt.v}, Options{})
			iv := an.Variants[1].UpliftInterval
			near(t, "low", iv.Low, tt.low, tt.tol)
			near(t, "high", iv.High, tt.high, tt.tol)
			again := UpliftInterval(tt.c, tt.v, 0.95)
			if again != *iv {
				t.Errorf("UpliftInterval = %v, Analyze gave %v", again, *iv)
			}
		})
	}
	// Two uniform posteriors: P(U/V ≤ r) is r/2 below 1 and 1 − 1/(2r)
	// above, so the quantiles are 0.05 and 20. UpliftInterval computes
	// them; the results leave them out (TestNoVisitorsNoUplift).
	iv := UpliftInterval(arm("c", 0, 0), arm("b", 0, 0), 0.95)
	near(t, "no traffic: low", iv.Low, -0.95, 1e-6)
	near(t, "no traffic: high", iv.High, 19, 1e-6)
}

// TestNoVisitorsNoUplift: while a variant or the control has no visitors
// there is no uplift and no uplift interval (the interval would be the
// prior's, not the data's), but a control that converted nobody yet still
// gives an interval from its posterior.
func TestNoVisitorsNoUplift(t *testing.T) {
	tests := []struct {
		name         string
		arms         []Arm
		wantInterval []bool // per non-control variant
	}{
		{"variant without visitors", []Arm{arm("control", 10, 100), arm("b", 0, 0), arm("c", 12, 100)}, []bool{false, true}},
		{"control without visitors", []Arm{arm("control", 0, 0), arm("b", 10, 100)}, []bool{false}},
		{"nobody at all", []Arm{arm("control", 0, 0), arm("b", 0, 0)}, []bool{false}},
		{"control converted nobody", []Arm{arm("control", 0, 100), arm("b", 5, 100)}, []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, Options{})
			for i, v := range an.Variants[1:] {
				if got := v.UpliftInterval != nil; got != tt.wantInterval[i] {
					t.Errorf("%s: uplift_interval %v, want one: %v", v.Key, v.UpliftInterval, tt.wantInterval[i])
				}
				if v.Exposures == 0 || an.Variants[0].Exposures == 0 {
					if v.Uplift != nil {
						t.Errorf("%s: uplift %v without visitors", v.Key, *v.Uplift)
					}
				}
			}
		})
	}
}

// normalApprox returns P(X_v > X_c) and the delta-method 95% interval of
// X_v/X_c − 1 under normal approximations of the two posteriors, which are
// very good at ten million visitors.
func normalApprox(c, v Arm) (beat float64, iv Interval) {
	dc, dv := posteriorOf(c.Conversions, c.Exposures), posteriorOf(v.Conversions, v.Exposures)
	mc, mv, sc, sv := dc.mean(), dv.mean(), dc.sd(), dv.sd()
	beat = 1 - normalSF((mv-mc)/math.Hypot(sc, sv))
	s := math.Hypot(sc/mc, sv/mv)
	z := normalQuantile(0.975)
	return beat, Interval{mv/mc*math.Exp(-z*s) - 1, mv/mc*math.Exp(z*s) - 1}
}

func TestExtremes(t *testing.T) {
	tests := []struct {
		name string
		arms []Arm
	}{
		{"no conversions anywhere", []Arm{arm("control", 0, 5000), arm("b", 0, 5000), arm("c", 0, 4000)}},
		{"everybody converted", []Arm{arm("control", 5000, 5000), arm("b", 4000, 4000)}},
		{"ten million, 5% vs 5.05%", []Arm{arm("control", 500000, 10000000), arm("b", 505000, 10000000)}},
		{"ten million, close", []Arm{arm("control", 500000, 10000000), arm("b", 500500, 10000000)}},
		{"ten million, none and all", []Arm{arm("control", 0, 10000000), arm("b", 10000000, 10000000)}},
		{"variant without traffic", []Arm{arm("control", 100, 1000), arm("b", 0, 0)}},
		{"control without traffic", []Arm{arm("control", 0, 0), arm("b", 100, 1000)}},
		{"nothing at all", []Arm{arm("control", 0, 0), arm("b", 0, 0)}},
		{"tiny against huge", []Arm{arm("control", 1, 3), arm("b", 500000, 10000000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, Options{})
			var sum float64
			for i, v := range an.Variants {
				sum += v.ProbBest
				check := func(what string, x float64, lo, hi float64) {
					t.Helper()
					if math.IsNaN(x) || x < lo || x > hi {
						t.Errorf("%s %s = %v, outside [%g, %g]", v.Key, what, x, lo, hi)
					}
				}
				check("rate", v.Rate, 0, 1)
				check("prob_best", v.ProbBest, 0, 1)
				check("rate interval low", v.RateInterval.Low, 0, v.RateInterval.High)
				check("rate interval high", v.RateInterval.High, v.RateInterval.Low, 1)
				if i == 0 {
					continue
				}
				check("prob_beat_control", *v.ProbBeatControl, 0, 1)
				if v.UpliftInterval != nil {
					check("uplift low", v.UpliftInterval.Low, -1, v.UpliftInterval.High)
					check("uplift high", v.UpliftInterval.High, v.UpliftInterval.Low, math.MaxFloat64)
				} else if v.Exposures > 0 && an.Variants[0].Exposures > 0 {
					t.Errorf("%s: no uplift interval", v.Key)
				}
				if v.PValue != nil {
					check("p_value", *v.PValue, 0, 1)
					check("p_value_adjusted", *v.PValueAdjusted, *v.PValue, 1)
				}
				if v.Uplift != nil {
					check("uplift", *v.Uplift, -1, math.MaxFloat64)
				}
			}
			near(t, "sum of prob_best", sum, 1, 1e-4)
			if an.Verdict.Status == "" || an.Verdict.Text == "" {
				t.Errorf("no verdict: %+v", an.Verdict)
			}
		})
	}

	t.Run("ten million against a normal approximation", func(t *testing.T) {
		for _, v := range []Arm{arm("b", 505000, 10000000), arm("b", 500500, 10000000), arm("b", 499000, 10000000)} {
			c := arm("control", 500000, 10000000)
			an := Analyze([]Arm{c, v}, Options{})
			beat, iv := normalApprox(c, v)
			r := an.Variants[1]
			near(t, "prob_beat_control", *r.ProbBeatControl, beat, 2e-4)
			near(t, "uplift low", r.UpliftInterval.Low, iv.Low, 1e-5)
			near(t, "uplift high", r.UpliftInterval.High, iv.High, 1e-5)
			// z-test at this size is the same normal approximation.
			near(t, "p_value vs prob_beat_control", *r.PValue/2, math.Min(beat, 1-beat), 2e-4)
		}
	})

	t.Run("degenerate cases", func(t *testing.T) {
		an := Analyze([]Arm{arm("control", 0, 5000), arm("b", 0, 5000)}, Options{})
		near(t, "prob_best with nothing converting", an.Variants[1].ProbBest, 0.5, 1e-9)
		near(t, "p_value with nothing converting", *an.Variants[1].PValue, 1, 0)
		if an.Variants[1].Uplift != nil {
			t.Errorf("uplift = %v with a control rate of 0", *an.Variants[1].Uplift)
		}

		an = Analyze([]Arm{arm("control", 100, 1000), arm("b", 0, 0)}, Options{})
		v := an.Variants[1]
		if v.PValue != nil || v.PValueAdjusted != nil || v.Uplift != nil {
			t.Errorf("variant without traffic has p-value or uplift: %+v", v)
		}
		near(t, "uniform rate interval low", v.RateInterval.Low, 0.025, 1e-15)
		near(t, "uniform rate interval high", v.RateInterval.High, 0.975, 1e-15)
		// 1000 visitors against none on a planned 50/50 split is a broken
		// split, and the verdict says so before asking for more data.
		if an.Verdict.Status != StatusSRM {
			t.Errorf("verdict %q", an.Verdict.Status)
		}

		an = Analyze([]Arm{arm("control", 0, 10000000), arm("b", 10000000, 10000000)}, Options{})
		near(t, "none against all", an.Variants[1].ProbBest, 1, 1e-12)
	})

	t.Run("bad input", func(t *testing.T) {
		an := Analyze([]Arm{{Key: "control", Exposures: -5, Conversions: 3}, {Key: "b", Exposures: 10, Conversions: 50}}, Options{})
		if an.Variants[0].Exposures != 0 || an.Variants[0].Conversions != 0 || an.Variants[1].Conversions != 10 {
			t.Errorf("counts not clamped: %+v", an.Variants)
		}
		if an := Analyze(nil, Options{}); len(an.Variants) != 0 || an.Verdict.Status != StatusNotEnoughData {
			t.Errorf("no arms: %+v", an)
		}
	})
}

func TestPValue(t *testing.T) {
	tests := []struct {
		name string
		c, v Arm
		want float64
	}{
		// z = (p_v − p_c)/√(p̂(1−p̂)(1/n_c + 1/n_v)), p = 2(1 − Φ(|z|)).
		// 100/1000 vs 120/1000: p̂ = 0.11, z = 0.02/√(0.11·0.89·0.002).
		{"spec example", arm("c", 100, 1000), arm("b", 120, 1000), math.Erfc(0.02 / math.Sqrt(0.11*0.89*0.002) / math.Sqrt2)},
		// 50/400 vs 20/300: p̂ = 0.1, z = −0.0583333/√(0.09·(1/400+1/300)).
		{"worse", arm("c", 50, 400), arm("b", 20, 300), math.Erfc((0.125 - 20.0/300) / math.Sqrt(0.09*(1.0/400+1.0/300)) / math.Sqrt2)},
		{"equal", arm("c", 10, 100), arm("b", 20, 200), 1},
		{"nothing converts", arm("c", 0, 100), arm("b", 0, 200), 1},
		{"huge", arm("c", 500000, 10000000), arm("b", 505000, 10000000), math.Erfc(0.0005 / math.Sqrt(0.05025*0.94975*2e-7) / math.Sqrt2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := twoProportionP(tt.c, tt.v)
			if !ok {
				t.Fatal("no p-value")
			}
			near(t, "p", got, tt.want, 1e-12*math.Max(1, tt.want))
			if tt.want < 1e-3 {
				near(t, "p (relative)", got/tt.want, 1, 1e-9)
			}
		})
	}
	if _, ok := twoProportionP(arm("c", 0, 0), arm("b", 1, 10)); ok {
		t.Error("p-value without control traffic")
	}
}

func TestHolm(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		// Sorted: 0.01, 0.03, 0.04, 0.2 → ×4, ×3, ×2, ×1 = 0.04, 0.09,
		// 0.08, 0.2; the running maximum lifts 0.08 to 0.09.
		{"hand example", []float64{0.01, 0.04, 0.03, 0.2}, []float64{0.04, 0.09, 0.09, 0.2}},
		// 0.3·3 = 0.9, 0.5·2 = 1.0, 0.6·1 = 0.6 → running max 1.0.
		{"capped at 1", []float64{0.5, 0.3, 0.6}, []float64{1, 0.9, 1}},
		{"ties", []float64{0.02, 0.02}, []float64{0.04, 0.04}},
		{"single", []float64{0.03}, []float64{0.03}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := make([]VariantResult, len(tt.p))
			for i := range tt.p {
				vs[i].PValue = &tt.p[i]
			}
			holmAdjust(vs)
			for i := range vs {
				near(t, fmt.Sprint("adjusted ", i), *vs[i].PValueAdjusted, tt.want[i], 1e-15)
			}
		})
	}
	// Variants without a p-value are left out of the family.
	p := []float64{0.01, 0.04}
	vs := []VariantResult{{PValue: &p[0]}, {}, {PValue: &p[1]}}
	holmAdjust(vs)
	if vs[1].PValueAdjusted != nil {
		t.Error("adjusted p-value without a p-value")
	}
	near(t, "first", *vs[0].PValueAdjusted, 0.02, 1e-15)
	near(t, "last", *vs[2].PValueAdjusted, 0.04, 1e-15)
}

func TestSRM(t *testing.T) {
	tests := []struct {
		name    string
		arms    []Arm
		want    float64
		flagged bool
	}{
		// χ² = 2·200²/5200 = 15.38 on 1 df: p = erfc(√(χ²/2)) ≈ 8.8e-5.
		{"5000 vs 5400", []Arm{{Exposures: 5000, WeightBP: 5000}, {Exposures: 5400, WeightBP: 5000}},
			math.Erfc(math.Sqrt(2 * 200 * 200 / 5200.0 / 2)), true},
		// χ² = 2·50²/5050 = 0.99: fine.
		{"5000 vs 5100", []Arm{{Exposures: 5000, WeightBP: 5000}, {Exposures: 5100, WeightBP: 5000}},
			math.Erfc(math.Sqrt(2 * 50 * 50 / 5050.0 / 2)), false},
		// 80/20 planned, 8000/2000 seen: perfect.
		{"uneven weights met", []Arm{{Exposures: 8000, WeightBP: 8000}, {Exposures: 2000, WeightBP: 2000}}, 1, false},
		// Three arms, 2 df: p = exp(−χ²/2). Expected 3000 each; χ² =
		// (100² + 0 + 100²)/3000.
		{"three arms", []Arm{{Exposures: 3100, WeightBP: 3334}, {Exposures: 3000, WeightBP: 3333}, {Exposures: 2900, WeightBP: 3333}},
			chiSquareSF(sq(3100-9000*0.3334)/(9000*0.3334)+sq(3000-9000*0.3333)/(9000*0.3333)+sq(2900-9000*0.3333)/(9000*0.3333), 2), false},
		{"three arms broken", []Arm{{Exposures: 3300, WeightBP: 3334}, {Exposures: 3000, WeightBP: 3333}, {Exposures: 2700, WeightBP: 3333}},
			math.Exp(-(sq(3300-9000*0.3334)/(9000*0.3334) + sq(3000-9000*0.3333)/(9000*0.3333) + sq(2700-9000*0.3333)/(9000*0.3333)) / 2), true},
		{"no weights means equal", []Arm{{Exposures: 5000}, {Exposures: 5400}}, math.Erfc(math.Sqrt(2 * 200 * 200 / 5200.0 / 2)), true},
		{"zero weight with traffic", []Arm{{Exposures: 5000, WeightBP: 10000}, {Exposures: 3, WeightBP: 0}}, 0, true},
		// Nothing to test: no p-value (nil), rather than a 1 that reads
		// as a split checked and found perfect.
		{"zero weight without traffic", []Arm{{Exposures: 5000, WeightBP: 10000}, {Exposures: 0, WeightBP: 0}}, -1, false},
		{"no traffic", []Arm{{WeightBP: 5000}, {WeightBP: 5000}}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := srmTest(tt.arms)
			switch {
			case tt.want < 0 && got.PValue != nil:
				t.Errorf("p = %g, want none: nothing to test", *got.PValue)
			case tt.want >= 0 && got.PValue == nil:
				t.Errorf("no p-value, want %g", tt.want)
			case tt.want >= 0:
				near(t, "p", *got.PValue, tt.want, 1e-12)
			}
			if got.Flagged != tt.flagged {
				t.Errorf("flagged = %v, want %v (p = %s)", got.Flagged, tt.flagged, fmtP(got.PValue))
			}
		})
	}
}

func sq(x float64) float64 { return x * x }

func TestCumulative(t *testing.T) {
	got := Cumulative([]DayCounts{{100, 10}, {0, 0}, {150, 20}})
	want := []struct{ n, c int64 }{{100, 10}, {100, 10}, {250, 30}}
	for i, w := range want {
		if got[i].Exposures != w.n || got[i].Conversions != w.c {
			t.Errorf("day %d: %d/%d, want %d/%d", i, got[i].Conversions, got[i].Exposures, w.c, w.n)
		}
		near(t, "rate", got[i].Rate, float64(w.c)/float64(w.n), 1e-15)
		if iv := RateInterval(w.c, w.n); got[i].RateInterval != iv {
			t.Errorf("day %d: interval %v, want %v", i, got[i].RateInterval, iv)
		}
	}
}
