package app

import (
	"context"
	"runtime"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Sign-in attempts allowed within the window before signing in is refused
// with 429 for the rest of it. Attempts are counted, and refused, along
// three keys at once:
//
//   - per client and email, the strict limit: it stops one client guessing
//     one account's password, and only that client;
//   - per client across emails, so that one client cannot spray a common
//     password over many accounts; it is looser than the strict limit so
//     that a few people behind one office or carrier address can mistype;
//   - per email across clients, a ceiling against guessing spread over
//     many addresses.
//
// The strict limit is not per email alone because then anyone who knows an
// email could lock its owner out with ten wrong passwords. The per-email
// ceiling still can, but only by spending its whole quota from at least
// ceiling/strict distinct networks (each client is held to the strict
// limit), and only while the attack goes on: it is the price of not
// letting a botnet guess without bound.
const (
	loginMaxFailures  = 10                     // per client and email
	loginMaxPerClient = 3 * loginMaxFailures   // per client, over all emails
	loginMaxPerEmail  = 10 * loginMaxFailures  // per email, over all clients
	loginWindow       = 15 * time.Minute       // how long an attempt counts
	loginSlotWait     = 500 * time.Millisecond // for a free password check
	limiterMaxKeys    = 100_000                // beyond this, old entries are dropped first
)

// limiter guards sign-in: it counts attempts per key in a sliding window,
// and it bounds the bcrypt comparisons running at once, each of which
// takes a core for a quarter of a second at the production cost. It lives
// in memory: a restart forgets it, which is acceptable for slowing down
// guessing.
type limiter struct {
	mu sync.Mutex
	// The most attempts per client and email, per client and per email.
	max, maxClient, maxEmail int
	window                   time.Duration
	hits                     map[string][]time.Time
	now                      func() time.Time

	// slots holds a token per password comparison under way. Past its
	// capacity a sign-in waits at most slotWait and is then turned away:
	// a queue without bound would let a flood of attempts delay the
	// answers to everyone (and hold their memory) for as long as it lasts.
	slots    chan struct{}
	slotWait time.Duration
}

// newLimiter returns a limiter of max attempts per client and email in
// window, with the looser per-client and per-email limits in proportion,
// and as many concurrent password checks as Go uses cores.
func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{
		max: max, maxClient: max * loginMaxPerClient / loginMaxFailures, maxEmail: max * loginMaxPerEmail / loginMaxFailures,
		window: window, hits: map[string][]time.Time{}, now: time.Now,
		slots: make(chan struct{}, runtime.GOMAXPROCS(0)), slotWait: loginSlotWait,
	}
}

// attempt is a sign-in attempt counted by Reserve, until it is given back.
type attempt struct {
	pair, client, email string
	at                  time.Time
}

// Reserve counts a sign-in attempt by client (limitKey of its address) for
// email, unless that would take any of its keys past its limit. The check
// and the count are one step under the lock, so that parallel attempts
// cannot all pass the check before any of them is counted. When it refuses,
// it returns how long until the attempt would be allowed.
func (l *limiter) Reserve(client, email string) (attempt, bool, time.Duration) {
	// No account's email is longer than 254 bytes (emailError), so longer
	// ones may share a key; without the cut, a form of a megabyte would
	// keep a megabyte here for the whole window.
	email = email[:min(len(email), 254)]
	at := attempt{pair: "pair:" + client + "|" + email, client: "client:" + client, email: "email:" + email}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.hits) > limiterMaxKeys {
		l.pruneLocked(now)
	}
	var wait time.Duration
	for _, k := range []struct {
		key string
		max int
	}{{at.pair, l.max}, {at.client, l.maxClient}, {at.email, l.maxEmail}} {
		if hs := l.recent(k.key, now); len(hs) >= k.max {
			wait = max(wait, l.window-now.Sub(hs[len(hs)-k.max]))
		}
	}
	if wait > 0 {
		return attempt{}, false, wait
	}
	at.at = now
	for _, k := range []string{at.pair, at.client, at.email} {
		l.hits[k] = append(l.hits[k], now)
	}
	return at, true, 0
}

// Succeeded records that an attempt signed in: it was not a guess, so it
// is given back, and the client's earlier failures for that email are
// forgotten. The email's failures from other clients are not: they may be
// an attacker's, whom the owner's sign-in should not give a fresh quota.
func (l *limiter) Succeeded(at attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, at.pair)
	l.unhitLocked(at.client, at.at)
	l.unhitLocked(at.email, at.at)
}

// GiveBack forgets an attempt whose password was never checked.
func (l *limiter) GiveBack(at attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{at.pair, at.client, at.email} {
		l.unhitLocked(k, at.at)
	}
}

// unhitLocked removes one hit at t from key, if it is still there.
func (l *limiter) unhitLocked(key string, t time.Time) {
	hs := l.hits[key]
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Equal(t) {
			hs = append(hs[:i], hs[i+1:]...)
			break
		}
	}
	if len(hs) == 0 {
		delete(l.hits, key)
	} else {
		l.hits[key] = hs
	}
}

// startCheck takes a password-check slot, waiting at most slotWait for one
// (and not past ctx). It reports whether it got one; endCheck gives it back.
func (l *limiter) startCheck(ctx context.Context) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(l.slotWait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (l *limiter) endCheck() { <-l.slots }

// compare checks password against a bcrypt hash in a password-check slot.
// busy reports that no slot came free in time (nothing was compared).
func (l *limiter) compare(ctx context.Context, hash, password string) (match, busy bool) {
	if !l.startCheck(ctx) {
		return false, true
	}
	defer l.endCheck()
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, false
}

// recent drops a key's hits older than the window and returns the rest.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	hs := l.hits[key]
	i := 0
	for i < len(hs) && now.Sub(hs[i]) >= l.window {
		i++
	}
	hs = hs[i:]
	if len(hs) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = hs
	return hs
}

// Prune drops every expired entry; the hourly job calls it.
func (l *limiter) Prune() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(l.now())
}

func (l *limiter) pruneLocked(now time.Time) {
	for k := range l.hits {
		l.recent(k, now)
	}
	// Still too many live keys (a flood of distinct IPs): start over rather
	// than grow without bound.
	if len(l.hits) > limiterMaxKeys {
		l.hits = map[string][]time.Time{}
	}
}
