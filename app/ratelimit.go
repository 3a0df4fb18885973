package app

import (
	"context"
	"fmt"
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
//
// Except for the owner's own browsers: an attempt that comes with a valid
// device cookie for the email being tried (session.go), one the browser got
// by signing in as that account before, counts against the device alone,
// not against the email, its client or the pair of them. The botnet's
// failures cannot refuse it, not even from behind the same address (a
// carrier's NAT, an office), and its own failures bring none of those
// nearer their limits. The device has a limit of its own across clients,
// as strict as the per-client-and-email one, so a stolen cookie buys no
// more guessing than an address does: past it, the attempt counts against
// the pair, the client and the email like any other.
const (
	loginMaxFailures  = 10                     // per client and email
	loginMaxPerClient = 3 * loginMaxFailures   // per client, over all emails
	loginMaxPerEmail  = 10 * loginMaxFailures  // per email, over all clients
	loginMaxPerDevice = loginMaxFailures       // per device cookie, over all clients
	loginWindow       = 15 * time.Minute       // how long an attempt counts
	loginSlotWait     = 500 * time.Millisecond // for a free password check
	limiterMaxKeys    = 100_000                // keys held at once (see limiter.entries)
)

// limiter guards sign-in: it counts attempts per key in a sliding window,
// and it bounds the bcrypt comparisons running at once, each of which
// takes a core for a quarter of a second at the production cost. It lives
// in memory: a restart forgets it, which is acceptable for slowing down
// guessing.
type limiter struct {
	mu sync.Mutex
	// The most attempts per client and email, per client, per email and
	// per device cookie.
	max, maxClient, maxEmail, maxDevice int
	window                              time.Duration
	now                                 func() time.Time

	// entries holds the keys with attempts in the window, at most maxKeys
	// of them. Past that, a new key takes the place of one whose attempts
	// have all left the window, or else of one with the fewest attempts,
	// the least recently changed first (evictLocked). So a flood of
	// attempts from many addresses, each of them a key with one attempt,
	// pushes out only other such keys: the counts that refuse or are about
	// to refuse, a client's or an email's, stay.
	entries map[string]*limiterEntry
	maxKeys int
	// byAge rings every entry, the most recently counted first. byHits[n]
	// rings the entries with n attempts (n ≥ 1), the most recently changed
	// first. Each entry carries its own two nodes, so counting an attempt
	// allocates nothing but a new key's entry, and moving it costs a few
	// pointers.
	byAge  ring
	byHits []ring

	// slots holds a token per password comparison under way. Past its
	// capacity a sign-in waits at most slotWait and is then turned away:
	// a queue without bound would let a flood of attempts delay the
	// answers to everyone (and hold their memory) for as long as it lasts.
	slots    chan struct{}
	slotWait time.Duration

	// warned is when pauseNote last described a pause: the log says a
	// pause at most once per pauseNoteEvery, however many are refused.
	warned time.Time
}

// pauseNoteEvery is how often, at most, the log says that sign-ins are
// paused: a flood of guesses is refused thousands of times a minute.
const pauseNoteEvery = time.Minute

// pauseNote says, in a sentence for the operator's log, why an attempt by
// client for email was refused: which of its limits it reached (a device
// cookie past its own limit counts like none, so these three decide). ok
// is false when the limiter said so less than pauseNoteEvery ago, or when
// no limit is reached any more.
func (l *limiter) pauseNote(client, email string) (note string, ok bool) {
	email = email[:min(len(email), 254)]
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.warned.IsZero() && now.Sub(l.warned) < pauseNoteEvery {
		return "", false
	}
	window := fmt.Sprintf("%d minutes", int(l.window.Round(time.Minute)/time.Minute))
	switch {
	case len(l.recent("client:"+client, now)) >= l.maxClient:
		note = fmt.Sprintf("sign-in is paused for everyone at this client address: %d failed sign-ins from it in %s, to any accounts",
			l.maxClient, window)
	case len(l.recent("pair:"+client+"|"+email, now)) >= l.max:
		note = fmt.Sprintf("sign-in to one account is paused at this client address: %d failed sign-ins to it from there in %s",
			l.max, window)
	case len(l.recent("email:"+email, now)) >= l.maxEmail:
		note = fmt.Sprintf("sign-in to one account is paused at every address but its owner's browsers: %d failed sign-ins to it in %s",
			l.maxEmail, window)
	default:
		return "", false
	}
	l.warned = now
	return note, true
}

// limiterEntry is one key's attempts in the window, oldest first, and its
// places in the limiter's two rings.
type limiterEntry struct {
	key        string
	hits       []time.Time
	age, count ring
}

// newLimiter returns a limiter of max attempts per client and email in
// window, with the per-client, per-email and per-device limits in
// proportion, and as many concurrent password checks as Go uses cores.
func newLimiter(max int, window time.Duration) *limiter {
	l := &limiter{
		max:       max,
		maxClient: max * loginMaxPerClient / loginMaxFailures,
		maxEmail:  max * loginMaxPerEmail / loginMaxFailures,
		maxDevice: max * loginMaxPerDevice / loginMaxFailures,
		window:    window, now: time.Now,
		slots: make(chan struct{}, runtime.GOMAXPROCS(0)), slotWait: loginSlotWait,
	}
	l.setMaxKeys(limiterMaxKeys)
	return l
}

// setMaxKeys empties the limiter and bounds it to n keys.
func (l *limiter) setMaxKeys(n int) {
	l.maxKeys = max(1, n)
	l.entries = make(map[string]*limiterEntry)
	l.byAge.init()
	// No key holds more attempts than the loosest limit allows.
	l.byHits = make([]ring, max(l.max, l.maxClient, l.maxEmail, l.maxDevice)+1)
	for i := range l.byHits {
		l.byHits[i].init()
	}
}

// attempt is a sign-in attempt counted by Reserve, until it is given back.
type attempt struct {
	pair, client, email string
	// device is the key of the device cookie the attempt came with, if
	// any; trusted says that it was counted against it instead of email.
	device  string
	trusted bool
	at      time.Time
}

// counted are the keys the attempt counts against: the device's alone
// when it is trusted, else the pair's, the client's and the email's.
func (at attempt) counted() []string {
	if at.trusted {
		return []string{at.device}
	}
	return []string{at.pair, at.client, at.email}
}

// Reserve counts a sign-in attempt by client (limitKey of its address) for
// email, unless that would take any of its keys past its limit. The check
// and the count are one step under the lock, so that parallel attempts
// cannot all pass the check before any of them is counted. When it refuses,
// it returns how long until the attempt would be allowed.
func (l *limiter) Reserve(client, email string) (attempt, bool, time.Duration) {
	return l.ReserveDevice(client, email, "")
}

// ReserveDevice is Reserve for an attempt that came with a valid device
// cookie for email, device being its id ("" for none). While the device is
// under its own limit the attempt counts against it alone, so no limit of
// the email's or the client's refuses it or grows by it; past its limit
// the attempt is counted like one without a cookie.
func (l *limiter) ReserveDevice(client, email, device string) (attempt, bool, time.Duration) {
	// No account's email is longer than 254 bytes (emailError), so longer
	// ones may share a key; without the cut, a form of a megabyte would
	// keep a megabyte here for the whole window.
	email = email[:min(len(email), 254)]
	at := attempt{pair: "pair:" + client + "|" + email, client: "client:" + client, email: "email:" + email}
	if device != "" {
		at.device = "device:" + device
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at.trusted = at.device != "" && len(l.recent(at.device, now)) < l.maxDevice
	if !at.trusted {
		var wait time.Duration
		for _, k := range [...]struct {
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
	}
	at.at = now
	for _, k := range at.counted() {
		l.hitLocked(k, now)
	}
	return at, true, 0
}

// Succeeded records that an attempt signed in: it was not a guess, so it
// is given back, and the client's earlier failures for that email are
// forgotten, as are the device's if it came with a device cookie. The
// email's failures from other clients are not: they may be an attacker's,
// whom the owner's sign-in should not give a fresh quota.
func (l *limiter) Succeeded(at attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.giveBackLocked(at)
	for _, k := range [...]string{at.pair, at.device} {
		if e := l.entries[k]; k != "" && e != nil {
			l.removeLocked(e)
		}
	}
}

// GiveBack forgets an attempt whose password was never checked.
func (l *limiter) GiveBack(at attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.giveBackLocked(at)
}

func (l *limiter) giveBackLocked(at attempt) {
	for _, k := range at.counted() {
		l.unhitLocked(k, at.at)
	}
}

// hitLocked counts an attempt at now for key, making room for a new key
// when the limiter holds maxKeys already.
func (l *limiter) hitLocked(key string, now time.Time) {
	e := l.entries[key]
	if e == nil {
		if len(l.entries) >= l.maxKeys {
			l.evictLocked(now)
		}
		e = &limiterEntry{key: key}
		e.age.e, e.count.e = e, e
		l.entries[key] = e
	} else {
		e.age.remove()
		e.count.remove()
	}
	e.hits = append(e.hits, now)
	l.byAge.pushFront(&e.age)
	l.countHead(len(e.hits)).pushFront(&e.count)
}

// unhitLocked removes one hit at t from key, if it is still there.
func (l *limiter) unhitLocked(key string, t time.Time) {
	e := l.entries[key]
	if e == nil {
		return
	}
	for i := len(e.hits) - 1; i >= 0; i-- {
		if e.hits[i].Equal(t) {
			l.setHitsLocked(e, append(e.hits[:i], e.hits[i+1:]...))
			return
		}
	}
}

// evictLocked forgets one key to make room for another: one whose
// attempts have all left the window if there is one, since forgetting it
// changes nothing; otherwise one with the fewest attempts in the window,
// the least recently changed of them. A key at its limit goes only when
// every key holds as many attempts, so an attacker cannot flush a count by
// filling the limiter with keys of their own without making each of them
// count as much. It costs a look at the oldest key and at most one look per
// possible number of attempts.
func (l *limiter) evictLocked(now time.Time) {
	if oldest := l.byAge.prev.e; oldest != nil && now.Sub(oldest.hits[len(oldest.hits)-1]) >= l.window {
		l.removeLocked(oldest)
		return
	}
	for {
		n := 1
		for n < len(l.byHits) && l.byHits[n].next == &l.byHits[n] {
			n++
		}
		if n == len(l.byHits) {
			return // empty
		}
		e := l.byHits[n].prev.e
		// Its count may be stale: some of its attempts may have left the
		// window since it last changed. Then it moves to a lower ring (or
		// goes, if none is left) and the search starts again.
		if hs := l.recent(e.key, now); len(hs) == 0 {
			return
		} else if len(hs) >= n {
			l.removeLocked(e)
			return
		}
	}
}

// setHitsLocked replaces e's hits, moving it to the ring of its new count,
// or forgetting it when none is left.
func (l *limiter) setHitsLocked(e *limiterEntry, hs []time.Time) {
	if len(hs) == 0 {
		l.removeLocked(e)
		e.hits = nil
		return
	}
	if len(hs) != len(e.hits) {
		e.count.remove()
		l.countHead(len(hs)).pushFront(&e.count)
	}
	e.hits = hs
}

func (l *limiter) removeLocked(e *limiterEntry) {
	delete(l.entries, e.key)
	e.age.remove()
	e.count.remove()
}

// countHead is the head of the ring of entries with n hits.
func (l *limiter) countHead(n int) *ring { return &l.byHits[min(n, len(l.byHits)-1)] }

// ring is a node of a circular, doubly linked list: its head has no entry.
type ring struct {
	prev, next *ring
	e          *limiterEntry
}

func (r *ring) init() { r.prev, r.next = r, r }

// pushFront puts n first after the head r.
func (r *ring) pushFront(n *ring) {
	n.prev, n.next = r, r.next
	r.next.prev, r.next = n, n
}

// remove takes r off its ring.
func (r *ring) remove() {
	r.prev.next, r.next.prev = r.next, r.prev
	r.prev, r.next = nil, nil
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
// busy reports that no slot came free in time (nothing was compared). A
// password longer than MaxPasswordBytes never matches: no stored one is
// (they are refused when set), and bcrypt would compare only its first 72
// bytes, letting anything typed after a right password through.
func (l *limiter) compare(ctx context.Context, hash, password string) (match, busy bool) {
	if !l.startCheck(ctx) {
		return false, true
	}
	defer l.endCheck()
	if len(password) > MaxPasswordBytes {
		// Still the cost of a comparison, so that the answer's time does
		// not tell a long password from a wrong one.
		bcrypt.CompareHashAndPassword([]byte(hash), []byte(password[:MaxPasswordBytes]))
		return false, false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, false
}

// recent drops a key's hits older than the window and returns the rest.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	e := l.entries[key]
	if e == nil {
		return nil
	}
	i := 0
	for i < len(e.hits) && now.Sub(e.hits[i]) >= l.window {
		i++
	}
	if i > 0 {
		l.setHitsLocked(e, e.hits[i:])
	}
	return e.hits
}

// Prune drops every expired entry; the hourly job calls it.
func (l *limiter) Prune() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for k := range l.entries {
		l.recent(k, now)
	}
}
