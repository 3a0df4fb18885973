package app

import (
	"hash/maphash"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// The public routes (the snippet and events) are rate limited per client IP
// and, for events, per site, with token buckets kept in memory. A bucket
// holds up to burst tokens and refills at rate per second; each request
// takes one. The limits guard the single database writer against one sender
// (or one site key, from many senders) flooding it; they are far above what
// a browser sends: the snippet posts at most one request a second per page
// view.
const (
	// DefaultRateIP is the default Config.RateIP: requests per second per
	// client IP on the public routes, enough for a busy office or a mobile
	// carrier's shared address.
	DefaultRateIP = 100
	// DefaultRateSite is the default Config.RateSite: event requests per
	// second per site, about 400 million page views a day.
	DefaultRateSite = 5000
	// rateBurst is how many seconds of requests a bucket holds.
	rateBurst = 2
	// rateShards spread the buckets over independently locked maps.
	rateShards = 16
	// rateMaxKeys bounds the buckets of one limiter (over all shards).
	rateMaxKeys = 64 << 10
)

// rateLimiter is a set of token buckets keyed by string, bounded in memory.
// A nil *rateLimiter allows everything.
type rateLimiter struct {
	rate, burst float64 // tokens per second, bucket size
	maxPerShard int
	seed        maphash.Seed
	now         func() time.Time
	epoch       time.Time
	shards      [rateShards]rateShard
}

type rateShard struct {
	mu sync.Mutex
	m  map[string]*bucket
}

type bucket struct {
	tokens float64
	at     int64 // ns since the limiter's epoch when tokens was computed
}

// newRateLimiter returns a limiter of rate requests per second per key, or
// nil (no limit) when rate is not positive.
func newRateLimiter(rate float64, maxKeys int) *rateLimiter {
	return newBurstLimiter(rate, rate*rateBurst, maxKeys)
}

// newBurstLimiter is newRateLimiter with buckets of burst tokens (at least
// one).
func newBurstLimiter(rate, burst float64, maxKeys int) *rateLimiter {
	if rate <= 0 || math.IsInf(rate, 0) || math.IsNaN(rate) {
		return nil
	}
	l := &rateLimiter{rate: rate, burst: math.Max(1, burst), maxPerShard: max(1, maxKeys/rateShards),
		seed: maphash.MakeSeed(), now: time.Now}
	l.epoch = l.now()
	for i := range l.shards {
		l.shards[i].m = map[string]*bucket{}
	}
	return l
}

// allow takes a token from key's bucket. When there is none, it returns
// false and how long until there is.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := int64(l.now().Sub(l.epoch))
	sh := &l.shards[maphash.String(l.seed, key)%rateShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.m[key]
	if b == nil {
		if len(sh.m) >= l.maxPerShard {
			l.evict(sh, now)
		}
		b = &bucket{tokens: l.burst, at: now}
		sh.m[key] = b
	} else {
		b.tokens = math.Min(l.burst, b.tokens+float64(now-b.at)*l.rate/1e9)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * 1e9)
}

// evict makes room in a full shard. Buckets that have refilled are dropped
// first: forgetting them changes nothing. If too few have (a flood from
// many addresses), arbitrary ones go too, down to 7/8 of the bound, so that
// evicting stays rare and the map never grows past its bound.
func (l *rateLimiter) evict(sh *rateShard, now int64) {
	for k, b := range sh.m {
		if b.tokens+float64(now-b.at)*l.rate/1e9 >= l.burst {
			delete(sh.m, k)
		}
	}
	for k := range sh.m {
		if len(sh.m) <= l.maxPerShard*7/8 {
			break
		}
		delete(sh.m, k)
	}
}

// size is the number of buckets held, for tests.
func (l *rateLimiter) size() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].m)
		l.shards[i].mu.Unlock()
	}
	return n
}

// rateLimitedError is the answer to a request over its limit.
func rateLimitedError(what string, wait time.Duration) *httpError {
	secs := max(1, ceilSeconds(wait))
	return &httpError{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: time.Duration(secs) * time.Second,
		Message: "Too many requests " + what + "; send them again in " + strconv.Itoa(secs) + " s."}
}

// limitPublic is the public group's per-IP limit, an IPv6 client limited
// by its /64 (limitKey). Clients on the loopback
// interface are not limited: they are the operator's own tools, or a reverse
// proxy on the same machine that is not configured as trusted, whose every
// visitor would otherwise share one bucket.
func (a *App) limitPublic(c *fiber.Ctx) error {
	if a.rateIP == nil {
		return c.Next()
	}
	ip := a.clientIP(c)
	if isLoopback(ip) {
		return c.Next()
	}
	if ok, wait := a.rateIP.allow(limitKey(ip)); !ok {
		a.metrics.rateLimited("ip")
		return rateLimitedError("from this address", wait)
	}
	return c.Next()
}

// isLoopback tells whether a client's address (clientIP) is on the
// loopback interface, which the per-address limits leave alone.
func isLoopback(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	return err == nil && addr.Unmap().IsLoopback()
}

// Share links (/r/TOKEN and the parts and files under it) are limited per
// client address, apart from the public routes and more tightly: each
// request reads the experiment's statistics (13 to 16 ms at 10 million
// events), and a leaked link must not become a way to keep the server
// busy. An open share page asks 14 times a minute (its results every 5 s,
// its charts every 30 s: views/results_report.templ), so shareRate lets
// about eight people behind one address watch it, and shareBurst covers
// opening it in a few tabs and downloading its CSV files at once. One
// address looping it costs at most about 3% of a core.
const (
	shareRate  = 2  // requests per second per client address
	shareBurst = 30 // requests at once
)

func newShareLimiter() *rateLimiter { return newBurstLimiter(shareRate, shareBurst, rateMaxKeys) }

// limitShare returns the share links' limit (shareRate per client address,
// an IPv6 client by its /64), with buckets of its own for the app it
// serves. Loopback clients are not limited, as in limitPublic. Over the
// limit the answer is a short page that says how long to wait, sent with
// the share pages' headers: its address holds the link's token. It is the
// public page of a dead link's (handleError, shareBusy), since whoever
// holds the link is usually not a copylab user.
func (a *App) limitShare() fiber.Handler {
	l := newShareLimiter()
	return func(c *fiber.Ctx) error {
		ip := a.clientIP(c)
		if isLoopback(ip) {
			return c.Next()
		}
		ok, wait := l.allow(limitKey(ip))
		if ok {
			return c.Next()
		}
		a.metrics.rateLimited("share")
		a.shareHeaders(c) // share_show.go
		// The public routes' answer, worded for the person on the page.
		err := rateLimitedError("for this shared page", wait)
		err.Message = "This shared page was asked for too often from your address. Wait " +
			views.WaitText(ceilSeconds(err.RetryAfter)) + ", then reload it."
		return err
	}
}

// limitKey is the key a client's address is limited under, by the public
// routes' limit and by sign-in's: an IPv4 address (or an IPv4-mapped IPv6
// one) as it is, and any other IPv6 address by its /64. A /64 is the
// smallest network a site is given (RFC 6177), and a host on it may use any
// of its 2^64 addresses, a new one whenever it likes (RFC 8981 temporary
// addresses), so a limit per full address does not limit anyone. What
// clientIP could not read as an address is its own key.
func limitKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.Prefix(64) // cannot fail: 64 bits of an IPv6 address
	return p.String()
}

// admitSite is the per-site limit of POST /e, which the ingester applies
// once it knows the request's site and before it parses the events.
func (a *App) admitSite(siteID string) *experiments.IngestError {
	ok, wait := a.rateSite.allow(siteID)
	if ok {
		return nil
	}
	a.metrics.rateLimited("site")
	he := rateLimitedError("for this site", wait)
	return &experiments.IngestError{Status: he.Status, Code: he.Code, Message: he.Message, Field: "site", RetryAfter: he.RetryAfter}
}
