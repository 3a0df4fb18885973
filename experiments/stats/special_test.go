package stats

import (
	"math"
	"testing"
)

// near fails the test when got is further than tol from want.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.15g, want %.15g (±%g, off by %.3g)", what, got, want, tol, got-want)
	}
}

// Reference values marked "mpmath" were computed with mpmath 1.3 at 30
// significant digits (log-gamma, and quadrature of the density for the
// CDFs), independently of this package.

func TestLnBeta(t *testing.T) {
	tests := []struct {
		name string
		a, b float64
		want float64
		tol  float64
	}{
		{"small", 5, 7, -7.745002803515839224580533, 1e-13},
		{"at the switch", 10, 10, -13.73622922703655481380922, 1e-12},
		{"non-integer", 9.5, 10.5, -13.70992554699846192049397, 1e-12},
		{"spec example", 101, 901, -328.8220422125797932590723, 1e-11},
		{"small and huge", 9, 1000000, -113.7350281188312171405521, 1e-10},
		{"one and huge", 1, 10000001, -16.11809575095831478812626, 1e-10},
		{"ten million visitors", 500001, 9500001, -1985161.097080734704256233, 1e-8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, "lnBeta", lnBeta(tt.a, tt.b), tt.want, tt.tol)
			near(t, "lnBeta swapped", lnBeta(tt.b, tt.a), tt.want, tt.tol)
		})
	}
	// The three formulas must join up where lnBeta switches between them.
	for _, a := range []float64{9.999999, 10, 10.000001} {
		for _, b := range []float64{9.999999, 10, 10.000001, 1e6} {
			la, _ := math.Lgamma(a)
			lb, _ := math.Lgamma(b)
			lab, _ := math.Lgamma(a + b)
			near(t, "lnBeta near 10", lnBeta(a, b), la+lb-lab, 1e-9)
		}
	}
}

// binomialTail returns I_x(a, b) for integer a, b as P(Binomial(a+b−1, x) ≥ a),
// a finite sum that shares no code with the continued fraction.
func binomialTail(x float64, a, b int) float64 {
	n := a + b - 1
	lgn, _ := math.Lgamma(float64(n + 1))
	var sum float64
	for j := a; j <= n; j++ {
		lj, _ := math.Lgamma(float64(j + 1))
		lnj, _ := math.Lgamma(float64(n - j + 1))
		sum += math.Exp(lgn - lj - lnj + float64(j)*math.Log(x) + float64(n-j)*math.Log1p(-x))
	}
	return sum
}

func TestIncBeta(t *testing.T) {
	for _, ab := range [][2]int{{1, 1}, {1, 30}, {30, 1}, {2, 5}, {11, 91}, {101, 901}, {40, 60}, {300, 700}} {
		a, b := ab[0], ab[1]
		for _, x := range []float64{1e-4, 0.01, 0.05, 0.1, 0.11, 0.3, 0.4, 0.5, 0.7, 0.9, 0.999} {
			want := binomialTail(x, a, b)
			lower, upper := logIncBeta(x, float64(a), float64(b))
			// Each tail is accurate relative to itself, however small.
			if want > 1e-300 {
				near(t, "lower tail (relative)", math.Exp(lower)/want, 1, 1e-11)
			}
			// I_x(a, b) = 1 − I_{1−x}(b, a) gives the upper tail
			// without cancellation.
			if wantUp := binomialTail(1-x, b, a); wantUp > 1e-300 {
				near(t, "upper tail (relative)", math.Exp(upper)/wantUp, 1, 1e-11)
			}
		}
	}
	// At 10^7 visitors, against mpmath's quadrature of the density.
	for _, tt := range []struct{ x, want float64 }{
		{0.0497, 6.4437524403216733192e-6},
		{0.0499, 0.073147838498976242169},
		{0.05, 0.49965269231179020872},
		{0.0501, 0.92635453539106006949},
	} {
		near(t, "I_x(500001, 9500001)", incBeta(tt.x, 500001, 9500001), tt.want, 1e-10)
	}
}

func TestBetaQuantile(t *testing.T) {
	tests := []struct {
		name string
		a, b float64
		p    float64
		want float64
		tol  float64
	}{
		// mpmath, by bisection on its incomplete Beta function.
		{"spec low", 101, 901, 0.025, 0.082936398495817855, 1e-13},
		{"spec high", 101, 901, 0.975, 0.12016912987586059, 1e-13},
		{"skewed low", 3, 50, 0.025, 0.012059318026738428, 1e-13},
		{"skewed high", 3, 50, 0.975, 0.13212840727680256, 1e-13},
		{"no conversions", 1, 1001, 0.975, 0.003678412265034924, 1e-14},
		{"median", 7, 3, 0.5, 0.71376333197721729, 1e-13},
		// Closed forms: Beta(1, 1) is uniform; Beta(1, b) has
		// F(x) = 1 − (1−x)^b; Beta(a, 1) has F(x) = x^a.
		{"uniform", 1, 1, 0.025, 0.025, 1e-15},
		{"a=1 far tail", 1, 1e7 + 1, 1e-12, -math.Expm1(math.Log1p(-1e-12) / (1e7 + 1)), 1e-25},
		{"a=1 upper", 1, 1e7 + 1, 0.975, -math.Expm1(math.Log(0.025) / (1e7 + 1)), 1e-15},
		{"b=1 low", 1e7 + 1, 1, 0.025, math.Exp(math.Log(0.025) / (1e7 + 1)), 1e-15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := posteriorOf(int64(tt.a-1), int64(tt.a+tt.b-2))
			near(t, "quantile", d.quantile(tt.p), tt.want, tt.tol)
			near(t, "quantileUpper", d.quantileUpper(1-tt.p), tt.want, math.Max(tt.tol, 1e-15))
		})
	}

	// Large counts and far tails: the quantile must give back its
	// probability through the (independently tested) incomplete Beta.
	for _, c := range [][2]int64{{500000, 10000000}, {0, 10000000}, {10000000, 10000000}, {3, 7}, {0, 0}} {
		d := posteriorOf(c[0], c[1])
		for _, p := range []float64{1e-12, 1e-6, 0.025, 0.5, 0.975} {
			// The answer can only be as exact as x can be represented:
			// allow for a few ulps of x, through the density.
			resolution := func(x, tail float64) float64 {
				return 1e-9 + 4*d.pdf(x)*(math.Nextafter(x, 2)-x)/tail
			}
			x := d.quantile(p)
			lower, _ := logIncBeta(x, d.a, d.b)
			near(t, "F(quantile(p))/p", math.Exp(lower)/p, 1, resolution(x, p))
			x = d.quantileUpper(p)
			_, upper := logIncBeta(x, d.a, d.b)
			if x < 1 { // the upper 1e-12 point of Beta(10^7+1, 1) rounds to 1
				near(t, "Q(quantileUpper(q))/q", math.Exp(upper)/p, 1, resolution(x, p))
			}
		}
	}
}

func TestUpperGamma(t *testing.T) {
	for _, x := range []float64{0, 0.01, 0.5, 1, 3.84, 10, 15.38, 50, 200} {
		// Closed forms of the chi-square survival function for 1 to 4
		// degrees of freedom.
		near(t, "df=1", chiSquareSF(x, 1), math.Erfc(math.Sqrt(x/2)), 1e-14)
		near(t, "df=2", chiSquareSF(x, 2), math.Exp(-x/2), 1e-14)
		df3 := math.Erfc(math.Sqrt(x/2)) + math.Sqrt(2*x/math.Pi)*math.Exp(-x/2)
		near(t, "df=3", chiSquareSF(x, 3), df3, 1e-14)
		near(t, "df=4", chiSquareSF(x, 4), math.Exp(-x/2)*(1+x/2), 1e-14)
		if w := math.Exp(-x / 2); w > 1e-300 {
			near(t, "df=2 relative", chiSquareSF(x, 2)/w, 1, 1e-12)
		}
	}
}

func TestGaussRule(t *testing.T) {
	g := newGaussRule(ruleNodes)
	// Exact for every polynomial of degree < 2m.
	for deg := range 2 * ruleNodes {
		var got float64
		for k, x := range g.t {
			got += g.w[k] * math.Pow(x, float64(deg))
		}
		want := 0.0
		if deg%2 == 0 {
			want = 2 / float64(deg+1)
		}
		near(t, "∫x^deg", got, want, 1e-14)
	}
	// The running integral of x^5 from −1 to each node.
	for k, x := range g.t {
		var got float64
		for l, tl := range g.t {
			got += g.cum[k][l] * math.Pow(tl, 5)
		}
		near(t, "∫_{-1}^{t} x^5", got, (math.Pow(x, 6)-1)/6, 1e-14)
	}
	// Interpolation through −1, the nodes and +1 reproduces a polynomial
	// of degree m+1.
	v := make([]float64, len(g.pts))
	poly := func(s float64) float64 { return math.Pow(s, ruleNodes+1) - 3*s + 0.5 }
	for j, s := range g.pts {
		v[j] = poly(s)
	}
	for _, s := range []float64{-1, -0.77, 0, 0.123, 0.99, 1} {
		near(t, "interpolate", g.interpolate(v, s), poly(s), 1e-13)
	}
}

func TestCDFTable(t *testing.T) {
	for _, c := range [][2]int64{{0, 0}, {0, 100}, {100, 100}, {3, 7}, {100, 1000}, {500000, 10000000}, {0, 10000000}, {10000000, 10000000}} {
		p := newPosterior(c[0], c[1])
		near(t, "F at the top of the range", p.table.end(), 1-tailMass, 1e-9)
		var worst float64
		for i := 0; i <= 997; i++ {
			x := p.lo + (p.hi-p.lo)*float64(i)/997
			worst = math.Max(worst, math.Abs(p.cdf(x)-p.dist.cdf(x)))
		}
		if worst > 1e-9 {
			t.Errorf("%d/%d: table differs from the incomplete Beta by %.3g", c[0], c[1], worst)
		}
	}
}

func TestPanelEdges(t *testing.T) {
	// A wide span with a narrow one inside it and a gap after both.
	spans := []span{{0, 1, 0.25}, {0.4, 0.45, 0.01}, {2, 3, 0.5}}
	got := panelEdges(spans, 0, 3)
	for i := 1; i < len(got); i++ {
		if !(got[i] > got[i-1]) {
			t.Fatalf("edges not increasing: %v", got)
		}
		w := got[i] - got[i-1]
		if got[i-1] >= 0.4 && got[i] <= 0.45 && w > 0.01+1e-12 {
			t.Errorf("panel [%g, %g] too wide inside the narrow span", got[i-1], got[i])
		}
	}
	has := func(x float64) bool {
		for _, e := range got {
			if math.Abs(e-x) < 1e-12 {
				return true
			}
		}
		return false
	}
	for _, x := range []float64{0, 0.4, 2, 3} {
		if !has(x) {
			t.Errorf("no edge at %g: %v", x, got)
		}
	}
	// Ten identical arms cost no more panels than one.
	one := panelEdges([]span{{0.1, 0.2, 0.01}}, 0.1, 0.2)
	ten := panelEdges([]span{{0.1, 0.2, 0.01}, {0.1, 0.2, 0.01}, {0.1, 0.2, 0.01}, {0.1, 0.2, 0.01}, {0.1, 0.2, 0.01}}, 0.1, 0.2)
	if len(one) != len(ten) {
		t.Errorf("identical spans: %d edges, one span: %d", len(ten), len(one))
	}
}
