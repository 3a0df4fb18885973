package stats

import "math"

// Every probability on the results page is an integral over conversion rates
// of products of Beta densities and Beta CDFs. We evaluate them with
// composite Gauss–Legendre quadrature on panels laid over where the
// posteriors have their mass. Gauss–Legendre with m nodes is exact for
// polynomials of degree 2m − 1; a Beta density restricted to a panel about
// one standard deviation wide is so close to a polynomial that the error is
// far below what the page shows. Nothing is random, so a reload never
// changes a number.

const (
	// ruleNodes is the number of Gauss–Legendre nodes per panel.
	ruleNodes = 12
	// armPanels is the number of panels laid across one posterior's range
	// (its 1e-12 to 1 − 1e-12 quantiles, about 14 standard deviations for
	// large counts), so each panel spans about one standard deviation.
	armPanels = 12
	// tailMass is the posterior mass left outside each arm's range, on
	// each side. It bounds the truncation error of every integral.
	tailMass = 1e-12
	// maxPanels caps a merged grid, as a guard against pathological input.
	maxPanels = 20000
)

// gaussRule is an m-point Gauss–Legendre rule on [−1, 1] with what is needed
// to integrate a function from −1 up to each node and to interpolate the
// running integral anywhere in the panel.
type gaussRule struct {
	t, w []float64 // nodes and weights
	// cum[k][l] = ∫_{−1}^{t_k} ℓ_l(s) ds, where ℓ_l is the Lagrange basis
	// polynomial through the nodes that is 1 at t_l. Given a function's
	// values at the nodes, cum turns them into its integral from the panel
	// start up to each node (spectral integration).
	cum [][]float64
	// pts are −1, the nodes and +1; bary are their barycentric weights, for
	// interpolating a running integral known at those points.
	pts, bary []float64
}

// rule is the quadrature rule used throughout. It is computed once and never
// changed, like a table of constants.
var rule = newGaussRule(ruleNodes)

// newGaussRule computes the m-point Gauss–Legendre rule by Newton's method on
// the Legendre polynomial P_m, starting from the classical cosine estimates
// of its roots, and derives the integration and interpolation tables.
func newGaussRule(m int) *gaussRule {
	g := &gaussRule{t: make([]float64, m), w: make([]float64, m)}
	for i := range m {
		x := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(m) + 0.5))
		for range 100 {
			p, dp := legendre(m, x)
			dx := p / dp
			x -= dx
			if math.Abs(dx) < 1e-16 {
				break
			}
		}
		_, dp := legendre(m, x)
		// Store in increasing order.
		g.t[m-1-i] = x
		g.w[m-1-i] = 2 / ((1 - x*x) * dp * dp)
	}

	// Integrate each Lagrange basis polynomial (degree m − 1) from −1 to
	// t_k with the same rule mapped onto [−1, t_k]; it is exact there.
	g.cum = make([][]float64, m)
	for k := range m {
		g.cum[k] = make([]float64, m)
		half := (g.t[k] + 1) / 2
		for q := range m {
			s := -1 + half*(g.t[q]+1)
			for l := range m {
				g.cum[k][l] += half * g.w[q] * lagrange(g.t, l, s)
			}
		}
	}

	g.pts = make([]float64, 0, m+2)
	g.pts = append(g.pts, -1)
	g.pts = append(g.pts, g.t...)
	g.pts = append(g.pts, 1)
	g.bary = make([]float64, len(g.pts))
	for j, sj := range g.pts {
		prod := 1.0
		for k, sk := range g.pts {
			if k != j {
				prod *= sj - sk
			}
		}
		g.bary[j] = 1 / prod
	}
	return g
}

// legendre returns P_m(x) and P_m'(x) by the three-term recurrence.
func legendre(m int, x float64) (p, dp float64) {
	p0, p1 := 1.0, x
	for n := 2; n <= m; n++ {
		p0, p1 = p1, ((2*float64(n)-1)*x*p1-(float64(n)-1)*p0)/float64(n)
	}
	return p1, float64(m) * (x*p1 - p0) / (x*x - 1)
}

// lagrange returns ℓ_l(s) for the nodes t.
func lagrange(t []float64, l int, s float64) float64 {
	v := 1.0
	for k, tk := range t {
		if k != l {
			v *= (s - tk) / (t[l] - tk)
		}
	}
	return v
}

// interpolate evaluates at s in [−1, 1] the polynomial through (pts[j], v[j])
// with the second barycentric formula, which is stable for these points.
func (g *gaussRule) interpolate(v []float64, s float64) float64 {
	var num, den float64
	for j, sj := range g.pts {
		diff := s - sj
		if diff == 0 {
			return v[j]
		}
		c := g.bary[j] / diff
		num += c * v[j]
		den += c
	}
	return num / den
}

// each calls fn for every quadrature node of the panels between consecutive
// edges, with the node's weight.
func (g *gaussRule) each(edges []float64, fn func(x, w float64)) {
	for p := 1; p < len(edges); p++ {
		mid := (edges[p] + edges[p-1]) / 2
		half := (edges[p] - edges[p-1]) / 2
		for k, t := range g.t {
			fn(mid+half*t, half*g.w[k])
		}
	}
}

// span is a stretch of rates where some integrand has mass, to be covered by
// panels no wider than h, with edges on both of its ends.
type span struct{ lo, hi, h float64 }

// panelEdges lays panels over [from, to] so that inside every span the
// panels are no wider than that span's h, and panel edges fall on every span
// start and end. Where spans overlap the finest one wins; gaps no span covers (where
// no posterior has mass) become single panels.
//
// Merging this way, rather than taking the union of every span's own edges,
// keeps ten similar arms from costing ten times the panels of one.
func panelEdges(spans []span, from, to float64) []float64 {
	edges := []float64{from}
	x := from
	for x < to && len(edges) < maxPanels {
		step, nextStart := math.Inf(1), math.Inf(1)
		for _, s := range spans {
			if !(s.h > 0) {
				continue
			}
			if s.lo <= x && x < s.hi {
				step = min(step, s.h)
				// Edges fall on span ends too: a CDF can have a
				// kink there (a posterior whose density does not
				// vanish at 0 or 1, seen through x ↦ r·x).
				nextStart = min(nextStart, s.hi)
			} else if s.lo > x {
				nextStart = min(nextStart, s.lo)
			}
		}
		next := min(x+step, nextStart, to)
		// Do not leave a sliver panel before the end.
		if next == x+step && nextStart >= to && to-next < step/4 {
			next = to
		}
		if !(next > x) {
			break
		}
		edges = append(edges, next)
		x = next
	}
	if edges[len(edges)-1] < to {
		edges = append(edges, to)
	}
	return edges
}

// cdfTable holds a Beta CDF tabulated on uniform panels over the
// distribution's range, so that it can be evaluated anywhere in O(m) time.
//
// Computing the incomplete Beta function near the mean of a posterior with
// millions of visitors takes about a thousand continued-fraction terms,
// and the integrals below need the CDF at thousands of points. Instead we
// integrate the density panel by panel: the CDF at the range's start comes
// from the incomplete Beta function once, and the spectral integration
// matrix of the rule gives it at every node; between points it is
// interpolated. The density is smooth and well resolved on each panel, so
// the table agrees with the incomplete Beta function to about 1e-12 for
// small counts and 1e-9 at 10^7 visitors, where the spacing of float64
// rates near the posterior is itself the limit.
type cdfTable struct {
	lo, hi, h float64
	vals      [][]float64 // per panel: F at −1, at the nodes and at +1
}

func newCDFTable(d betaDist, lo, hi float64, panels int) *cdfTable {
	tb := &cdfTable{lo: lo, hi: hi, h: (hi - lo) / float64(panels)}
	m := len(rule.t)
	f := make([]float64, m)
	start := d.cdf(lo)
	tb.vals = make([][]float64, panels)
	for p := range panels {
		a := lo + float64(p)*tb.h
		half := tb.h / 2
		for k, t := range rule.t {
			f[k] = d.pdf(a + half + half*t)
		}
		v := make([]float64, m+2)
		v[0] = start
		var total float64
		for k := range m {
			var s float64
			for l := range m {
				s += rule.cum[k][l] * f[l]
			}
			v[k+1] = start + half*s
			total += rule.w[k] * f[k]
		}
		start += half * total
		v[m+1] = start
		tb.vals[p] = v
	}
	return tb
}

// at returns the tabulated CDF at x, clamped to [0, 1]. Outside the table's
// range the true value is within tailMass of 0 or 1.
func (tb *cdfTable) at(x float64) float64 {
	switch {
	case x <= tb.lo:
		return 0
	case x >= tb.hi:
		return 1
	}
	p := int((x - tb.lo) / tb.h)
	p = min(max(p, 0), len(tb.vals)-1)
	a := tb.lo + float64(p)*tb.h
	s := 2*(x-a)/tb.h - 1
	return min(max(rule.interpolate(tb.vals[p], s), 0), 1)
}

// end returns the tabulated CDF at the top of the range, which should be
// 1 − tailMass; tests use it to check the table's accuracy.
func (tb *cdfTable) end() float64 {
	v := tb.vals[len(tb.vals)-1]
	return v[len(v)-1]
}
