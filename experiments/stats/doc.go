// Package stats computes every number on copylab's results page from the
// visitor and conversion counts of an experiment's variants, as defined in
// ../shared/spec/statistics.md. It is pure: no storage, no clock, no
// randomness, only the standard library.
//
// # Model
//
// Each variant's conversion rate gets a uniform prior, so after c
// conversions among n visitors its posterior is Beta(1 + c, 1 + n − c).
// Variants are independent. Rate intervals are the posterior's 2.5% and
// 97.5% quantiles; "probability to be best" and "probability to beat the
// control" are posterior probabilities; the uplift interval holds the
// quantiles of rate_v / rate_c − 1. Alongside these, each variant gets the
// classical pooled two-proportion z-test against the control, corrected for
// several variants with Holm's method, and the experiment gets a chi-square
// test of its traffic split (the sample ratio mismatch check).
//
// # Why numerical integration
//
// Monte Carlo sampling is the usual shortcut for the probabilities, but it
// changes the page on every reload and needs millions of draws for four
// correct digits. Here they are integrals evaluated deterministically:
//
//	P(i is best)    = ∫ f_i(x) Π_{j≠i} F_j(x) dx
//	P(X_v/X_c ≤ r)  = ∫ f_c(x) F_v(r·x) dx
//
// with f and F the posterior densities and CDFs, by composite
// Gauss–Legendre quadrature. Each posterior's mass lies in its [1e-12,
// 1 − 1e-12] quantile range; that range is cut into panels about one
// standard deviation wide, and the panels of all arms are merged so that
// every density and every CDF step is resolved, however different the
// arms' sizes. A panel that narrow makes a Beta density almost a polynomial,
// which Gauss–Legendre integrates essentially exactly: the tests compare
// against Evan Miller's closed form, mpmath and independent finer grids and
// find errors below 1e-7, against the spec's 1e-4 and 1e-3.
//
// # Large counts
//
// With 10^7 visitors a posterior is a spike of width 7e-5, and the naive
// formulas fail: Γ functions overflow, and log-Γ differences lose eight
// digits to cancellation. The log Beta function is computed with Stirling's
// series so the large parts cancel analytically; densities are evaluated in
// log space; the regularised incomplete Beta function uses its continued
// fraction (modified Lentz) on whichever tail converges, in log space; Beta
// quantiles are found by Newton steps on the log tail probability, guarded
// by bisection. Because the continued fraction needs about a thousand terms
// near the mean of such a posterior, CDFs inside the integrals come from a
// table built by integrating the density panel by panel, which costs a few
// microseconds per arm and agrees with the continued fraction to 1e-9 or
// better.
//
// # Speed
//
// Analyze takes well under the page's budget: see BenchmarkAnalyze for two,
// five and ten arms of 10^7 visitors each.
package stats
