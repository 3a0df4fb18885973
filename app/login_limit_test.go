package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// newLoginEnv is an app that believes X-Forwarded-For from the test peer,
// so that a test picks each sign-in's client address.
func newLoginEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} }) // Fiber's Test peer
}

// loginRequest is a sign-in from ip, with a CSRF cookie and token of its
// own, ready to send.
func (e *env) loginRequest(ip, email, password string) *http.Request {
	e.t.Helper()
	c := e.client()
	c.get("/login")
	v := url.Values{"_csrf": {c.csrf}, "email": {email}, "password": {password}}
	req := newRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	return req
}

// login sends one sign-in and returns its status.
func (e *env) login(ip, email, password string) int {
	e.t.Helper()
	resp := e.do(e.loginRequest(ip, email, password))
	readBody(e.t, resp)
	return resp.StatusCode
}

// loginParallel sends the sign-ins at once and counts the answers by
// status.
func (e *env) loginParallel(reqs []*http.Request) map[int]int {
	e.t.Helper()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
	)
	for _, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := -1 // the request failed
			if resp, err := e.app.Fiber().Test(req, -1); err == nil {
				resp.Body.Close()
				status = resp.StatusCode
			}
			mu.Lock()
			counts[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return counts
}

// TestLoginLimitParallel checks that attempts sent at once cannot all pass
// the limit before any of them is counted.
func TestLoginLimitParallel(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	e.app.logins.slotWait = time.Minute // every attempt gets its check: the count is exact

	t.Run("one client, one email", func(t *testing.T) {
		var reqs []*http.Request
		for i := 0; i < 4*loginMaxFailures; i++ {
			reqs = append(reqs, e.loginRequest("203.0.113.7", "ann@example.com", "wrong password!"))
		}
		got := e.loginParallel(reqs)
		want := map[int]int{http.StatusUnauthorized: loginMaxFailures, http.StatusTooManyRequests: 3 * loginMaxFailures}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("answers by status %v, want %v", got, want)
		}
		// The limit bites the attacker, right password or not...
		if s := e.login("203.0.113.7", "ann@example.com", testPassword); s != http.StatusTooManyRequests {
			t.Errorf("the attacker with the right password: %d", s)
		}
		// ...and only the attacker: the owner, elsewhere, signs in.
		if s := e.login("198.51.100.1", "ann@example.com", testPassword); s != http.StatusSeeOther {
			t.Errorf("the owner from another address: %d", s)
		}
	})

	t.Run("one client, many emails", func(t *testing.T) {
		var reqs []*http.Request
		for i := 0; i < 2*loginMaxPerClient; i++ {
			reqs = append(reqs, e.loginRequest("192.0.2.9", fmt.Sprintf("guess%d@example.com", i%3), "wrong password!"))
		}
		got := e.loginParallel(reqs)
		if got[http.StatusUnauthorized] != loginMaxPerClient || got[http.StatusTooManyRequests] != loginMaxPerClient {
			t.Errorf("answers by status %v, want %d of 401 and of 429", got, loginMaxPerClient)
		}
	})
}

// TestLoginLimitIPv6 checks that a client cannot dodge the limit by moving
// to another address of its /64.
func TestLoginLimitIPv6(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	for i := 0; i < loginMaxFailures; i++ {
		if s := e.login(fmt.Sprintf("2001:db8:7:7::%x", i+1), "ann@example.com", "wrong password!"); s != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, s)
		}
	}
	if s := e.login("2001:db8:7:7:abcd::1", "ann@example.com", testPassword); s != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64: %d", s)
	}
	if s := e.login("2001:db8:7:8::1", "ann@example.com", testPassword); s != http.StatusSeeOther {
		t.Errorf("another /64: %d", s)
	}
}

// TestLoginBusy checks that sign-ins do not queue without bound for a
// password check, and that one turned away is not counted.
func TestLoginBusy(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	l := e.app.logins
	l.slotWait = 10 * time.Millisecond
	for range cap(l.slots) { // every check slot taken
		l.slots <- struct{}{}
	}
	for i := 0; i < 2*loginMaxFailures; i++ {
		resp := e.do(e.loginRequest("203.0.113.7", "ann@example.com", "wrong password!"))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusTooManyRequests, body)
		wantContains(t, body, "Please try again in a moment")
		if ra := resp.Header.Get("Retry-After"); ra != "1" {
			t.Fatalf("Retry-After %q", ra)
		}
	}
	for range cap(l.slots) {
		<-l.slots
	}
	// None of those counted: the client has all its attempts left.
	for i := 0; i < loginMaxFailures; i++ {
		if s := e.login("203.0.113.7", "ann@example.com", "wrong password!"); s != http.StatusUnauthorized {
			t.Fatalf("attempt %d after the flood: %d", i, s)
		}
	}
}

// TestLimiter checks the counting itself, on a clock of its own.
func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(2, time.Minute) // per client 6, per email 20
	l.now = clock.now
	reserve := func(client, email string) (attempt, bool) {
		t.Helper()
		at, ok, wait := l.Reserve(client, email)
		if ok != (wait == 0) || wait < 0 || wait > time.Minute {
			t.Fatalf("ok %v, wait %v", ok, wait)
		}
		return at, ok
	}

	reserve("a", "x")
	clock.add(10 * time.Second)
	at, _ := reserve("a", "x")
	if _, ok := reserve("a", "x"); ok {
		t.Fatal("a third attempt of two")
	}
	if _, ok, wait := l.Reserve("a", "x"); ok || wait != 50*time.Second {
		t.Errorf("wait %v, want until the first attempt leaves the window", wait)
	}
	if _, ok := reserve("b", "x"); !ok {
		t.Error("another client refused")
	}
	l.GiveBack(at)
	if _, ok := reserve("a", "x"); !ok {
		t.Error("an attempt given back still counts")
	}
	clock.add(time.Minute)
	if _, ok := reserve("a", "x"); !ok {
		t.Error("refused after the window")
	}

	// A success forgets the client's failures for that email and does not
	// count itself, but leaves the email's failures from elsewhere.
	for i := 0; i < 20; i++ {
		reserve(fmt.Sprint("c", i), "y")
	}
	if _, ok := reserve("owner", "y"); ok {
		t.Fatal("past the per-email ceiling")
	}
	clock.add(2 * time.Minute)
	reserve("owner", "y")
	at, _ = reserve("owner", "y")
	l.Succeeded(at)
	if l.hitsOf("pair:owner|y") != 0 || l.hitsOf("email:y") != 1 || l.hitsOf("client:owner") != 1 {
		t.Errorf("after a success: pair %d, email %d, client %d", l.hitsOf("pair:owner|y"), l.hitsOf("email:y"), l.hitsOf("client:owner"))
	}

	// A long email is kept no longer than an account's can be.
	at, _ = reserve("long", strings.Repeat("x", 1<<20))
	if len(at.email) > len("email:")+254 {
		t.Errorf("a key of %d bytes", len(at.email))
	}

	// Per client, over all emails.
	for i := 0; i < 5; i++ {
		if _, ok := reserve("spray", fmt.Sprint("e", i)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	reserve("spray", "e9")
	if _, ok := reserve("spray", "e10"); ok {
		t.Error("past the per-client limit")
	}
}

// TestLimiterDevice checks how attempts with a device cookie count: against
// the device instead of the email while it is under its own limit, then
// against the email like any other; a success forgets the device's
// failures, and an attempt given back leaves nothing behind.
func TestLimiterDevice(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(2, time.Minute) // per device 2, per email 20
	l.now = clock.now
	for i := 0; i < 20; i++ {
		l.Reserve(fmt.Sprint("bot", i), "y")
	}
	if _, ok, _ := l.Reserve("owner", "y"); ok {
		t.Fatal("past the per-email ceiling")
	}

	at, ok, _ := l.ReserveDevice("owner", "y", "d1")
	if !ok || !at.trusted {
		t.Fatalf("a device under its limit: ok %v, trusted %v", ok, at.trusted)
	}
	l.ReserveDevice("elsewhere", "y", "d1")
	if l.hitsOf("device:d1") != 2 || l.hitsOf("email:y") != 20 {
		t.Errorf("device %d, email %d, want 2 and 20", l.hitsOf("device:d1"), l.hitsOf("email:y"))
	}
	if _, ok, wait := l.ReserveDevice("third", "y", "d1"); ok || wait <= 0 {
		t.Errorf("a device past its limit, the email past its ceiling: ok %v, wait %v", ok, wait)
	}

	// Past its limit, a device's attempts count against the email, and
	// pass while the email is under its ceiling.
	clock.add(time.Minute)
	l.ReserveDevice("a", "z", "d2")
	l.ReserveDevice("b", "z", "d2")
	at, ok, _ = l.ReserveDevice("c", "z", "d2")
	if !ok || at.trusted || l.hitsOf("email:z") != 1 || l.hitsOf("device:d2") != 2 {
		t.Errorf("a device past its limit: ok %v, trusted %v, email %d, device %d", ok, at.trusted, l.hitsOf("email:z"), l.hitsOf("device:d2"))
	}
	// A success forgets the device's failures with the client's, and
	// gives back its own attempt.
	l.Succeeded(at)
	if l.hitsOf("device:d2") != 0 || l.hitsOf("pair:c|z") != 0 || l.hitsOf("email:z") != 0 || l.hitsOf("client:c") != 0 {
		t.Errorf("after a success: device %d, pair %d, email %d, client %d", l.hitsOf("device:d2"), l.hitsOf("pair:c|z"), l.hitsOf("email:z"), l.hitsOf("client:c"))
	}

	at, _, _ = l.ReserveDevice("d", "w", "d3")
	l.GiveBack(at)
	for _, k := range []string{"device:d3", "pair:d|w", "client:d", "email:w"} {
		if n := l.hitsOf(k); n != 0 {
			t.Errorf("%s holds %d after a give-back", k, n)
		}
	}
	checkLimiter(t, l)
}
