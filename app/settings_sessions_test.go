package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// User agents of real browsers, as they sign in.
const (
	uaChromeMac   = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	uaFirefoxWin  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
	uaSafariPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	uaEdgeAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.0.0"
)

// signInWith signs email in from a new browser that sends the user agent
// ua, and returns it with the session's CSRF token picked up.
func (e *env) signInWith(email, ua string) *client {
	e.t.Helper()
	c := e.client()
	c.get("/login")
	v := url.Values{"_csrf": {c.csrf}, "email": {email}, "password": {testPassword}}
	req := newRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", ua)
	if resp, body := c.send(req); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d: %s", email, resp.StatusCode, body)
	}
	c.get("/settings")
	return c
}

// sessionIDs are the public ids of the signed-in browsers a settings page
// lists, in its order.
func sessionIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`data-session="([0-9a-f]{32})"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// sessionsOf is the store's list of email's sessions, with the one of
// client c marked (nil: none).
func (e *env) sessionsOf(email string, c *client) []experiments.BrowserSession {
	e.t.Helper()
	u, _, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	current := ""
	if c != nil {
		current = hashSecret(c.cookies["copylab_session"])
	}
	list, err := e.store.UserSessions(context.Background(), u.ID, current)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// idOf is the public id of client c's session.
func (e *env) idOf(email string, c *client) string {
	e.t.Helper()
	for _, s := range e.sessionsOf(email, c) {
		if s.Current {
			return s.ID
		}
	}
	e.t.Fatalf("%s: the client has no session", email)
	return ""
}

// TestSettingsSessionsList: Settings lists the user's own live sessions
// and no one else's, this browser first and marked, the others the most
// recently seen first, each named by browser and system with when it
// signed in and was last seen; a session without a user agent (as from
// before migration 0012) is an unknown browser; the user agent, the
// browser's own text, is escaped and kept to 512 bytes.
func TestSettingsSessionsList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.addUser("ann@example.com")
	e.addUser("bob@example.com")
	hostile := uaFirefoxWin + ` "><script>alert(1)</script>`
	firefox := e.signInWith("ann@example.com", hostile)
	phone := e.signInWith("ann@example.com", uaEdgeAndroid+strings.Repeat(" é", 1000))
	mac := e.signInWith("ann@example.com", uaChromeMac)
	bob := e.signInWith("bob@example.com", uaSafariPhone)
	ann, _, _ := e.store.UserByEmail(ctx, "ann@example.com")
	if err := e.store.CreateSession(ctx, hashSecret("from before 0012"), ann.ID, newSecret(), "", "", e.app.now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	// Firefox was seen 3 hours ago, the phone 2 days ago, and signed in 5
	// days ago; the old session 3 days ago.
	now := e.app.now()
	for _, u := range []struct {
		hash           string
		signedIn, seen time.Duration
	}{
		{hashSecret(firefox.cookies["copylab_session"]), 4 * time.Hour, 3 * time.Hour},
		{hashSecret(phone.cookies["copylab_session"]), 5 * 24 * time.Hour, 2 * 24 * time.Hour},
		{hashSecret("from before 0012"), 3 * 24 * time.Hour, 3 * 24 * time.Hour},
	} {
		if _, err := e.store.Writer().Exec(`update sessions set created_at = ?, last_seen_at = ? where id_hash = ?`,
			now.Add(-u.signedIn).UnixMilli(), now.Add(-u.seen).UnixMilli(), u.hash); err != nil {
			t.Fatal(err)
		}
	}

	resp, body := mac.get("/settings")
	wantStatus(t, resp, http.StatusOK, body)
	section := body[strings.Index(body, `id="sessions"`):]
	section = section[:strings.Index(section, "</section>")]
	want := []string{e.idOf("ann@example.com", mac), e.idOf("ann@example.com", firefox), e.idOf("ann@example.com", phone)}
	ids := sessionIDs(section)
	if len(ids) != 4 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
		t.Errorf("sessions listed %v, want this browser, Firefox, the phone, then the old one: %v", ids, want)
	}
	if bobs := e.idOf("bob@example.com", bob); strings.Contains(body, bobs) {
		t.Error("Bob's session is on Ann's page")
	}
	wantContains(t, section, "Signed-in browsers", "Chrome on macOS", "Firefox on Windows", "Edge on Android", "Unknown browser",
		">this browser<", "3 hours ago", "4 hours ago", "2 days ago", "5 days ago",
		`action="/settings/sessions/`+want[1]+`/delete"`, `action="/settings/sessions/delete-others"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;") // the title, escaped
	wantNotContains(t, body, "Safari on iOS", "<script>alert(1)", `action="/settings/sessions/`+want[0]+`/delete"`,
		"No other browser is signed in")
	if n := strings.Count(section, ">this browser<"); n != 1 {
		t.Errorf(`"this browser" %d times`, n)
	}

	for _, s := range e.sessionsOf("ann@example.com", nil) {
		if len(s.UserAgent) > experiments.MaxSessionUserAgent || !utf8.ValidString(s.UserAgent) {
			t.Errorf("stored user agent of %d bytes (valid UTF-8: %v)", len(s.UserAgent), utf8.ValidString(s.UserAgent))
		}
	}

	// Bob, alone, sees only himself.
	_, body = bob.get("/settings")
	wantContains(t, body, "Safari on iOS", ">this browser<", "No other browser is signed in as you.")
	if ids := sessionIDs(body); len(ids) != 1 {
		t.Errorf("Bob sees %d sessions", len(ids))
	}
}

// TestSettingsSessionSignOut: Sign out ends one of the user's other
// sessions (that browser's next request goes to sign in) and no other;
// another user's session, or one that does not exist, is not found; an id
// that is not one is a 400; the form needs the CSRF token; and signing
// out this browser's own session signs it out.
func TestSettingsSessionSignOut(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	e.addUser("bob@example.com")
	ann := e.signInWith("ann@example.com", uaChromeMac)
	other := e.signInWith("ann@example.com", uaFirefoxWin)
	third := e.signInWith("ann@example.com", uaEdgeAndroid)
	bob := e.signInWith("bob@example.com", uaSafariPhone)
	otherID, bobID := e.idOf("ann@example.com", other), e.idOf("bob@example.com", bob)
	ann.get("/settings")

	t.Run("without the CSRF token", func(t *testing.T) {
		resp, body := ann.post("/settings/sessions/"+otherID+"/delete", url.Values{"_csrf": {""}})
		wantStatus(t, resp, http.StatusForbidden, body)
		if resp, _ := other.get("/sites"); resp.StatusCode != http.StatusOK {
			t.Errorf("the other browser was signed out: %d", resp.StatusCode)
		}
		ann.get("/settings")
	})

	t.Run("another user's", func(t *testing.T) {
		resp, body := ann.post("/settings/sessions/"+bobID+"/delete", nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, "There is nothing here.")
		if resp, _ := bob.get("/sites"); resp.StatusCode != http.StatusOK {
			t.Errorf("Bob was signed out: %d", resp.StatusCode)
		}
		ann.get("/settings")
	})

	t.Run("not an id", func(t *testing.T) {
		for _, id := range []string{"nope", strings.ToUpper(otherID), otherID[:31], otherID + "0", "%3Cscript%3E"} {
			resp, body := ann.post("/settings/sessions/"+id+"/delete", nil)
			wantStatus(t, resp, http.StatusBadRequest, body)
			wantContains(t, body, "That is not the id of a signed-in browser.")
			ann.get("/settings")
		}
	})

	t.Run("no such session", func(t *testing.T) {
		resp, body := ann.post("/settings/sessions/"+strings.Repeat("0", 32)+"/delete", nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		ann.get("/settings")
	})

	t.Run("another browser", func(t *testing.T) {
		resp, body := ann.post("/settings/sessions/"+otherID+"/delete", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc(resp) != "/settings#sessions" {
			t.Errorf("Location %q", loc(resp))
		}
		_, body = ann.get("/settings")
		wantContains(t, body, "That browser is signed out.")
		wantNotContains(t, body, otherID)
		resp, _ = other.get("/sites")
		wantStatus(t, resp, http.StatusSeeOther, "")
		if loc(resp) != "/login?next=%2Fsites" {
			t.Errorf("the signed-out browser went to %q", loc(resp))
		}
		if resp, _ := third.get("/sites"); resp.StatusCode != http.StatusOK {
			t.Errorf("the third browser was signed out too: %d", resp.StatusCode)
		}
		// Signed out is signed out: the same id again is not found.
		resp, body = ann.post("/settings/sessions/"+otherID+"/delete", nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		ann.get("/settings")
	})

	t.Run("this browser", func(t *testing.T) {
		resp, body := ann.post("/settings/sessions/"+e.idOf("ann@example.com", ann)+"/delete", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc(resp) != "/login" {
			t.Errorf("Location %q", loc(resp))
		}
		if resp, _ := ann.get("/settings"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("still signed in: %d", resp.StatusCode)
		}
		if resp, _ := third.get("/sites"); resp.StatusCode != http.StatusOK {
			t.Errorf("the third browser was signed out: %d", resp.StatusCode)
		}
	})
}

// TestSettingsSignOutOtherBrowsers: "Sign out all other browsers" signs out
// every other browser of the user (not other users'), and their device
// cookies, and this browser's old one, no longer lift the per-email limit,
// while the new cookie this browser gets does. A password change after it
// still voids that new cookie.
func TestSettingsSignOutOtherBrowsers(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	e.addUser("bob@example.com")
	ann := e.signInWith("ann@example.com", uaChromeMac)
	others := []*client{e.signInWith("ann@example.com", uaFirefoxWin), e.signInWith("ann@example.com", uaEdgeAndroid)}
	bob := e.signInWith("bob@example.com", uaSafariPhone)
	elsewhere := e.signInDevice("198.51.100.9", "ann@example.com", testPassword) // signed in too; its session is the third
	annBefore, otherDevice := ann.cookies[deviceCookie], others[0].cookies[deviceCookie]
	if annBefore == "" || otherDevice == "" {
		t.Fatal("no device cookies")
	}

	resp, body := ann.post("/settings/sessions/delete-others", url.Values{"_csrf": {""}})
	wantStatus(t, resp, http.StatusForbidden, body)

	resp, body = ann.post("/settings/sessions/delete-others", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	annAfter := ann.cookies[deviceCookie]
	if annAfter == "" || annAfter == annBefore {
		t.Fatalf("this browser's device cookie was not renewed: %q", annAfter)
	}
	_, body = ann.get("/settings")
	wantContains(t, body, "3 other browsers are signed out. Only this browser is still signed in.", "No other browser is signed in as you.")
	if ids := sessionIDs(body); len(ids) != 1 {
		t.Errorf("%d sessions listed", len(ids))
	}
	for i, c := range others {
		if resp, _ := c.get("/sites"); resp.StatusCode != http.StatusSeeOther || loc(resp) != "/login?next=%2Fsites" {
			t.Errorf("browser %d: status %d to %q, want sent to sign in", i, resp.StatusCode, loc(resp))
		}
	}
	if resp, _ := ann.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Errorf("this browser was signed out: %d", resp.StatusCode)
	}
	if resp, _ := bob.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Errorf("Bob was signed out: %d", resp.StatusCode)
	}

	// Again, with no one left: said so, and a new cookie once more.
	resp, body = ann.post("/settings/sessions/delete-others", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = ann.get("/settings")
	wantContains(t, body, "No other browser was signed in.")
	annAfter = ann.cookies[deviceCookie]

	e.botnet(0, "ann@example.com")
	for i, tt := range []struct {
		name, device string
		want         int
	}{
		{"another browser's", otherDevice, http.StatusTooManyRequests},
		{"a third browser's", elsewhere, http.StatusTooManyRequests},
		{"this browser's old one", annBefore, http.StatusTooManyRequests},
		{"this browser's new one", annAfter, http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if s := e.loginDevice(fmt.Sprintf("203.0.113.%d", i+1), "ann@example.com", testPassword, tt.device); s != tt.want {
				t.Errorf("status %d, want %d", s, tt.want)
			}
		})
	}

	// A new password still voids every cookie, the renewed one included.
	const newPassword = "a new long passphrase"
	resp, body = ann.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password2": {newPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	// The change forgets the guesses of the old password (78f0d1f), so
	// the email is locked again by guesses of the new one: only a cookie
	// that still counts lets Ann in.
	e.botnet(1, "ann@example.com")
	if s := e.loginDevice("203.0.113.50", "ann@example.com", newPassword, annAfter); s != http.StatusTooManyRequests {
		t.Errorf("the cookie from before the password change: %d", s)
	}
	if s := e.loginDevice("203.0.113.51", "ann@example.com", newPassword, ann.cookies[deviceCookie]); s != http.StatusSeeOther {
		t.Errorf("the cookie from the password change: %d", s)
	}
}

// TestSetupRecordsBrowser: the first account, signed in by setup, is
// listed with the browser that made it.
func TestSetupRecordsBrowser(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/setup?token=" + testSetupToken)
	v := url.Values{"_csrf": {c.csrf}, "token": {testSetupToken}, "email": {"owner@example.com"}, "password": {testPassword}, "password2": {testPassword}}
	req := newRequest(http.MethodPost, "/setup", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", uaFirefoxWin)
	resp, body := c.send(req)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get("/settings")
	wantContains(t, body, "Firefox on Windows", ">this browser<")
}

// TestBrowserSummary names browsers from their user agents.
func TestBrowserSummary(t *testing.T) {
	for _, tt := range []struct{ name, ua, want string }{
		{"Chrome on a Mac", uaChromeMac, "Chrome on macOS"},
		{"Firefox on Windows", uaFirefoxWin, "Firefox on Windows"},
		{"Safari on an iPhone", uaSafariPhone, "Safari on iOS"},
		{"Edge on Android", uaEdgeAndroid, "Edge on Android"},
		{"Safari on an iPad", "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1", "Safari on iPadOS"},
		{"Chrome on a Chromebook", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS"},
		{"Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"},
		{"a script", "curl/8.5.0", "Unknown browser"},
		{"none", "", "Unknown browser"},
		{"an unknown browser on Linux", "Mozilla/5.0 (X11; Linux x86_64) Something/1.0", "A browser on Linux"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := browserSummary(tt.ua); got != tt.want {
				t.Errorf("browserSummary = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSessionLastSeen: a request records when the browser was last seen,
// at most once an hour, also once the session's expiry has reached its
// cap and no longer moves.
func TestSessionLastSeen(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	c := e.signInWith("ann@example.com", uaChromeMac)
	hash := hashSecret(c.cookies["copylab_session"])
	now := e.app.now()
	for _, tt := range []struct {
		name     string
		signedIn time.Duration // before now
		seen     time.Duration // before now
		moved    bool
	}{
		{"expiry capped, seen 3 hours ago", 20 * 24 * time.Hour, 3 * time.Hour, true},
		{"expiry capped, seen 10 minutes ago", 20 * 24 * time.Hour, 10 * time.Minute, false},
		{"expiry sliding, seen 3 hours ago", 2 * 24 * time.Hour, 3 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			created := now.Add(-tt.signedIn)
			expires := sessionExpiry(created, now.Add(-tt.seen))
			seen := now.Add(-tt.seen).UnixMilli()
			if _, err := e.store.Writer().Exec(`update sessions set created_at = ?, expires_at = ?, last_seen_at = ? where id_hash = ?`,
				created.UnixMilli(), expires.UnixMilli(), seen, hash); err != nil {
				t.Fatal(err)
			}
			resp, body := c.get("/sites")
			wantStatus(t, resp, http.StatusOK, body)
			sess, _, err := e.store.SessionByHash(context.Background(), hash)
			if err != nil {
				t.Fatal(err)
			}
			if moved := sess.LastSeenAt.UnixMilli() != seen; moved != tt.moved {
				t.Errorf("last seen %v (was %v): moved %v, want %v", sess.LastSeenAt, time.UnixMilli(seen), moved, tt.moved)
			}
			if sess.LastSeenAt.Before(time.UnixMilli(seen)) || sess.ExpiresAt.After(created.Add(sessionMaxAge)) {
				t.Errorf("last seen %v, expires %v", sess.LastSeenAt, sess.ExpiresAt)
			}
		})
	}
}

// TestSettingsSessionSignOutVoidsDevice: signing out one other browser
// under Settings voids that browser's device cookie too (past the
// per-email ceiling it no longer lifts the limit), and no other: another
// browser's cookie still does, and so does the cookie of a browser that
// signed itself out there.
func TestSettingsSessionSignOutVoidsDevice(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	ann := e.signInWith("ann@example.com", uaChromeMac)
	lost := e.signInWith("ann@example.com", uaFirefoxWin)
	kept := e.signInWith("ann@example.com", uaEdgeAndroid)
	self := e.signInWith("ann@example.com", uaSafariPhone)
	lostDevice, keptDevice, selfDevice := lost.cookies[deviceCookie], kept.cookies[deviceCookie], self.cookies[deviceCookie]
	if lostDevice == "" || keptDevice == "" || selfDevice == "" {
		t.Fatal("no device cookies")
	}
	resp, body := ann.post("/settings/sessions/"+e.idOf("ann@example.com", lost)+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	resp, body = self.post("/settings/sessions/"+e.idOf("ann@example.com", self)+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)

	e.botnet(0, "ann@example.com")
	for i, tt := range []struct {
		name, device string
		want         int
	}{
		{"the signed-out browser's", lostDevice, http.StatusTooManyRequests},
		{"another browser's", keptDevice, http.StatusSeeOther},
		{"a browser that signed itself out", selfDevice, http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if s := e.loginDevice(fmt.Sprintf("203.0.113.%d", i+1), "ann@example.com", testPassword, tt.device); s != tt.want {
				t.Errorf("status %d, want %d", s, tt.want)
			}
		})
	}
}

// deviceCookieID is the id inside a device cookie's value (expiry.id.mac).
func deviceCookieID(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// "Sign out all other browsers" re-signs the device cookie a browser has
// under the same id, so the device keeps its failed sign-ins, and gives
// none to a browser that has only a session: a stolen session cookie must
// not buy a fresh device, and ten more password guesses, each time.
func TestSignOutOthersMintsNoDevice(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	ann := e.signInWith("ann@example.com", uaChromeMac)
	before := ann.cookies[deviceCookie]
	ann.get("/settings")
	resp, body := ann.post("/settings/sessions/delete-others", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	after := ann.cookies[deviceCookie]
	if after == before || deviceCookieID(after) == "" || deviceCookieID(after) != deviceCookieID(before) {
		t.Errorf("device cookie %q after %q: want it signed again under the same id", after, before)
	}

	thief := e.client()
	for k, v := range ann.cookies {
		if k != deviceCookie {
			thief.cookies[k] = v
		}
	}
	_, body = thief.get("/settings")
	wantContains(t, body, "Signed-in browsers")
	resp, body = thief.post("/settings/sessions/delete-others", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if v := thief.cookies[deviceCookie]; v != "" {
		t.Errorf("a browser with only a session got a device cookie: %q", v)
	}
	// The real browser's cookie stopped counting with the new device key;
	// it is its own session's standing it lost, not the thief's gain.
	if resp, _ := thief.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Errorf("the session itself was signed out: %d", resp.StatusCode)
	}
}

// bcrypt compares only a password's first 72 bytes; sign-in refuses a
// longer one rather than letting text after the right password through.
func TestSignInRefusesPasswordPast72Bytes(t *testing.T) {
	e := newLoginEnv(t)
	long := strings.Repeat("correct horse battery staple ", 3)[:MaxPasswordBytes]
	if _, _, err := addUser(context.Background(), e.store, "ann@example.com", "", long, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	if s := e.login("203.0.113.7", "ann@example.com", long+"anything at all"); s == http.StatusSeeOther {
		t.Error("a password longer than 72 bytes signed in with the right first 72")
	}
	if s := e.login("203.0.113.8", "ann@example.com", long); s != http.StatusSeeOther {
		t.Errorf("the right password: status %d, want a sign-in", s)
	}
}
