package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSetup(t *testing.T) {
	e := newEnv(t)
	c := e.client()

	t.Run("token required", func(t *testing.T) {
		for _, path := range []string{"/setup", "/setup?token=wrong-token-0123456789"} {
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusNotFound, body)
		}
	})

	t.Run("form", func(t *testing.T) {
		resp, body := c.get("/setup?token=" + testSetupToken)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Create account", `name="token" value="`+testSetupToken+`"`, `name="_csrf"`)
	})

	t.Run("csrf required", func(t *testing.T) {
		resp, body := c.post("/setup", url.Values{"_csrf": {"nope"}, "token": {testSetupToken}, "email": {"a@example.com"},
			"password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusForbidden, body)
	})

	t.Run("errors beside fields", func(t *testing.T) {
		resp, body := c.post("/setup", url.Values{"token": {testSetupToken}, "email": {"not an email"}, "password": {"short"}, "password2": {"other"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, `id="f-email-error"`, `id="f-password-error"`, "at least 10 characters",
			"The two passwords differ.") // every mistake at once
		if n, _ := e.store.UserCount(context.Background()); n != 0 {
			t.Fatalf("%d users after a failed setup", n)
		}
	})

	t.Run("mismatched passwords", func(t *testing.T) {
		resp, body := c.post("/setup", url.Values{"token": {testSetupToken}, "email": {"a@example.com"}, "password": {testPassword}, "password2": {testPassword + "x"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "The two passwords differ.")
	})

	t.Run("creates the account, the demo and a session", func(t *testing.T) {
		resp, body := c.post("/setup", url.Values{"token": {testSetupToken}, "email": {"Owner@Example.com"}, "password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/experiments/") {
			t.Fatalf("Location %q, want the demo experiment", loc)
		}
		resp, body = c.get(resp.Header.Get("Location"))
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "owner@example.com", DemoExperimentName, "Welcome to copylab")

		site, ok, err := e.app.demoSite(context.Background())
		if err != nil || !ok {
			t.Fatalf("demo site: %v %v", ok, err)
		}
		if site.Domain != "copylab.test" {
			t.Errorf("demo domain %q", site.Domain)
		}
		running, err := e.store.RunningExperiments(context.Background(), site.ID)
		if err != nil || len(running) != 1 {
			t.Fatalf("running demo experiments: %d %v", len(running), err)
		}
		x := running[0]
		if x.Page != "/demo" || x.Selector != `[data-copylab="hero"]` || x.Goal.Type != "click" || len(x.Variants) != 3 || x.Variants[0].Text != DemoHeadline {
			t.Errorf("demo experiment: %+v", x)
		}
	})

	t.Run("single use", func(t *testing.T) {
		other := e.client()
		resp, body := other.get("/setup?token=" + testSetupToken)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Fatalf("Location %q", loc)
		}
		other.get("/login")
		resp, body = other.post("/setup", url.Values{"token": {testSetupToken}, "email": {"intruder@example.com"}, "password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if n, _ := e.store.UserCount(context.Background()); n != 1 {
			t.Fatalf("%d users, want 1", n)
		}
	})
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")

	t.Run("ok, to a local next", func(t *testing.T) {
		c := e.client()
		resp, body := c.get("/login?next=/sites")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `name="next" value="/sites"`)
		resp, body = c.post("/login", url.Values{"email": {"ANN@example.com "}, "password": {testPassword}, "next": {"/sites"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/sites" {
			t.Errorf("Location %q", loc)
		}
		ck := ""
		for _, k := range resp.Cookies() {
			if k.Name == "copylab_session" {
				ck = k.Raw
				if !k.HttpOnly || k.SameSite != http.SameSiteLaxMode || k.Secure {
					t.Errorf("session cookie flags: %s", k.Raw)
				}
			}
		}
		if ck == "" {
			t.Fatal("no session cookie")
		}
		resp, body = c.get("/sites")
		wantStatus(t, resp, http.StatusOK, body)
	})

	t.Run("next must be local", func(t *testing.T) {
		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			c := e.client()
			c.get("/login")
			resp, _ := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {testPassword}, "next": {next}})
			if loc := resp.Header.Get("Location"); loc != "/experiments" {
				t.Errorf("next %q: Location %q", next, loc)
			}
		}
	})

	t.Run("same message for wrong password and unknown email", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		resp1, body1 := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {"wrong password!"}})
		resp2, body2 := c.post("/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password!"}})
		for _, r := range []*http.Response{resp1, resp2} {
			if r.StatusCode != http.StatusUnauthorized {
				t.Errorf("status %d", r.StatusCode)
			}
		}
		wantContains(t, body1, loginFailed)
		wantContains(t, body2, loginFailed)
		if _, ok := c.cookies["copylab_session"]; ok {
			t.Error("session cookie after a failed sign-in")
		}
	})

	t.Run("csrf required", func(t *testing.T) {
		c := e.client()
		resp, body := c.post("/login", url.Values{"_csrf": {""}, "email": {"ann@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusForbidden, body)
	})

	t.Run("rate limited per client and email, per client, per email", func(t *testing.T) {
		// Trust the test peer as a proxy, so X-Forwarded-For picks the IP.
		all, _ := parseProxy("0.0.0.0") // the address Fiber's Test gives the peer
		e.app.proxies = append(e.app.proxies, all)
		defer func() { e.app.proxies, e.app.logins = nil, newLimiter(loginMaxFailures, loginWindow) }()
		attempt := func(ip, email, password string) (*http.Response, string) {
			resp := e.do(e.loginRequest(ip, email, password))
			return resp, readBody(t, resp)
		}
		e.addUser("bob@example.com")

		// One client guessing one email: refused past the strict limit,
		// even with the right password, which is not checked.
		e.app.logins = newLimiter(loginMaxFailures, loginWindow)
		for i := 0; i < loginMaxFailures; i++ {
			resp, body := attempt("203.0.113.1", "bob@example.com", "wrong password!")
			wantStatus(t, resp, http.StatusUnauthorized, body)
			wantContains(t, body, loginFailed)
		}
		resp, body := attempt("203.0.113.1", "bob@example.com", testPassword)
		wantStatus(t, resp, http.StatusTooManyRequests, body)
		wantContains(t, body, "Too many attempts")
		if resp.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		// The owner, from another address, is not locked out.
		resp, body = attempt("203.0.113.2", "bob@example.com", testPassword)
		wantStatus(t, resp, http.StatusSeeOther, body)

		// One client spraying many emails.
		e.app.logins = newLimiter(loginMaxFailures, loginWindow)
		for i := 0; i < loginMaxPerClient; i++ {
			resp, body := attempt("198.51.100.7", fmt.Sprintf("guess%d@example.com", i), "wrong password!")
			wantStatus(t, resp, http.StatusUnauthorized, body)
		}
		resp, body = attempt("198.51.100.7", "bob@example.com", testPassword)
		wantStatus(t, resp, http.StatusTooManyRequests, body)
		// Other IPs are not affected.
		resp, body = attempt("198.51.100.8", "bob@example.com", testPassword)
		wantStatus(t, resp, http.StatusSeeOther, body)

		// Guessing spread over many clients meets the per-email ceiling.
		e.app.logins = newLimiter(loginMaxFailures, loginWindow)
		for i := 0; i < loginMaxPerEmail; i++ {
			resp, body := attempt(fmt.Sprintf("192.0.2.%d", i/loginMaxFailures), "bob@example.com", "wrong password!")
			wantStatus(t, resp, http.StatusUnauthorized, body)
		}
		resp, body = attempt("198.51.100.9", "bob@example.com", testPassword)
		wantStatus(t, resp, http.StatusTooManyRequests, body)
	})

	t.Run("signed in users skip the form", func(t *testing.T) {
		c := e.signIn("cat@example.com")
		resp, _ := c.get("/login")
		wantStatus(t, resp, http.StatusSeeOther, "")
	})

	t.Run("session id changes at sign-in", func(t *testing.T) {
		c := e.signIn("dan@example.com")
		before := c.cookies["copylab_session"]
		c.get("/login?next=/x") // signed in: redirected, cookie unchanged
		// A token planted in formCSRF's shape (TestFormCSRFShape).
		const csrf = "0123456789012345678901234567890123456789abc"
		c.cookies["copylab_csrf"] = csrf
		resp, _ := c.post("/login", url.Values{"_csrf": {csrf}, "email": {"dan@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, "")
		if after := c.cookies["copylab_session"]; after == before || after == "" {
			t.Error("the session id was not replaced")
		}
		if _, _, err := e.store.SessionByHash(context.Background(), hashSecret(before)); err == nil {
			t.Error("the old session still works")
		}
	})
}

func TestLoginPageWithoutUsers(t *testing.T) {
	e := newEnv(t)
	resp, body := e.client().get("/login")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "No account exists yet", "/setup?token=")
	wantNotContains(t, body, testSetupToken)
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	sess := c.cookies["copylab_session"]

	resp, body := c.post("/logout", url.Values{"_csrf": {"wrong"}})
	wantStatus(t, resp, http.StatusForbidden, body)

	resp, body = c.post("/logout", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/login" {
		t.Errorf("Location %q", loc)
	}
	if _, _, err := e.store.SessionByHash(context.Background(), hashSecret(sess)); err == nil {
		t.Error("the session survived sign-out")
	}
	// The old cookie, replayed, no longer signs in.
	c.cookies["copylab_session"] = sess
	resp, _ = c.get("/experiments")
	wantStatus(t, resp, http.StatusSeeOther, "")
}

func TestSessionRequired(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/experiments", "/experiments/new", "/experiments/x", "/experiments/x/results", "/experiments/x/results/live",
		"/sites", "/sites/x", "/users", "/settings", "/experiments/x/generate", "/experiments/x/edit"} {
		t.Run(path, func(t *testing.T) {
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusSeeOther, body)
			want := "/login?next=" + url.QueryEscape(path)
			if path == "/" {
				want = "/login"
			}
			if loc := resp.Header.Get("Location"); loc != want {
				t.Errorf("Location %q, want %q", loc, want)
			}
		})
	}
	for _, path := range []string{"/sites", "/experiments", "/users", "/settings/tokens", "/logout", "/experiments/x/start"} {
		t.Run("POST "+path, func(t *testing.T) {
			resp, body := c.post(path, url.Values{"_csrf": {"x"}})
			wantStatus(t, resp, http.StatusSeeOther, body)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
				t.Errorf("Location %q", loc)
			}
		})
	}
	t.Run("htmx", func(t *testing.T) {
		req := newRequest(http.MethodGet, "/experiments/x/results/live", nil)
		req.Header.Set("HX-Request", "true")
		resp := e.do(req)
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("HX-Redirect"), "/login") {
			t.Errorf("status %d, HX-Redirect %q", resp.StatusCode, resp.Header.Get("HX-Redirect"))
		}
	})
	t.Run("expired session", func(t *testing.T) {
		c := e.signIn("ann@example.com")
		sess := hashSecret(c.cookies["copylab_session"])
		if err := e.store.ExtendSession(context.Background(), sess, e.app.now().Add(-1)); err != nil {
			t.Fatal(err)
		}
		resp, _ := c.get("/sites")
		wantStatus(t, resp, http.StatusSeeOther, "")
	})
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	form := func(csrf string) url.Values {
		return url.Values{"_csrf": {csrf}, "name": {"Marketing"}, "domain": {"example.com"}}
	}
	tests := []struct {
		name   string
		csrf   string
		header string
		want   int
	}{
		{"missing", "", "", http.StatusForbidden},
		{"wrong", "not-the-token", "", http.StatusForbidden},
		{"another session's", e.signIn("bob@example.com").csrf, "", http.StatusForbidden},
		{"form field", c.csrf, "", http.StatusSeeOther},
		{"htmx header", "", c.csrf, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(http.MethodPost, "/sites", strings.NewReader(form(tt.csrf).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.header != "" {
				req.Header.Set("X-CSRF-Token", tt.header)
			}
			resp, body := c.send(req)
			wantStatus(t, resp, tt.want, body)
			if tt.want == http.StatusForbidden {
				wantContains(t, body, "This form has expired")
			}
		})
	}
	sites, _ := e.store.Sites(context.Background())
	if len(sites) != 2 {
		t.Errorf("%d sites, want 2 (only the accepted posts)", len(sites))
	}
}

func TestSecureCookies(t *testing.T) {
	e := newEnv(t)
	e.app.secure = true
	e.addUser("ann@example.com")
	c := e.client()
	c.get("/login")
	if _, ok := c.cookies["__Host-copylab_csrf"]; !ok {
		t.Fatalf("cookies %v", c.cookies)
	}
	resp, body := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	found := false
	for _, k := range resp.Cookies() {
		if k.Name == "__Host-copylab_session" {
			found = true
			if !k.Secure || !k.HttpOnly || k.Path != "/" || k.Domain != "" {
				t.Errorf("cookie %s", k.Raw)
			}
		}
	}
	if !found {
		t.Error("no __Host- session cookie")
	}
}

func TestAddUserAndToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u, generated, err := AddUser(ctx, e.store, " New@Example.com ", "New", "")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "new@example.com" || u.Name != "New" || len(generated) < MinPasswordLen {
		t.Fatalf("user %+v, generated %q", u, generated)
	}
	_, hash, _ := e.store.UserByEmail(ctx, "new@example.com")
	if !strings.HasPrefix(hash, "$2a$12$") {
		t.Errorf("hash %q: want bcrypt cost 12", hash[:7])
	}
	if _, _, err := AddUser(ctx, e.store, "x@example.com", "", strings.Repeat("é", 40)); err == nil {
		t.Error("accepted a password over 72 bytes")
	}
	if _, _, err := AddUser(ctx, e.store, "x@example.com", "", "short"); err == nil {
		t.Error("accepted a short password")
	}
	if _, _, err := AddUser(ctx, e.store, "new@example.com", "", testPassword); err == nil {
		t.Error("accepted a taken email")
	}
	secret, err := CreateToken(ctx, e.store, "NEW@example.com", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != len(TokenPrefix)+40 {
		t.Errorf("token %q", secret)
	}
	if got, err := e.store.UserByTokenHash(ctx, hashSecret(secret)); err != nil || got.ID != u.ID {
		t.Errorf("token user %v %v", got, err)
	}
	if _, err := CreateToken(ctx, e.store, "nobody@example.com", "ci"); err == nil {
		t.Error("token for an unknown user")
	}
}
