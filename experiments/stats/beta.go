package stats

import "math"

// betaDist is a Beta(a, b) distribution, here always a conversion-rate
// posterior, so a, b ≥ 1 and its density is bounded and smooth on [0, 1].
type betaDist struct {
	a, b float64
	lnB  float64 // log B(a, b), cached: every density evaluation needs it
}

// posteriorOf returns the posterior of a conversion rate after conversions
// out of exposures under a uniform prior: Beta(1 + c, 1 + n − c).
func posteriorOf(conversions, exposures int64) betaDist {
	a := 1 + float64(conversions)
	b := 1 + float64(exposures-conversions)
	return betaDist{a: a, b: b, lnB: lnBeta(a, b)}
}

func (d betaDist) mean() float64 { return d.a / (d.a + d.b) }

func (d betaDist) sd() float64 {
	s := d.a + d.b
	return math.Sqrt(d.a * d.b / (s * s * (s + 1)))
}

// logPDF returns the log density at x in [0, 1]. Terms with a zero exponent
// are skipped so that x = 0 or x = 1 give the right limit instead of 0·∞.
func (d betaDist) logPDF(x float64) float64 {
	lp := -d.lnB
	if d.a != 1 {
		lp += (d.a - 1) * math.Log(x)
	}
	if d.b != 1 {
		lp += (d.b - 1) * math.Log1p(-x)
	}
	return lp
}

func (d betaDist) pdf(x float64) float64 {
	if x < 0 || x > 1 {
		return 0
	}
	return math.Exp(d.logPDF(x))
}

// cdf returns P(X ≤ x) from the incomplete Beta function. It is exact but
// can cost a thousand continued-fraction terms near the mean of a large
// posterior; hot loops use a cdfTable instead.
func (d betaDist) cdf(x float64) float64 {
	return incBeta(x, d.a, d.b)
}

// quantile returns x with P(X ≤ x) = p.
func (d betaDist) quantile(p float64) float64 { return d.invert(p, false) }

// quantileUpper returns x with P(X > x) = q. Asking for the upper tail by its
// own probability keeps q = 1e-12 meaningful, which 1 − 1e-12 would not be.
func (d betaDist) quantileUpper(q float64) float64 { return d.invert(q, true) }

// invert solves tail(x) = t for the lower or upper tail by Newton's method on
// the log of the tail probability, guarded by bisection.
//
// The log of a Beta tail is concave in x, so Newton steps on it never
// overshoot past the root more than once, and they converge from far out in
// the tails where Newton on the plain CDF would shoot outside [0, 1]. Every
// evaluation also narrows a bracket; a step that leaves the bracket is
// replaced by bisection (geometric when the bracket spans orders of
// magnitude), so the search always terminates.
func (d betaDist) invert(t float64, upper bool) float64 {
	switch {
	case t <= 0:
		if upper {
			return 1
		}
		return 0
	case t >= 1:
		if upper {
			return 0
		}
		return 1
	}
	lo, hi := 0.0, 1.0
	z := normalQuantile(t)
	if upper {
		z = -z
	}
	x := d.mean() + z*d.sd()
	if !(x > 0 && x < 1) {
		x = d.mean()
	}
	logt := math.Log(t)
	for range 400 {
		ll, lu := logIncBeta(x, d.a, d.b)
		var g, slope float64 // g = log tail − log t; slope = dg/dx
		logf := d.logPDF(x)
		if upper {
			g = lu - logt
			slope = -math.Exp(logf - lu)
			if g > 0 {
				lo = x
			} else {
				hi = x
			}
		} else {
			g = ll - logt
			slope = math.Exp(logf - ll)
			if g < 0 {
				lo = x
			} else {
				hi = x
			}
		}
		if g == 0 {
			return x
		}
		next := x - g/slope
		if !(next > lo && next < hi) {
			if lo > 0 && hi/lo > 16 {
				next = math.Sqrt(lo * hi)
			} else {
				next = lo + (hi-lo)/2
			}
			if next == lo || next == hi {
				// The bracket is down to adjacent floats.
				return next
			}
		}
		// Converged when the step is below 1e-15 of the distance to the
		// nearer end of [0, 1]: relative precision near 0 for lower
		// quantiles of rare conversions, and near 1 for upper ones of
		// near-certain conversions.
		if next == x || math.Abs(next-x) <= 1e-15*min(x, 1-x) {
			return next
		}
		x = next
	}
	return x
}
