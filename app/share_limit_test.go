package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestShareLinkRateLimit: a share link's page, its refreshed parts and its
// files share one limit per client address. Past it they answer 429 with
// Retry-After and a short page that says to wait, sent with the share
// pages' own headers; another address, and the loopback (the operator's
// tools, or a proxy not configured as trusted), are not held back.
func TestShareLinkRateLimit(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	_, x := e.runningExperiment()
	base := "/r/" + x.ShareToken
	get := func(path, ip string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		req.Header.Set("X-Forwarded-For", ip)
		resp := e.do(req)
		return resp, readBody(t, resp)
	}

	const looper = "203.0.113.7"
	var resp *http.Response
	var body string
	n := 0
	for n = 1; n <= 500; n++ {
		if resp, body = get(base+"/live", looper); resp.StatusCode != http.StatusOK {
			break
		}
	}
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	if n < 20 {
		t.Errorf("refused after %d requests: a person opening the page in a few tabs would be", n)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want a page", ct)
	}
	wantContains(t, body, "Too many requests", "Wait")
	if h := resp.Header.Get("Referrer-Policy"); h != "no-referrer" {
		t.Errorf("Referrer-Policy %q: the link's token could leak", h)
	}
	if h := resp.Header.Get("X-Robots-Tag"); !strings.Contains(h, "noindex") {
		t.Errorf("X-Robots-Tag %q", h)
	}

	// Every address under the link takes from the same bucket.
	for _, path := range []string{base, base + "/trends", base + "/results.csv", base + "/daily.csv", base + "/recordings?variant=b", "/r/" + strings.Repeat("a", len(x.ShareToken))} {
		if resp, body := get(path, looper); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("%s: status %d, want 429: %.300s", path, resp.StatusCode, body)
		}
	}
	// Another address is not held back, nor is the loopback.
	if resp, body := get(base+"/live", "198.51.100.9"); resp.StatusCode != http.StatusOK {
		t.Errorf("another address: status %d: %.300s", resp.StatusCode, body)
	}
	for i := range 100 {
		if resp, _ := get(base+"/live", "127.0.0.1"); resp.StatusCode != http.StatusOK {
			t.Fatalf("loopback request %d: status %d", i, resp.StatusCode)
		}
	}
	// The limit is the share links' own: the snippet and the sign-in page
	// still answer the looping address.
	if resp, body := get("/login", looper); resp.StatusCode != http.StatusOK {
		t.Errorf("/login: status %d: %.300s", resp.StatusCode, body)
	}
}

// TestShareLimitFitsViewers: people watching a share page from one
// address — each tab asks for the page, then its results every 5 s and
// its charts every 30 s (views/results_report.templ) — are never held
// back, eight tabs at once included, each opened with its two CSV files;
// a client looping the statistics is held to shareRate.
func TestShareLimitFitsViewers(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newShareLimiter()
	l.now, l.epoch = clock.now, clock.now()
	const tabs = 8
	for i := range tabs * 3 { // the pages and their CSV files, all at once
		if ok, _ := l.allow("office"); !ok {
			t.Fatalf("opening %d tabs: request %d refused", tabs, i)
		}
	}
	for s := 1; s <= 3600; s++ {
		clock.add(time.Second)
		for tab := range tabs {
			// The tabs' timers run out of step with each other.
			if (s+tab)%5 == 0 {
				if ok, _ := l.allow("office"); !ok {
					t.Fatalf("second %d: tab %d's results refused", s, tab)
				}
			}
			if (s+tab*3)%30 == 0 {
				if ok, _ := l.allow("office"); !ok {
					t.Fatalf("second %d: tab %d's charts refused", s, tab)
				}
			}
		}
	}

	allowed := 0
	for range 60 * 20 { // a minute at 20 requests a second
		clock.add(50 * time.Millisecond)
		if ok, _ := l.allow("looper"); ok {
			allowed++
		}
	}
	if limit := 60*shareRate + shareBurst; allowed > limit {
		t.Errorf("a looping client got %d requests in a minute, over %d", allowed, limit)
	}
}
