package app

import (
	"sync"
	"time"
)

// Failed sign-ins allowed per IP and per email within the window before
// signing in is refused with 429 for the rest of it.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	limiterMaxKeys   = 100_000 // beyond this, old entries are dropped first
)

// limiter counts events per key in a sliding window. It lives in memory:
// a restart forgets it, which is acceptable for slowing down guessing.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
	now    func() time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string][]time.Time{}, now: time.Now}
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

// Blocked reports whether any key has used up its attempts, and how long
// until the oldest of them leaves the window.
func (l *limiter) Blocked(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	blocked := false
	for _, k := range keys {
		if hs := l.recent(k, now); len(hs) >= l.max {
			blocked = true
			if w := l.window - now.Sub(hs[len(hs)-l.max]); w > wait {
				wait = w
			}
		}
	}
	return blocked, wait
}

// Add records one event for each key.
func (l *limiter) Add(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.hits) > limiterMaxKeys {
		l.pruneLocked(now)
	}
	for _, k := range keys {
		l.hits[k] = append(l.recent(k, now), now)
	}
}

// Reset forgets a key (after a successful sign-in, its email's failures).
func (l *limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
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
