package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func newTestLimiter(rate float64, maxKeys int) (*rateLimiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newRateLimiter(rate, maxKeys)
	l.now, l.epoch = clock.now, clock.now()
	return l, clock
}

func TestRateLimiter(t *testing.T) {
	l, clock := newTestLimiter(10, 1000) // burst 20
	for i := 0; i < 20; i++ {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > 100*time.Millisecond {
		t.Fatalf("over the burst: ok %v, wait %v", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Error("another key shares the bucket")
	}
	clock.add(100 * time.Millisecond) // one token back
	if ok, _ := l.allow("a"); !ok {
		t.Error("no token after 100 ms at 10/s")
	}
	if ok, _ := l.allow("a"); ok {
		t.Error("two tokens after 100 ms at 10/s")
	}
	clock.add(time.Hour) // refills up to the burst, not beyond
	n := 0
	for ok, _ := l.allow("a"); ok; ok, _ = l.allow("a") {
		n++
	}
	if n != 20 {
		t.Errorf("after an hour: %d requests allowed, want the burst of 20", n)
	}

	var nilLimiter *rateLimiter
	if ok, _ := nilLimiter.allow("x"); !ok {
		t.Error("a nil limiter refused")
	}
	if newRateLimiter(0, 10) != nil || newRateLimiter(-1, 10) != nil {
		t.Error("a limiter without a rate")
	}
}

func TestRateLimiterBounded(t *testing.T) {
	l, clock := newTestLimiter(1, rateShards*8) // 8 keys per shard
	// A flood of distinct addresses, each one request: the map stays
	// within its bound.
	for i := 0; i < 10_000; i++ {
		l.allow("10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256))
		if n := l.size(); n > rateShards*8 {
			t.Fatalf("%d keys after %d requests", n, i+1)
		}
	}
	// An address that used up its bucket is not forgotten while only
	// idle ones could make room.
	for i := 0; i < 3; i++ {
		l.allow("203.0.113.7")
	}
	clock.add(time.Hour) // every bucket refills: all can be evicted
	for i := 0; i < 1000; i++ {
		l.allow(fmt.Sprintf("k%d", i))
	}
	if n := l.size(); n > rateShards*8 {
		t.Errorf("%d keys", n)
	}
}

func BenchmarkRateLimiter(b *testing.B) {
	l := newRateLimiter(1e9, rateMaxKeys)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("203.0.%d.%d", i/256, i%256)
	}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.allow(keys[i%len(keys)])
			i++
		}
	})
}

// TestRateLimitHTTP checks the answers of the public routes over their
// limits: 429, Retry-After, the reason in X-Copylab and the JSON body.
func TestRateLimitHTTP(t *testing.T) {
	wantLimited := func(t *testing.T, resp *http.Response, body string) {
		t.Helper()
		wantStatus(t, resp, http.StatusTooManyRequests, body)
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Error("a 429 without CORS: the site's script cannot read it")
		}
	}

	t.Run("per IP, events", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.RateIP = 2; c.RateSite = -1 }) // burst 4
		site, x := e.runningExperiment()
		for i := 0; i < 4; i++ {
			resp, body := e.postRaw(eventBody(site.Key, "v"+itoa(i), x.ID, "b", false), nil)
			wantStatus(t, resp, http.StatusNoContent, body)
		}
		resp, body := e.postRaw(eventBody(site.Key, "v9", x.ID, "b", false), nil)
		wantLimited(t, resp, body)
		wantContains(t, body, `"code":"rate_limited"`)
		if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: rate_limited") {
			t.Errorf("X-Copylab %q", h)
		}
		// The snippet shares the address's bucket.
		resp = e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		js := readBody(t, resp)
		wantLimited(t, resp, js)
		if !strings.HasPrefix(js, "/* copylab:") {
			t.Errorf("the snippet's 429 is not a harmless script: %q", js)
		}
		// Other addresses (through a trusted proxy here) are not limited.
		if n := e.eventRows(); n != 4 {
			t.Errorf("%d events stored, want 4", n)
		}
	})

	t.Run("per IP, through a trusted proxy", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.RateIP = 1; c.RateSite = -1; c.TrustedProxies = []string{"0.0.0.0"} })
		site, x := e.runningExperiment()
		send := func(ip string) int {
			resp, _ := e.postRaw(eventBody(site.Key, "v-"+ip+strconv.Itoa(int(time.Now().UnixNano())), x.ID, "b", false),
				map[string]string{"X-Forwarded-For": ip})
			return resp.StatusCode
		}
		for i := 0; i < 2; i++ {
			if s := send("203.0.113.7"); s != http.StatusNoContent {
				t.Fatalf("request %d: %d", i, s)
			}
		}
		if s := send("203.0.113.7"); s != http.StatusTooManyRequests {
			t.Errorf("third request from one client: %d", s)
		}
		if s := send("198.51.100.9"); s != http.StatusNoContent {
			t.Errorf("another client behind the same proxy: %d", s)
		}
		// Loopback clients are the operator's tools: never limited.
		for i := 0; i < 5; i++ {
			if s := send("127.0.0.1"); s != http.StatusNoContent {
				t.Fatalf("loopback request %d: %d", i, s)
			}
		}
	})

	t.Run("per IPv6 /64, through a trusted proxy", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.RateIP = 1; c.RateSite = -1; c.TrustedProxies = []string{"0.0.0.0"} })
		site, x := e.runningExperiment()
		n := 0
		send := func(ip string) int {
			n++
			resp, _ := e.postRaw(eventBody(site.Key, "v"+itoa(n), x.ID, "b", false), map[string]string{"X-Forwarded-For": ip})
			return resp.StatusCode
		}
		// One host rotating its addresses inside its /64 shares one bucket
		// (burst 2).
		for i, ip := range []string{"2001:db8:1:2::1", "[2001:db8:1:2::2]:443"} {
			if s := send(ip); s != http.StatusNoContent {
				t.Fatalf("request %d: %d", i, s)
			}
		}
		for _, ip := range []string{"2001:db8:1:2::3", "2001:db8:1:2:ffff:ffff:ffff:ffff"} {
			if s := send(ip); s != http.StatusTooManyRequests {
				t.Errorf("%s, the same /64: %d", ip, s)
			}
		}
		if s := send("2001:db8:1:3::1"); s != http.StatusNoContent {
			t.Errorf("the next /64: %d", s)
		}
	})

	t.Run("per site", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.RateIP = -1; c.RateSite = 1 }) // burst 2
		site, x := e.runningExperiment()
		other := e.site("Other")
		y := e.transition(e.experiment(other.ID, "Other hero").ID, "start")
		for i := 0; i < 2; i++ {
			resp, body := e.postRaw(eventBody(site.Key, "v"+itoa(i), x.ID, "b", false), nil)
			wantStatus(t, resp, http.StatusNoContent, body)
		}
		resp, body := e.postRaw(eventBody(site.Key, "v3", x.ID, "b", false), nil)
		wantLimited(t, resp, body)
		wantContains(t, body, `"field":"site"`)
		resp, body = e.postRaw(eventBody(other.Key, "v4", y.ID, "b", false), nil)
		wantStatus(t, resp, http.StatusNoContent, body)
		// Unknown sites are refused before the limit: no bucket for them.
		resp, body = e.postRaw(eventBody("aaaaaaaaaaaaaaaa", "v5", x.ID, "b", false), nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		if n := e.app.rateSite.size(); n != 2 {
			t.Errorf("%d site buckets, want 2", n)
		}
	})

	t.Run("off", func(t *testing.T) {
		e := newEnvWith(t, func(c *Config) { c.RateIP = -1; c.RateSite = -1 })
		if e.app.rateIP != nil || e.app.rateSite != nil {
			t.Error("limiters exist with the limits off")
		}
	})
}

func TestLimitKey(t *testing.T) {
	tests := []struct {
		name, ip, want string
	}{
		{"IPv4", "203.0.113.7", "203.0.113.7"},
		{"IPv4-mapped IPv6", "::ffff:203.0.113.7", "203.0.113.7"},
		{"IPv6", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"IPv6, another host of the /64", "2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"IPv6, the next /64", "2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"IPv6 with a zone", "fe80::1%eth0", "fe80::/64"},
		{"IPv6 loopback", "::1", "::/64"},
		{"not an address", "<nil>", "<nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := limitKey(tt.ip); got != tt.want {
				t.Errorf("limitKey(%q) = %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}
