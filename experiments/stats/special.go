package stats

import "math"

// This file holds the special functions the results page rests on: the log
// Beta function, the regularised incomplete Beta function and its inverse,
// the regularised upper incomplete Gamma function (for the chi-square test)
// and the normal quantile. They are written for the counts copylab sees,
// from a handful of visitors up to tens of millions, where naive formulas
// either overflow or lose most of their digits to cancellation.

// lnSqrt2Pi is log(√(2π)).
const lnSqrt2Pi = 0.91893853320467274178

// stirlingTail returns log Γ(x) − [(x − ½)·log x − x + log √(2π)], the small
// remainder of Stirling's formula, for x ≥ 10. Five terms of the asymptotic
// series leave an error below 1e-14 there.
func stirlingTail(x float64) float64 {
	r := 1 / x
	r2 := r * r
	return r * (1.0/12 - r2*(1.0/360-r2*(1.0/1260-r2*(1.0/1680-r2*(1.0/1188)))))
}

// lnBeta returns log B(a, b) for a, b > 0.
//
// Writing it as lgamma(a) + lgamma(b) − lgamma(a+b) is fine for small
// arguments, but at 10^7 visitors the three terms are about 1.5e8 each while
// the answer is a few million, so the rounding error of the terms (3e-8)
// survives into every density. For large arguments we instead cancel the big
// parts analytically with Stirling's formula and add only the small
// remainders, which keeps the absolute error near 1e-10.
func lnBeta(a, b float64) float64 {
	if a > b {
		a, b = b, a
	}
	const big = 10
	switch {
	case b < big:
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	case a < big:
		// lgamma(b) − lgamma(a+b) by Stirling; lgamma(a) directly.
		la, _ := math.Lgamma(a)
		s := a + b
		return la - (b-0.5)*math.Log1p(a/b) - a*math.Log(s) + a +
			stirlingTail(b) - stirlingTail(s)
	default:
		s := a + b
		return lnSqrt2Pi - 0.5*math.Log(s) +
			(a-0.5)*math.Log(a/s) + (b-0.5)*math.Log1p(-a/s) +
			stirlingTail(a) + stirlingTail(b) - stirlingTail(s)
	}
}

// logIncBeta returns log I_x(a, b) and log(1 − I_x(a, b)), the logs of the
// lower and upper tails of the Beta(a, b) distribution at x.
//
// The tail on the near side of the mean is computed directly from the
// continued fraction (DLMF 8.17.22), which converges quickly there; the other
// one is its complement. Working in logs lets quantile inversion run Newton's
// method on log-tails, which stays well behaved out at 1e-12.
func logIncBeta(x, a, b float64) (lower, upper float64) {
	switch {
	case x <= 0:
		return math.Inf(-1), 0
	case x >= 1:
		return 0, math.Inf(-1)
	}
	if x > (a+1)/(a+b+2) {
		// I_x(a, b) = 1 − I_{1−x}(b, a).
		t := logIncBetaDirect(1-x, b, a)
		return log1mExp(t), t
	}
	t := logIncBetaDirect(x, a, b)
	return t, log1mExp(t)
}

// incBeta returns the regularised incomplete Beta function I_x(a, b).
func incBeta(x, a, b float64) float64 {
	l, _ := logIncBeta(x, a, b)
	return math.Exp(l)
}

// logIncBetaDirect returns log I_x(a, b) from the continued fraction. It is
// only called with x ≤ (a+1)/(a+b+2), where the fraction converges.
func logIncBetaDirect(x, a, b float64) float64 {
	front := a*math.Log(x) + b*math.Log1p(-x) - lnBeta(a, b) - math.Log(a)
	return front - math.Log(betaFraction(x, a, b))
}

// betaFraction evaluates K = 1 + d₁/(1 + d₂/(1 + …)) with
//
//	d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))
//	d_{2m}   =  m(b−m)x / ((a+2m−1)(a+2m))
//
// so that I_x(a, b) = x^a (1−x)^b / (a·B(a, b)·K), using the modified Lentz
// method: the fraction is accumulated as a product of ratios, with tiny
// values standing in for zeros so no step divides by zero. Near the mean of
// a Beta with millions of visitors this takes about a thousand terms; the
// quadrature code avoids calling it there.
func betaFraction(x, a, b float64) float64 {
	const (
		tiny    = 1e-300
		eps     = 1e-16
		maxTerm = 1 << 20
	)
	f, c, d := 1.0, 1.0, 0.0
	for j := 1; j <= maxTerm; j++ {
		m := float64(j / 2)
		var dj float64
		if j%2 == 1 {
			dj = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		} else {
			dj = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		}
		d = 1 + dj*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + dj/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := c * d
		f *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return f
}

// log1mExp returns log(1 − e^t) for t ≤ 0 without cancellation: for t near
// zero it uses log(−expm1(t)), otherwise log1p(−e^t) (Mächler 2012).
func log1mExp(t float64) float64 {
	if t > -math.Ln2 {
		return math.Log(-math.Expm1(t))
	}
	return math.Log1p(-math.Exp(t))
}

// upperGamma returns Q(s, x) = Γ(s, x)/Γ(s), the regularised upper incomplete
// Gamma function, for s > 0 and x ≥ 0. Below x = s+1 the power series for
// the lower function converges fast and Q is its complement; above it, the
// Legendre continued fraction for Q itself does, and computing Q directly
// keeps the tiny p-values of a badly broken split accurate.
func upperGamma(s, x float64) float64 {
	if x <= 0 {
		return 1
	}
	lgs, _ := math.Lgamma(s)
	front := s*math.Log(x) - x - lgs
	if x < s+1 {
		// P(s, x) = x^s e^{−x}/Γ(s+1) · Σ_n x^n / ((s+1)…(s+n)).
		term := 1 / s
		sum := term
		for n := 1; n < 100000; n++ {
			term *= x / (s + float64(n))
			sum += term
			if term < sum*1e-17 {
				break
			}
		}
		return 1 - math.Exp(front+math.Log(sum))
	}
	// Q(s, x) = x^s e^{−x}/Γ(s) · 1/(x+1−s − 1(1−s)/(x+3−s − 2(2−s)/(x+5−s − …))),
	// evaluated by the modified Lentz method.
	const tiny = 1e-300
	bj := x + 1 - s
	c := 1 / tiny
	d := 1 / bj
	f := d
	for j := 1; j < 100000; j++ {
		aj := -float64(j) * (float64(j) - s)
		bj += 2
		d = aj*d + bj
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = bj + aj/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := c * d
		f *= delta
		if math.Abs(delta-1) < 1e-16 {
			break
		}
	}
	return math.Exp(front) * f
}

// chiSquareSF returns P(X > x) for X ~ χ² with df degrees of freedom.
func chiSquareSF(x float64, df int) float64 {
	return upperGamma(float64(df)/2, x/2)
}

// normalQuantile returns z with Φ(z) = p.
//
// math.Erfcinv(x) is computed as Erfinv(1 − x), and 1 − x keeps only the
// leading digits of a small x: at p = 1e-12 the result is off by 4e-7
// relative. Two Newton steps on Φ(z) − p, with the tail of Φ through erfc
// (accurate however small), restore full precision; for central p they
// change nothing.
func normalQuantile(p float64) float64 {
	z := -math.Sqrt2 * math.Erfcinv(2*p)
	if !(p > 0 && p < 1) {
		return z
	}
	for range 2 {
		// Φ(z) − p, from the tail on z's side so that neither side cancels:
		// for z < 0, Φ(z) = erfc(−z/√2)/2; else Φ(z) − p = (1 − p) − Q(z),
		// where 1 − p is exact for p ≥ ½.
		var d float64
		if z < 0 {
			d = 0.5*math.Erfc(-z/math.Sqrt2) - p
		} else {
			d = (1 - p) - 0.5*math.Erfc(z/math.Sqrt2)
		}
		z -= d / math.Exp(-z*z/2-lnSqrt2Pi)
	}
	return z
}

// normalSF returns P(Z > z) for a standard normal Z, accurate far into the
// tail because it goes through erfc rather than 1 − Φ.
func normalSF(z float64) float64 {
	return 0.5 * math.Erfc(z/math.Sqrt2)
}
