package stats

import "math"

// posterior is one arm's Beta posterior with everything the integrals need:
// the range holding all but 2·tailMass of its mass, the panel width that
// resolves it, and its tabulated CDF.
type posterior struct {
	dist   betaDist
	lo, hi float64
	table  *cdfTable
}

func newPosterior(conversions, exposures int64) *posterior {
	d := posteriorOf(conversions, exposures)
	lo, hi := d.quantile(tailMass), d.quantileUpper(tailMass)
	if !(hi > lo) {
		// Only possible when a posterior is narrower than float64 can
		// resolve; widen by an ulp so the panels are well defined.
		lo, hi = math.Nextafter(lo, 0), math.Nextafter(hi, 1)
	}
	return &posterior{dist: d, lo: lo, hi: hi, table: newCDFTable(d, lo, hi, armPanels)}
}

func (p *posterior) span() span { return span{p.lo, p.hi, (p.hi - p.lo) / armPanels} }

// pdf is the density, skipping the work where it is negligible.
func (p *posterior) pdf(x float64) float64 {
	if x < p.lo || x > p.hi {
		return 0
	}
	return p.dist.pdf(x)
}

func (p *posterior) cdf(x float64) float64 { return p.table.at(x) }

// probBest returns, for each posterior, the probability that its rate is the
// highest of all: ∫ f_i(x) Π_{j≠i} F_j(x) dx, integrated over panels that
// resolve every posterior. The products of the other CDFs come from prefix
// and suffix products, so the cost per node is linear in the number of arms.
//
// The raw results should sum to 1 (the integrand sums to the derivative of
// Π F_j). They are rescaled to sum exactly to 1 only when the discrepancy is
// below 1e-9, so that a real loss of accuracy is never hidden.
func probBest(ps []*posterior) []float64 {
	out := probBestRaw(ps)
	var sum float64
	for _, v := range out {
		sum += v
	}
	if math.Abs(sum-1) < 1e-9 {
		for i := range out {
			out[i] /= sum
		}
	}
	for i := range out {
		out[i] = min(max(out[i], 0), 1)
	}
	return out
}

// probBestRaw is probBest before any rescaling.
func probBestRaw(ps []*posterior) []float64 {
	k := len(ps)
	out := make([]float64, k)
	if k == 0 {
		return out
	}
	if k == 1 {
		out[0] = 1
		return out
	}
	spans := make([]span, k)
	from, to := 1.0, 0.0
	for i, p := range ps {
		spans[i] = p.span()
		from, to = min(from, p.lo), max(to, p.hi)
	}
	f := make([]float64, k)
	F := make([]float64, k)
	suffix := make([]float64, k+1)
	rule.each(panelEdges(spans, from, to), func(x, w float64) {
		for j, p := range ps {
			f[j] = p.pdf(x)
			F[j] = p.cdf(x)
		}
		suffix[k] = 1
		for j := k - 1; j >= 0; j-- {
			suffix[j] = suffix[j+1] * F[j]
		}
		prefix := 1.0
		for i := range k {
			if f[i] != 0 {
				out[i] += w * f[i] * prefix * suffix[i+1]
			}
			prefix *= F[i]
		}
	})
	return out
}

// ratioCDF returns G(r) = P(X_v / X_c ≤ r) = ∫ f_c(x) F_v(r·x) dx and its
// derivative G'(r) = ∫ f_c(x) · x · f_v(r·x) dx, integrating over the
// control's range with panels that resolve both the control's density and
// the variant's CDF seen through the scaling x ↦ r·x.
func ratioCDF(c, v *posterior, r float64) (g, dg float64) {
	vs := v.span()
	spans := []span{c.span(), {vs.lo / r, vs.hi / r, vs.h / r}}
	rule.each(panelEdges(spans, c.lo, c.hi), func(x, w float64) {
		fc := c.pdf(x)
		if fc == 0 {
			return
		}
		y := r * x
		g += w * fc * v.cdf(y)
		dg += w * fc * x * v.pdf(y)
	})
	return min(max(g, 0), 1), dg
}

// ratioQuantile returns r with P(X_v / X_c ≤ r) = p.
//
// It starts from the delta-method normal approximation of log(X_v/X_c),
// which is already close for large counts, and refines with Newton steps on
// G(r) − p guarded by a bracket that only ever shrinks (bisecting when a
// step would leave it), so heavy-tailed ratios from tiny samples still
// converge.
func ratioQuantile(c, v *posterior, p float64) float64 {
	mc, mv := c.dist.mean(), v.dist.mean()
	sc, sv := c.dist.sd()/mc, v.dist.sd()/mv
	s := math.Sqrt(sc*sc + sv*sv)
	r := mv / mc * math.Exp(normalQuantile(p)*s)
	lo, hi := 0.0, math.Inf(1)
	for range 200 {
		g, dg := ratioCDF(c, v, r)
		if math.Abs(g-p) < 1e-14 {
			return r
		}
		if g < p {
			lo = r
		} else {
			hi = r
		}
		next := r - (g-p)/dg
		if math.Abs(next-r) <= 1e-10*r {
			return next
		}
		if !(next > lo && next < hi) {
			switch {
			case math.IsInf(hi, 1):
				next = r * math.Exp(max(s, 0.5))
			case lo == 0:
				next = r / math.Exp(max(s, 0.5))
			case hi/lo > 16:
				next = math.Sqrt(lo * hi)
			default:
				next = lo + (hi-lo)/2
			}
		}
		if lo > 0 && hi-lo <= 1e-12*lo {
			return next
		}
		r = next
	}
	return r
}
