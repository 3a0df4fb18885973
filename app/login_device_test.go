package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// signInDevice signs email in from ip with a new browser and returns the
// device cookie it was given.
func (e *env) signInDevice(ip, email, password string) string {
	e.t.Helper()
	resp := e.do(e.loginRequest(ip, email, password))
	readBody(e.t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s from %s: status %d", email, ip, resp.StatusCode)
	}
	for _, k := range resp.Cookies() {
		if k.Name == e.app.cookieName(deviceCookie) && k.Value != "" {
			return k.Value
		}
	}
	e.t.Fatalf("sign in as %s: no device cookie", email)
	return ""
}

// loginDevice sends one sign-in from ip with a device cookie (none when
// device is "") and returns its status.
func (e *env) loginDevice(ip, email, password, device string) int {
	e.t.Helper()
	req := e.loginRequest(ip, email, password)
	if device != "" {
		req.AddCookie(&http.Cookie{Name: e.app.cookieName(deviceCookie), Value: device})
	}
	resp := e.do(req)
	readBody(e.t, resp)
	return resp.StatusCode
}

// botnet spends email's whole per-email ceiling on wrong passwords, from
// as many addresses of network 10.net.0.0/16 as that takes (each is held
// to the strict limit).
func (e *env) botnet(net int, email string) {
	e.t.Helper()
	for i := 0; i < loginMaxPerEmail; i++ {
		if s := e.login(fmt.Sprintf("10.%d.%d.1", net, i/loginMaxFailures), email, "wrong password!"); s != http.StatusUnauthorized {
			e.t.Fatalf("guess %d: %d", i, s)
		}
	}
}

// TestLoginDeviceCookieCeiling checks that guessing spread over many
// addresses, which reaches the per-email ceiling and so refuses a new
// browser, does not lock the owner out of a browser they have signed in
// from before; and that the owner's own mistakes there do not bring the
// ceiling nearer for anyone.
func TestLoginDeviceCookieCeiling(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	device := e.signInDevice("198.51.100.1", "ann@example.com", testPassword)

	// All but one of the ceiling's attempts are spent; the owner's typo,
	// from their browser, does not spend the last one.
	for i := 0; i < loginMaxPerEmail-1; i++ {
		if s := e.login(fmt.Sprintf("192.0.2.%d", i/loginMaxFailures), "ann@example.com", "wrong password!"); s != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	if s := e.loginDevice("198.51.100.1", "ann@example.com", "a typo, sorry", device); s != http.StatusUnauthorized {
		t.Fatalf("the owner's typo: %d", s)
	}
	if s := e.login("203.0.113.50", "ann@example.com", "wrong password!"); s != http.StatusUnauthorized {
		t.Fatalf("the ceiling's last attempt: %d (the owner's typo counted against it)", s)
	}

	// Now the ceiling is reached: a new browser is refused, right password
	// or not, from any address...
	resp := e.do(e.loginRequest("203.0.113.51", "ann@example.com", testPassword))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	wantContains(t, body, "Too many attempts")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// ...but the owner's browser signs in, from where it was or from a new
	// address, and gets a new device cookie.
	if s := e.loginDevice("198.51.100.1", "ann@example.com", testPassword, device); s != http.StatusSeeOther {
		t.Errorf("the owner's browser: %d", s)
	}
	req := e.loginRequest("198.51.100.77", "ann@example.com", testPassword)
	req.AddCookie(&http.Cookie{Name: deviceCookie, Value: device})
	resp = e.do(req)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner's browser on a new network: %d", resp.StatusCode)
	}
	var renewed *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == deviceCookie {
			renewed = k
		}
	}
	if renewed == nil || renewed.Value == device {
		t.Fatalf("no new device cookie: %v", renewed)
	}
	if !renewed.HttpOnly || renewed.SameSite != http.SameSiteLaxMode || renewed.Path != "/" || renewed.Secure {
		t.Errorf("device cookie flags: %s", renewed.Raw)
	}
	if left := time.Until(renewed.Expires); left < deviceTTL-time.Hour || left > deviceTTL {
		t.Errorf("device cookie expires in %v, want %v", left, deviceTTL)
	}
}

// TestLoginDeviceCookieLimits checks that a device cookie is no licence
// to guess: each cookie has a limit of its own over all clients, as strict
// as an address's for one email, past which it counts against the pair,
// the client and the email like any other attempt.
func TestLoginDeviceCookieLimits(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	// Three of Ann's browsers, each with a device cookie of its own.
	var devices [3]string
	for i := range devices {
		devices[i] = e.signInDevice(fmt.Sprintf("198.51.100.%d", i+1), "ann@example.com", testPassword)
	}
	e.botnet(0, "ann@example.com")

	t.Run("per client and email", func(t *testing.T) {
		for i := 0; i < loginMaxFailures; i++ {
			if s := e.loginDevice("203.0.113.9", "ann@example.com", "wrong password!", devices[0]); s != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, s)
			}
		}
		// The cookie's quota is spent: it now counts like no cookie, and
		// the email's ceiling (the botnet's) refuses it.
		if s := e.loginDevice("203.0.113.9", "ann@example.com", testPassword, devices[0]); s != http.StatusTooManyRequests {
			t.Errorf("past the cookie's limit: %d", s)
		}
	})

	t.Run("per device", func(t *testing.T) {
		// Those failures were the first cookie's whole quota: stolen and
		// used from a new address, it now meets the email's ceiling like
		// any browser.
		if s := e.loginDevice("203.0.113.10", "ann@example.com", testPassword, devices[0]); s != http.StatusTooManyRequests {
			t.Errorf("a device past its own limit, from a new address: %d", s)
		}
	})

	t.Run("spread over clients", func(t *testing.T) {
		for i := 0; i < loginMaxPerDevice; i++ {
			if s := e.loginDevice(fmt.Sprintf("203.0.113.%d", 100+i), "ann@example.com", "wrong password!", devices[2]); s != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, s)
			}
		}
		if s := e.loginDevice("203.0.113.200", "ann@example.com", testPassword, devices[2]); s != http.StatusTooManyRequests {
			t.Errorf("past the device's limit from a new address: %d", s)
		}
		// The second browser, untouched, still signs in.
		if s := e.loginDevice("198.51.100.2", "ann@example.com", testPassword, devices[1]); s != http.StatusSeeOther {
			t.Errorf("another of the owner's browsers: %d", s)
		}
	})
}

// TestLoginDeviceCookieSharedAddress checks that guessing from the owner's
// own address (a carrier's NAT, an office), which fills the per-client and
// per-client-and-email limits there, does not refuse the owner's browser,
// and that the owner's own failures there leave the guesser's quota as it
// was.
func TestLoginDeviceCookieSharedAddress(t *testing.T) {
	e := newLoginEnv(t)
	e.addUser("ann@example.com")
	e.addUser("bob@example.com")
	device := e.signInDevice("100.64.0.1", "ann@example.com", testPassword)

	// The guesser behind the same address: Ann's email up to the pair's
	// limit, then others' up to the client's.
	for i := 0; i < loginMaxFailures; i++ {
		if s := e.login("100.64.0.1", "ann@example.com", "wrong password!"); s != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	for i := loginMaxFailures; i < loginMaxPerClient; i++ {
		if s := e.login("100.64.0.1", fmt.Sprintf("user%d@example.com", i), "wrong password!"); s != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	if s := e.login("100.64.0.1", "bob@example.com", testPassword); s != http.StatusTooManyRequests {
		t.Fatalf("a browser without a cookie at the full address: %d", s)
	}

	// Ann's browser, same address: a typo, then her password.
	if s := e.loginDevice("100.64.0.1", "ann@example.com", "a typo, sorry", device); s != http.StatusUnauthorized {
		t.Errorf("the owner's typo: %d", s)
	}
	if s := e.loginDevice("100.64.0.1", "ann@example.com", testPassword, device); s != http.StatusSeeOther {
		t.Errorf("the owner's browser at the shared address: %d", s)
	}
	// Her sign-in gave the guesser nothing back.
	if s := e.login("100.64.0.1", "ann@example.com", "wrong password!"); s != http.StatusTooManyRequests {
		t.Errorf("the guesser after the owner's sign-in: %d", s)
	}
}

// TestLoginDeviceCookieInvalid checks that only a cookie this app gave for
// this account, unexpired and signed since the password last changed,
// lifts the ceiling.
func TestLoginDeviceCookieInvalid(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	e.addUser("ann@example.com")
	e.addUser("bob@example.com")
	const newPassword = "a new long passphrase"

	valid := e.signInDevice("198.51.100.1", "ann@example.com", testPassword)
	bobs := e.signInDevice("198.51.100.2", "bob@example.com", testPassword)

	// One from a year and a day ago, expired since.
	realNow := e.app.now
	e.app.now = func() time.Time { return realNow().Add(-deviceTTL - 24*time.Hour) }
	expired := e.signInDevice("198.51.100.3", "ann@example.com", testPassword)
	e.app.now = realNow

	exp, id, _ := strings.Cut(valid, ".")
	id, sig, _ := strings.Cut(id, ".")
	later := fmt.Sprint(time.Now().Add(2*deviceTTL).Unix()) + "." + id + "." + sig
	forged := exp + "." + id + "." + strings.Repeat("A", len(sig))

	// Cy's browsers: one changes the password under Settings, so the
	// other's cookie is older than the password.
	cy := e.signIn("cy@example.com")
	before := e.signInDevice("198.51.100.4", "cy@example.com", testPassword)
	resp, body := cy.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password2": {newPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	changer := cy.cookies[deviceCookie]
	if changer == "" {
		t.Fatal("no device cookie after changing the password")
	}

	// Dan's password is reset from the command line.
	e.addUser("dan@example.com")
	danBefore := e.signInDevice("198.51.100.5", "dan@example.com", testPassword)
	if _, _, err := changePassword(ctx, e.store, "dan@example.com", newPassword, bcrypt.MinCost, false); err != nil {
		t.Fatal(err)
	}

	// Eve is removed and added again, with the same password.
	eve := e.addUser("eve@example.com")
	eveBefore := e.signInDevice("198.51.100.6", "eve@example.com", testPassword)
	if _, err := e.store.DeleteUser(ctx, eve.ID); err != nil {
		t.Fatal(err)
	}
	e.addUser("eve@example.com")

	for i, email := range []string{"ann@example.com", "cy@example.com", "dan@example.com", "eve@example.com"} {
		e.botnet(i, email)
	}

	tests := []struct {
		name, email, password, device string
		want                          int
	}{
		{"valid", "ann@example.com", testPassword, valid, http.StatusSeeOther},
		{"none", "ann@example.com", testPassword, "", http.StatusTooManyRequests},
		{"forged", "ann@example.com", testPassword, forged, http.StatusTooManyRequests},
		{"expiry moved", "ann@example.com", testPassword, later, http.StatusTooManyRequests},
		{"another account's", "ann@example.com", testPassword, bobs, http.StatusTooManyRequests},
		{"expired", "ann@example.com", testPassword, expired, http.StatusTooManyRequests},
		{"garbage", "ann@example.com", testPassword, "not.a.cookie", http.StatusTooManyRequests},
		{"from before a password change", "cy@example.com", newPassword, before, http.StatusTooManyRequests},
		{"from the password change", "cy@example.com", newPassword, changer, http.StatusSeeOther},
		{"from before a password reset", "dan@example.com", newPassword, danBefore, http.StatusTooManyRequests},
		{"from before the account was removed", "eve@example.com", testPassword, eveBefore, http.StatusTooManyRequests},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := e.loginDevice(fmt.Sprintf("203.0.113.%d", i+1), tt.email, tt.password, tt.device); s != tt.want {
				t.Errorf("status %d, want %d", s, tt.want)
			}
		})
	}
}

// TestPasswordChangeDeviceCookie checks that guessing spread over many
// addresses does not stop the signed-in owner from changing the password
// in a browser that has signed in as them before.
func TestPasswordChangeDeviceCookie(t *testing.T) {
	e := newLoginEnv(t)
	c := e.signIn("ann@example.com")
	e.botnet(0, "ann@example.com")
	resp, body := c.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	if _, body := c.get("/settings"); !strings.Contains(body, "Your password is changed.") {
		t.Error("no confirmation")
	}
}

// TestSecureDeviceCookie checks the device cookie's flags over HTTPS.
func TestSecureDeviceCookie(t *testing.T) {
	e := newLoginEnv(t)
	e.app.secure = true
	e.addUser("ann@example.com")
	resp := e.do(e.loginRequest("198.51.100.1", "ann@example.com", testPassword))
	readBody(t, resp)
	found := false
	for _, k := range resp.Cookies() {
		if k.Name == "__Host-"+deviceCookie {
			found = true
			if !k.Secure || !k.HttpOnly || k.SameSite != http.SameSiteLaxMode || k.Path != "/" || k.Domain != "" {
				t.Errorf("cookie %s", k.Raw)
			}
		}
	}
	if !found {
		t.Errorf("no __Host- device cookie in %v", resp.Header.Values("Set-Cookie"))
	}
}
