#!/usr/bin/env python3
"""Independent reference values for experiments/stats/reference_test.go.

Run: python3 experiments/stats/testdata/reference.py [normal beta best uplift ztest srm n]

Standard library only (fractions, decimal, math.comb), no scipy or mpmath,
and none of the package's methods: no floating-point special function, no
continued fraction, no quadrature. Every value is an exact rational (Beta
functions of integers, polynomial integrals) or a finite sum or series in
decimal arithmetic at 80 digits or more, inverted by bisection where a
quantile is asked for, then printed to 15 or more significant digits.
"""
from decimal import Decimal as D, getcontext
from fractions import Fraction as F
from math import comb, factorial

getcontext().prec = 80

def dec(q):
    """A Fraction as a Decimal."""
    return D(q.numerator) / D(q.denominator)

# ---------------------------------------------------------------- pi, exp, sqrt
def pi():
    # Machin: pi = 16 atan(1/5) - 4 atan(1/239)
    def atan_inv(n):
        x = D(1) / n; x2 = x * x; s = x; t = x; k = 1
        while True:
            t *= -x2; k += 2
            d = t / k
            if abs(d) < D(10) ** -78: break
            s += d
        return s
    return 16 * atan_inv(5) - 4 * atan_inv(239)

PI = pi()

def exp(x):
    x = D(x)
    # exp(x) = exp(x / 2^k)^(2^k)
    k = 0
    while abs(x) > D("0.5"):
        x /= 2; k += 1
    s = D(1); t = D(1); n = 0
    while True:
        n += 1; t = t * x / n
        if abs(t) < D(10) ** -78: break
        s += t
    for _ in range(k):
        s *= s
    return s

def sqrt(x):
    return D(x).sqrt()

# ---------------------------------------------------------------- normal
def erf(z):
    """Maclaurin series: erf z = 2/sqrt(pi) sum (-1)^n z^(2n+1) / (n! (2n+1))."""
    z = D(z); s = D(0); n = 0; t = z  # t = (-1)^n z^(2n+1)/n!
    while True:
        d = t / (2 * n + 1)
        s += d
        if abs(d) < D(10) ** -78 and n > 5: break
        n += 1; t = -t * z * z / n
    return 2 / sqrt(PI) * s

def erfc(z):
    return 1 - erf(z)

def Phi(z):
    return (1 + erf(D(z) / sqrt(2))) / 2

def normal_sf(z):
    return erfc(D(z) / sqrt(2)) / 2

def normal_quantile(p):
    """Bisection on Phi to 60 digits."""
    p = D(p); lo, hi = D(-40), D(40)
    for _ in range(260):
        mid = (lo + hi) / 2
        if Phi(mid) < p: lo = mid
        else: hi = mid
    return (lo + hi) / 2

# ---------------------------------------------------------------- Beta, integer parameters
def beta_cdf(x, a, b):
    """I_x(a, b) = P(Binomial(a+b-1, x) >= a) for integer a, b (exact sum)."""
    x = D(x); n = a + b - 1
    return sum(comb(n, j) * x ** j * (1 - x) ** (n - j) for j in range(a, n + 1))

def beta_quantile(p, a, b):
    p = D(p); lo, hi = D(0), D(1)
    for _ in range(120):
        mid = (lo + hi) / 2
        if beta_cdf(mid, a, b) < p: lo = mid
        else: hi = mid
    return (lo + hi) / 2

def post(conv, n):
    return 1 + conv, 1 + n - conv

# ---------------------------------------------------------------- P(B > A), Evan Miller
def Bf(a, b):
    return F(factorial(a - 1) * factorial(b - 1), factorial(a + b - 1))

def evan_miller(aA, bA, aB, bB):
    """P(p_B > p_A) = sum_{i=0}^{aB-1} B(aA+i, bA+bB) / ((bB+i) B(1+i, bB) B(aA, bA)), exactly."""
    return sum(Bf(aA + i, bA + bB) / ((bB + i) * Bf(1 + i, bB) * Bf(aA, bA)) for i in range(aB))

# ---------------------------------------------------------------- P(i is best), exact polynomials
def poly_mul(p, q):
    out = [0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        if x == 0: continue
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out

def binom_poly(k, m):
    """x^k (1-x)^(m-k) in the power basis, integer coefficients."""
    out = [0] * (m + 1)
    for j in range(m - k + 1):
        out[k + j] = comb(m - k, j) * (-1) ** j
    return out

def cdf_poly(a, b):
    n = a + b - 1
    out = [0] * (n + 1)
    for k in range(a, n + 1):
        for i, c in enumerate(binom_poly(k, n)):
            out[i] += comb(n, k) * c
    return out

def pdf_poly(a, b):
    # x^(a-1) (1-x)^(b-1) / B(a, b); the 1/B is applied at the end.
    return binom_poly(a - 1, a + b - 2)

def prob_best(arms):
    ps = [post(c, n) for c, n in arms]
    out = []
    for i, (a, b) in enumerate(ps):
        poly = pdf_poly(a, b)
        for j, (aj, bj) in enumerate(ps):
            if j != i:
                poly = poly_mul(poly, cdf_poly(aj, bj))
        integral = sum(F(c, k + 1) for k, c in enumerate(poly))
        out.append(integral / Bf(a, b))
    return out

# ---------------------------------------------------------------- uplift quantiles
def ratio_poly(ac, bc, av, bv):
    """Coefficients c_p, exact, of P(Xv <= r Xc) = 1 - sum_p c_p r^p for r <= 1.

    With n = av + bv - 1, F_v(y) = 1 - sum_{k<av} C(n,k) y^k (1-y)^(n-k), so
    P(Xv <= r Xc) = E[F_v(r Xc)] = 1 - sum_{k<av} sum_j C(n,k) C(n-k,j) (-1)^j r^(k+j) E[Xc^(k+j)].
    Collecting p = k + j, C(n,k) C(n-k,p-k) = C(n,p) C(p,k), and the Beta
    moments E[X^p] = prod_{i<p} (ac+i)/(ac+bc+i) are exact rationals.
    """
    n = av + bv - 1
    out = []
    mom = F(1)
    for p in range(n + 1):
        s = sum(comb(p, k) * (-1) ** k for k in range(min(av - 1, p) + 1))
        out.append(mom * comb(n, p) * (-1) ** p * s)
        mom *= F(ac + p, ac + bc + p)
    return out

def horner(coeffs, r):
    s = D(0)
    for c in reversed(coeffs):
        s = s * r + c
    return s

def uplift_quantile(ctl, var, p, hi=D(10000)):
    c, v = post(*ctl), post(*var)
    old = getcontext().prec
    getcontext().prec = 60 + 2 * (c[0] + c[1] + v[0] + v[1]) // 3
    lower = [dec(x) for x in ratio_poly(c[0], c[1], v[0], v[1])]   # P(Xv <= r Xc), r <= 1
    upper = [dec(x) for x in ratio_poly(v[0], v[1], c[0], c[1])]   # P(Xc <= s Xv), s <= 1
    def G(r):
        if r <= 1:
            return 1 - horner(lower, r)
        return horner(upper, 1 / r)  # 1 - P(Xc < Xv / r)
    lo = D(0); p = D(p)
    for _ in range(90):
        mid = (lo + hi) / 2
        if G(mid) < p: lo = mid
        else: hi = mid
    g1 = 1 - G(D(1))
    getcontext().prec = old
    return (lo + hi) / 2 - 1, g1

# ---------------------------------------------------------------- z-test, Holm, chi-square
def z_test_p(ctl, var):
    (cc, nc), (cv, nv) = ctl, var
    pooled = F(cc + cv, nc + nv)
    se2 = pooled * (1 - pooled) * (F(1, nc) + F(1, nv))
    diff = F(cv, nv) - F(cc, nc)
    z = abs(dec(diff)) / sqrt(dec(se2))
    return erfc(z / sqrt(2))

def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out = [None] * m; running = D(0)
    for rank, i in enumerate(order):
        running = max(running, min(D(1), (m - rank) * ps[i]))
        out[i] = running
    return out

def chi2_sf(x, df):
    x = D(x)
    if df == 1: return erfc(sqrt(x / 2))
    if df == 2: return exp(-x / 2)
    if df == 3: return erfc(sqrt(x / 2)) + sqrt(2 * x / PI) * exp(-x / 2)
    raise ValueError(df)

def chi2(exposures, weights):
    total = sum(exposures); wsum = sum(weights)
    return sum(F((e * wsum - total * w) ** 2, total * w * wsum) for e, w in zip(exposures, weights))

# ---------------------------------------------------------------- sample size
def sample_size(p1, mde):
    p1 = D(p1); p2 = p1 * (1 + D(mde)); pbar = (p1 + p2) / 2
    za = normal_quantile(D("0.975")); zb = normal_quantile(D("0.8"))
    num = za * sqrt(2 * pbar * (1 - pbar)) + zb * sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return num * num / ((p2 - p1) ** 2)

def g(x, digits=15):
    return format(D(x), "." + str(digits) + "g")

if __name__ == "__main__":
    import sys
    what = sys.argv[1:] or ["normal", "beta", "best", "uplift", "ztest", "srm", "n"]
    if "normal" in what:
        for p in ["0.975", "0.8", "0.5", "0.025", "1e-10", "1e-12"]:
            print("normalQuantile", p, g(normal_quantile(D(p)), 17))
        # Upper tails: the float64 nearest p, exactly (Decimal of a float),
        # since there 1 - p in binary is not 1 - p in decimal.
        for p in [0.999, 0.9999999]:
            print("normalQuantile", p, g(normal_quantile(D(p)), 17))
        for z in ["1.96", "3", "8"]:
            print("normalSF", z, g(normal_sf(D(z)), 17))
    if "beta" in what:  # about 15 s
        for x, a, b in [("0.1", 101, 901), ("0.3", 4, 5), ("0.02", 3, 200)]:
            print("incBeta", x, a, b, g(beta_cdf(D(x), a, b), 17))
        for conv, n in [(100, 1000), (3, 7), (0, 10), (10, 10), (0, 0), (1, 2), (50, 2000)]:
            a, b = post(conv, n)
            print("rate_interval", conv, n, g(beta_quantile(D("0.025"), a, b)), g(1 - beta_quantile(D("0.025"), b, a)))
    if "best" in what:  # about 5 s
        for A, B in [((100, 1000), (120, 1000)), ((7, 50), (12, 60)), ((0, 1), (1, 1)), ((0, 0), (0, 0)), ((20, 1000), (3, 80))]:
            aA, bA = post(*A); aB, bB = post(*B)
            print("P(B>A)", A, B, g(dec(evan_miller(aA, bA, aB, bB))))
        for arms in [[(3, 10), (5, 12), (1, 8)], [(30, 400), (40, 410), (35, 390)], [(0, 0), (2, 20), (5, 20), (4, 30)]]:
            pb = prob_best(arms)
            print("prob_best", arms, [g(dec(x)) for x in pb], "sum", sum(pb))
    if "uplift" in what:
        for ctl, var in [((100, 1000), (120, 1000)), ((7, 50), (12, 60)), ((3, 10), (5, 12)), ((0, 50), (2, 50)), ((20, 200), (30, 200))]:
            lo, beat = uplift_quantile(ctl, var, D("0.025"))
            hi, _ = uplift_quantile(ctl, var, D("0.975"))
            print("uplift_interval", ctl, var, g(lo, 13), g(hi, 13), "(1 - G(1) =", g(beat, 12), "= P(B>A))")
    if "ztest" in what:
        for c, v in [((100, 1000), (120, 1000)), ((50, 400), (20, 300)), ((500000, 10000000), (505000, 10000000))]:
            print("p_value", c, v, g(z_test_p(c, v), 17))
        ctl = (200, 2000); vs = [(240, 2000), (205, 2000), (262, 2000)]
        ps = [z_test_p(ctl, v) for v in vs]
        print("p_value", ctl, vs, [g(p, 17) for p in ps], "holm", [g(p, 17) for p in holm(ps)])
    if "srm" in what:
        for ex, w in [([5000, 5400], [5000, 5000]), ([3300, 3000, 2700], [3334, 3333, 3333]),
                      ([2600, 2500, 2450, 2450], [2500, 2500, 2500, 2500]), ([8100, 1900], [8000, 2000])]:
            x = chi2(ex, w)
            print("srm", ex, w, "chi2", g(dec(x)), "p", g(chi2_sf(dec(x), len(ex) - 1), 17))
    if "n" in what:
        for p1, mde in [("0.10", "0.10"), ("0.05", "0.10"), ("0.02", "0.20"), ("0.3", "0.05")]:
            print("sample_size", p1, mde, g(sample_size(p1, mde), 12))
