package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copylab/app/syncbuf"
)

// TestSignInPauseLogged: when the sign-in limiter pauses a client address,
// the log says so at WARN, naming the address, at most once a minute
// however many sign-ins it refuses.
func TestSignInPauseLogged(t *testing.T) {
	logs := &syncbuf.Buffer{}
	e := newEnvConfig(t, func(c *Config) {
		c.TrustedProxies = []string{"0.0.0.0"} // Fiber's Test peer: X-Forwarded-For picks the client
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	now := time.Now()
	e.app.logins.now = func() time.Time { return now }
	const ip = "203.0.113.9"
	for i := range loginMaxPerClient {
		if s := e.login(ip, "user"+itoa(i)+"@example.com", "wrong password"); s != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i, s)
		}
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Fatalf("warned before any pause:\n%s", logs.String())
	}
	for range 3 {
		if s := e.login(ip, "someone@example.com", testPassword); s != http.StatusTooManyRequests {
			t.Fatalf("past the limit: status %d", s)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "level=WARN"); n != 1 {
		t.Fatalf("%d warnings for three refusals within a minute, want 1:\n%s", n, out)
	}
	wantContains(t, out, "sign-in is paused for everyone at this client address", "client="+ip)
	wantNotContains(t, out, "--trusted-proxies") // a proxy is trusted, and the client is not loopback

	// A minute on, the next refusal is said again.
	now = now.Add(pauseNoteEvery)
	if s := e.login(ip, "someone@example.com", testPassword); s != http.StatusTooManyRequests {
		t.Fatalf("a minute later: status %d", s)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 2 {
		t.Errorf("%d warnings a minute later, want 2", n)
	}
}

// TestSignInPauseLoggedLoopback: with no trusted proxy, everyone behind a
// proxy on this host signs in from loopback and shares one client's
// limit; the warning of the pause names --trusted-proxies.
func TestSignInPauseLoggedLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startRun(t, ctx, Config{DBPath: filepath.Join(t.TempDir(), "copylab.db"), BcryptCost: 10})
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "http://" + r.addr
	resp, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("no form token in the sign-in page")
	}
	login := func(email string) int {
		t.Helper()
		resp, err := hc.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "email": {email}, "password": {"wrong password"}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range loginMaxPerClient {
		if s := login("user" + itoa(i) + "@example.com"); s != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i, s)
		}
	}
	if s := login("someone@example.com"); s != http.StatusTooManyRequests {
		t.Fatalf("past the limit: status %d", s)
	}
	cancel()
	<-r.done
	out := r.logs.String()
	wantContains(t, out, "level=WARN msg=\"sign-in is paused for everyone at this client address", "client=127.0.0.1",
		"not in --trusted-proxies (COPYLAB_TRUSTED_PROXIES)")
}
