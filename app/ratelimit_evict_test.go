package app

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// hitsOf is how many attempts key holds now, 0 when it is not held.
func (l *limiter) hitsOf(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.entries[key]; e != nil {
		return len(e.hits)
	}
	return 0
}

// checkLimiter checks the limiter's bookkeeping: no more keys than its
// bound, each on the age ring once and on the ring of its count once, in
// order, with its attempts oldest first.
func checkLimiter(t *testing.T, l *limiter) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) > l.maxKeys {
		t.Errorf("%d keys held, bound %d", len(l.entries), l.maxKeys)
	}
	walk := func(name string, head *ring, each func(e *limiterEntry)) int {
		n := 0
		for r := head.next; r != head; r = r.next {
			if r.next.prev != r || r.e == nil || l.entries[r.e.key] != r.e {
				t.Fatalf("%s ring: a broken or stray node", name)
			}
			each(r.e)
			if n++; n > len(l.entries) {
				t.Fatalf("%s ring longer than the %d keys", name, len(l.entries))
			}
		}
		return n
	}
	if n := walk("age", &l.byAge, func(e *limiterEntry) {
		if len(e.hits) == 0 {
			t.Errorf("%s is held with no attempt", e.key)
		}
		for i := 1; i < len(e.hits); i++ {
			if e.hits[i].Before(e.hits[i-1]) {
				t.Errorf("%s: attempts out of order", e.key)
			}
		}
	}); n != len(l.entries) {
		t.Errorf("age ring has %d of %d keys", n, len(l.entries))
	}
	total := 0
	for c := 1; c < len(l.byHits); c++ {
		total += walk("count "+strconv.Itoa(c), &l.byHits[c], func(e *limiterEntry) {
			if min(len(e.hits), len(l.byHits)-1) != c {
				t.Errorf("%s with %d attempts on the ring of %d", e.key, len(e.hits), c)
			}
		})
	}
	if total != len(l.entries) || l.byHits[0].next != &l.byHits[0] {
		t.Errorf("count rings hold %d of %d keys", total, len(l.entries))
	}
}

// TestLimiterFlood: an attacker who spreads attempts over more keys than
// the limiter holds, one attempt each, does not wipe the counts that
// matter: the client at its limit for an email stays refused, a client's
// few failures and an email's failures from many clients stay counted, and
// the limiter holds no more keys than its bound.
func TestLimiterFlood(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(loginMaxFailures, loginWindow)
	l.now = clock.now
	for range loginMaxFailures {
		if _, ok, _ := l.Reserve("203.0.113.7", "ann@example.com"); !ok {
			t.Fatal("refused before the limit")
		}
	}
	l.Reserve("198.51.100.2", "bob@example.com")
	l.Reserve("198.51.100.2", "bob@example.com")
	for i := range 20 {
		l.Reserve("192.0.2."+strconv.Itoa(i), "cy@example.com")
	}

	// Each attempt is three keys: client and email, client, email.
	for i := range limiterMaxKeys {
		clock.add(time.Millisecond)
		ip := fmt.Sprintf("2001:db8:%x:%x::", i>>16, i&0xffff)
		if _, ok, _ := l.Reserve(ip, "junk"+strconv.Itoa(i)+"@example.com"); !ok {
			t.Fatalf("junk attempt %d refused", i)
		}
	}

	if n := len(l.entries); n > limiterMaxKeys {
		t.Errorf("%d keys held, bound %d", n, limiterMaxKeys)
	}
	if _, ok, wait := l.Reserve("203.0.113.7", "ann@example.com"); ok || wait <= 0 {
		t.Errorf("the client at its limit is allowed again after the flood (wait %v)", wait)
	}
	for key, want := range map[string]int{
		"pair:198.51.100.2|bob@example.com": 2, "client:198.51.100.2": 2, "email:bob@example.com": 2,
		"email:cy@example.com": 20, "email:ann@example.com": loginMaxFailures,
	} {
		if got := l.hitsOf(key); got != want {
			t.Errorf("%s: %d attempts after the flood, want %d", key, got, want)
		}
	}
	// The flood pushed out only its own oldest keys.
	if l.hitsOf("email:junk0@example.com") != 0 || l.hitsOf("email:junk"+strconv.Itoa(limiterMaxKeys-1)+"@example.com") != 1 {
		t.Error("the flood's newest keys went before its oldest")
	}
	checkLimiter(t, l)
}

// TestLimiterEvictsExpiredFirst: when the limiter is full, a key whose
// attempts have all left the window goes before a live one, even one with
// fewer attempts; and among live keys, the one with the fewest attempts
// goes, the least recently counted first.
func TestLimiterEvictsExpiredFirst(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(5, time.Minute)
	l.now = clock.now
	l.setMaxKeys(33)
	for i := range 10 { // 30 keys of two attempts
		c := "old" + strconv.Itoa(i)
		l.Reserve(c, c)
		l.Reserve(c, c)
	}
	clock.add(30 * time.Second)
	l.Reserve("mid", "mid") // 3 keys of one attempt
	clock.add(31 * time.Second)
	l.Reserve("new", "new") // the 30 old ones have left the window
	for _, k := range []string{"pair:mid|mid", "client:mid", "email:mid", "pair:new|new", "client:new", "email:new"} {
		if l.hitsOf(k) != 1 {
			t.Errorf("%s went, with expired keys still held", k)
		}
	}
	checkLimiter(t, l)

	// With the expired keys pruned, fill up with live keys of two
	// attempts, then add keys of one: the newcomers push out the keys of
	// one attempt, mid's (counted longest ago) first.
	l.Prune()
	if len(l.entries) != 6 {
		t.Fatalf("after Prune: %d keys, want 6", len(l.entries))
	}
	for i := range 9 { // 27 keys of two attempts
		c := "two" + strconv.Itoa(i)
		l.Reserve(c, c)
		l.Reserve(c, c)
	}
	l.Reserve("last", "last")
	for _, k := range []string{"pair:mid|mid", "client:mid", "email:mid"} {
		if l.hitsOf(k) != 0 {
			t.Errorf("%s stayed; the oldest keys of one attempt go first", k)
		}
	}
	for _, k := range []string{"pair:new|new", "pair:last|last", "pair:two0|two0", "client:two8"} {
		if l.hitsOf(k) == 0 {
			t.Errorf("%s went", k)
		}
	}
	checkLimiter(t, l)
}

// TestLimiterConcurrent runs sign-ins, give-backs, successes and prunes at
// once on a small limiter (run with -race), then checks its bookkeeping.
func TestLimiterConcurrent(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(3, time.Minute)
	l.now = clock.now
	l.setMaxKeys(200)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3000 {
				client := "c" + strconv.Itoa((g*7+i)%97)
				at, ok, _ := l.Reserve(client, "e"+strconv.Itoa(i%61)+"@example.com")
				switch {
				case !ok:
				case i%5 == 0:
					l.GiveBack(at)
				case i%11 == 0:
					l.Succeeded(at)
				}
				if i%500 == 0 {
					l.Prune()
				}
				if g == 0 && i%50 == 0 {
					clock.add(time.Second)
				}
			}
		}()
	}
	wg.Wait()
	checkLimiter(t, l)
}
