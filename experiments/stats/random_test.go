package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomArm draws an arm whose size is log-uniform between 0 and maxN
// visitors, with up to maxC conversions, from a fixed seed so failures
// reproduce.
func randomArm(r *rand.Rand, maxN, maxC int64) Arm {
	n := int64(math.Exp(r.Float64()*math.Log(float64(maxN)+1))) - 1
	c := int64(0)
	if n > 0 {
		c = min(r.Int64N(n+1), maxC)
		if r.IntN(4) == 0 {
			c = min(r.Int64N(max(n/20, 1)+1), maxC) // rare conversions
		}
	}
	return Arm{Exposures: n, Conversions: c}
}

func TestRandomPairsAgainstEvanMiller(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for range 300 {
		a, b := randomArm(r, 10000000, 3000), randomArm(r, 10000000, 3000)
		want := evanMiller(float64(1+a.Conversions), float64(1+a.Exposures-a.Conversions),
			float64(1+b.Conversions), float64(1+b.Exposures-b.Conversions))
		an := Analyze([]Arm{a, b}, Options{})
		got := *an.Variants[1].ProbBeatControl
		worst = math.Max(worst, math.Abs(got-want))
		if math.Abs(got-want) > 1e-7 {
			t.Errorf("%d/%d vs %d/%d: P(B > A) = %.12f, closed form %.12f",
				a.Conversions, a.Exposures, b.Conversions, b.Exposures, got, want)
		}
	}
	t.Logf("largest difference from the closed form: %.3g", worst)
}

func TestRandomArmsAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("slow reference")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 12 {
		arms := make([]Arm, 3+r.IntN(4))
		for i := range arms {
			arms[i] = randomArm(r, 10000000, 10000000)
		}
		want := referenceProbBest(arms)
		an := Analyze(arms, Options{})
		for i, v := range an.Variants {
			if math.Abs(v.ProbBest-want[i]) > 1e-8 {
				t.Errorf("%v: prob_best[%d] = %.12f, reference %.12f", arms, i, v.ProbBest, want[i])
			}
		}
	}
}

// referenceRatioQuantile finds r with P(X_v/X_c ≤ r) = p another way: it
// integrates over the narrower posterior, with the other's CDF from the
// incomplete Beta function, on the union of 300 uniform panels over the
// narrow posterior's range and 300 over where the other's CDF changes, and
// bisects.
func referenceRatioQuantile(c, v Arm, p float64) float64 {
	dc, dv := posteriorOf(c.Conversions, c.Exposures), posteriorOf(v.Conversions, v.Exposures)
	overV := dv.sd() < dc.sd()
	narrow, other := dc, dv
	if overV {
		narrow, other = dv, dc
	}
	lo, hi := narrow.quantile(1e-13), narrow.quantileUpper(1e-13)
	olo, ohi := other.quantile(1e-13), other.quantileUpper(1e-13)
	G := func(r float64) float64 {
		// Where the other CDF changes, in the integration variable: for
		// X_c, F_v(r·x) changes for x in [olo, ohi]/r; for X_v,
		// Q_c(y/r) changes for y in r·[olo, ohi].
		a, b := olo/r, ohi/r
		if overV {
			a, b = olo*r, ohi*r
		}
		var edges []float64
		for i := range 301 {
			edges = append(edges, lo+(hi-lo)*float64(i)/300)
			if e := a + (b-a)*float64(i)/300; e > lo && e < hi {
				edges = append(edges, e)
			}
		}
		slices.Sort(edges)
		var g float64
		rule.each(edges, func(x, w float64) {
			if overV {
				// P(X_v ≤ r·X_c) = ∫ f_v(y) P(X_c ≥ y/r) dy.
				_, up := logIncBeta(x/r, dc.a, dc.b)
				g += w * dv.pdf(x) * math.Exp(up)
			} else {
				g += w * dc.pdf(x) * dv.cdf(math.Min(r*x, 1))
			}
		})
		return g
	}
	a, b := 1e-9, 1e9
	for range 200 {
		m := math.Sqrt(a * b)
		if G(m) < p {
			a = m
		} else {
			b = m
		}
		if b/a-1 < 1e-12 {
			break
		}
	}
	return math.Sqrt(a * b)
}

func TestRandomUpliftIntervals(t *testing.T) {
	if testing.Short() {
		t.Skip("slow reference")
	}
	r := rand.New(rand.NewPCG(3, 4))
	cases := [][2]Arm{
		// Very different sizes, both ways round.
		{{Exposures: 3, Conversions: 1}, {Exposures: 10000000, Conversions: 500000}},
		{{Exposures: 10000000, Conversions: 500000}, {Exposures: 40, Conversions: 3}},
		{{Exposures: 10000000, Conversions: 2}, {Exposures: 10000000, Conversions: 9}},
	}
	for range 9 {
		cases = append(cases, [2]Arm{randomArm(r, 10000000, 10000000), randomArm(r, 10000000, 10000000)})
	}
	for _, cs := range cases {
		c, v := cs[0], cs[1]
		iv := UpliftInterval(c, v, 0.95)
		for _, q := range []struct {
			p   float64
			got float64
		}{{0.025, iv.Low}, {0.975, iv.High}} {
			want := referenceRatioQuantile(c, v, q.p) - 1
			// The spec asks for 1e-3; hold the code to far less.
			if tol := 1e-7 * math.Max(1, math.Abs(want)); math.Abs(q.got-want) > tol {
				t.Errorf("%d/%d vs %d/%d: %g quantile of the uplift = %.10g, reference %.10g",
					c.Conversions, c.Exposures, v.Conversions, v.Exposures, q.p, q.got, want)
			}
		}
	}
}
