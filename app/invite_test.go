package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
)

var inviteLinkRe = regexp.MustCompile(`http://copylab\.test/invite/([a-z2-7]{32})`)

// invite makes an invite from the Users page as c and returns the token
// of the link on the answer page.
func invite(t *testing.T, c *client, email, name string) (token, body string) {
	t.Helper()
	c.get("/users")
	resp, body := c.post("/users/invites", url.Values{"invite_email": {email}, "invite_name": {name}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("invite %s: status %d: %s", email, resp.StatusCode, body)
	}
	m := inviteLinkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("invite %s: no link on the answer page: %s", email, body)
	}
	return m[1], body
}

// accept opens the invite link in a new browser and creates the account.
func accept(e *env, token, name, password string) (*client, *http.Response, string) {
	e.t.Helper()
	c := e.client()
	c.get("/login") // the form token, should the link not work
	c.get("/invite/" + token)
	resp, body := c.post("/invite/"+token, url.Values{"name": {name}, "password": {password}, "password2": {password}})
	return c, resp, body
}

// TestInviteAccept: an invite made on the Users page gives a link, shown
// once and stored only as a hash, that opens a public page with the email;
// creating the account there signs the newcomer in and lands them on the
// sites list with a welcome. The link works once.
func TestInviteAccept(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	if _, body := owner.get("/users"); strings.Contains(body, "Pending invites") {
		t.Errorf("the Users page lists pending invites while there are none")
	}
	resp, _ := func() (*http.Response, string) {
		owner.get("/users")
		return owner.post("/users/invites", url.Values{"invite_email": {" Ana@Example.com "}, "invite_name": {"Ana"}})
	}()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the answer with the link: Cache-Control %q, want no-store", cc)
	}
	token, body := invite(t, owner, "ana@example.com", "Ana")
	for _, want := range []string{"Send this link to", "ana@example.com", "It works once, for 7 days", "It replaces the link you sent before", `data-copy="#invite-link"`, "Pending invites", "in 7 days", "owner@example.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer page lacks %q", want)
		}
	}
	if _, body := owner.get("/users"); strings.Contains(body, token) || !strings.Contains(body, "ana@example.com") {
		t.Errorf("the Users page, read again, shows the link or misses the pending invite")
	}
	// Neither the database nor its write-ahead log holds the token itself.
	for _, name := range []string{"copylab.db", "copylab.db-wal"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(e.store.Path()), name))
		if err == nil && bytes.Contains(b, []byte(token)) {
			t.Errorf("%s holds the invite token itself", name)
		}
	}

	guest := e.client()
	resp, body = guest.get("/invite/" + token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the link: status %d: %s", resp.StatusCode, body)
	}
	if rp := resp.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("the invite page: Referrer-Policy %q, want no-referrer", rp)
	}
	for _, want := range []string{"Join copylab", "owner@example.com invited you", `value="ana@example.com" readonly`, `value="Ana"`, passwordHelpText, "Create my account"} {
		if !strings.Contains(body, want) {
			t.Errorf("the invite page lacks %q", want)
		}
	}
	resp, body = guest.post("/invite/"+token, url.Values{"name": {"Ana B"}, "password": {testPassword}, "password2": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sites" {
		t.Fatalf("create the account: status %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	resp, body = guest.get("/sites")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Welcome to copylab! Your account is ready.") {
		t.Errorf("the sites list after accepting: status %d, want 200 with the welcome: %s", resp.StatusCode, body)
	}
	u, _, err := e.store.UserByEmail(context.Background(), "ana@example.com")
	if err != nil || u.Name != "Ana B" {
		t.Errorf("the new user: %+v, %v; want the name typed on the page", u, err)
	}
	if _, body := owner.get("/users"); strings.Contains(body, "Pending invites") {
		t.Errorf("the used invite is still listed as pending")
	}

	// Used: the link works no more, for the page or the form (but for
	// its own browser, and in the first moments: TestInviteUsedLinkOwnBrowser).
	e.app.now = func() time.Time { return time.Now().Add(joinedLinkFresh) }
	gone := e.client()
	if resp, body := gone.get("/invite/" + token); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "This invite link no longer works") {
		t.Errorf("the used link: status %d: %s", resp.StatusCode, body)
	}
	if _, resp, _ := accept(e, token, "", "another password"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("accepting the used link again: status %d, want 404", resp.StatusCode)
	}
}

// passwordHelpText is the help setup and Settings give beside a new
// password; the invite page gives the same.
const passwordHelpText = "At least 10 characters. A passphrase of a few words is easy to remember and hard to guess."

// TestInviteGoneAlike: a link that was used, revoked, replaced or has
// expired, an unknown one and a mangled one all get the same 404 page, in
// the signed-out frame, without Referer.
func TestInviteGoneAlike(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")

	used, _ := invite(t, owner, "used@example.com", "")
	if _, resp, body := accept(e, used, "", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	revoked, body := invite(t, owner, "revoked@example.com", "")
	id := regexp.MustCompile(`/users/invites/(\d+)/delete`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("no Revoke button: %s", body)
	}
	resp, _ := owner.post("/users/invites/"+id[1]+"/delete", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: status %d", resp.StatusCode)
	}
	if _, body := owner.get("/users"); !strings.Contains(body, "The invite for revoked@example.com is revoked") || strings.Contains(body, `/users/invites/`+id[1]+`/delete`) {
		t.Errorf("after revoking: no word of it, or still listed: %s", body)
	}
	replaced, _ := invite(t, owner, "again@example.com", "")
	invite(t, owner, "again@example.com", "")
	expired, _ := invite(t, owner, "late@example.com", "")

	realNow := e.app.now
	e.app.now = func() time.Time { return realNow().Add(inviteTTL + time.Minute) }
	defer func() { e.app.now = realNow }()

	links := map[string]string{
		"used": used, "revoked": revoked, "replaced": replaced, "expired": expired,
		"unknown": newInviteToken(), "mangled": "not-a-token", "upper case": strings.ToUpper(expired),
	}
	var want string
	for name, token := range links {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			c := e.client()
			c.get("/login") // a form token, for the POST
			var resp *http.Response
			var body string
			if method == http.MethodGet {
				resp, body = c.get("/invite/" + token)
			} else {
				resp, body = c.post("/invite/"+token, url.Values{"password": {testPassword}, "password2": {testPassword}})
			}
			if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("%s %s link: status %d, Referrer-Policy %q; want 404, no-referrer", method, name, resp.StatusCode, resp.Header.Get("Referrer-Policy"))
			}
			if want == "" {
				want = body
			} else if body != want {
				t.Errorf("%s %s link: a page of its own:\n%s\nwant\n%s", method, name, body, want)
			}
		}
	}
	for _, s := range []string{"This invite link no longer works", "Ask the person who invited you for a new link."} {
		if !strings.Contains(want, s) {
			t.Errorf("the page lacks %q: %s", s, want)
		}
	}
	if strings.Contains(want, "owner@example.com") || strings.Contains(want, "Sign out") {
		t.Errorf("the page is not the signed-out frame: %s", want)
	}

	// An expired invite is no longer pending: it is listed as expired for
	// a week (experiments.ExpiredInviteKept); after that it is not listed,
	// and reading the page deletes it.
	if _, body := owner.get("/users"); !strings.Contains(body, "Expired on") || strings.Contains(body, "Revoke the invite for late@example.com") {
		t.Errorf("the expired invite is not listed as expired, or is still pending")
	}
	e.app.now = func() time.Time { return realNow().Add(inviteTTL + experiments.ExpiredInviteKept + time.Minute) }
	if _, body := owner.get("/users"); strings.Contains(body, "late@example.com") {
		t.Errorf("the invite expired a week ago is listed")
	}
	if n, err := e.store.DeleteExpiredInvites(context.Background(), e.app.now()); err != nil || n != 0 {
		t.Errorf("expired invites left after the Users page was read: %d, %v", n, err)
	}
}

// TestInviteAcceptConcurrent: the link submitted from several browsers at
// once (or twice from one, a double click) makes one account; every other
// submission is sent to sign in, since the account now exists, or, if it
// came before the account was read, gets the 404.
func TestInviteAcceptConcurrent(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "race@example.com", "")
	const n = 6
	browsers := make([]*client, n)
	for i := range browsers {
		browsers[i] = e.client()
		browsers[i].get("/invite/" + token)
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := url.Values{"_csrf": {c.csrf}, "password": {testPassword}, "password2": {testPassword}}
			req := newRequest(http.MethodPost, "/invite/"+token, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			<-start
			resp, err := e.app.Fiber().Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
			switch loc := resp.Header.Get("Location"); {
			case resp.StatusCode == http.StatusSeeOther && loc == "/sites":
				statuses[i] = http.StatusCreated // made the account
			case resp.StatusCode == http.StatusSeeOther && loc != "/login":
				t.Errorf("a submission was sent to %s, want /sites, /login or a 404", loc)
			}
		}()
	}
	close(start)
	wg.Wait()
	made := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			made++
		case http.StatusSeeOther, http.StatusNotFound:
		default:
			t.Errorf("a submission got status %d, want 303 or 404", s)
		}
	}
	users, err := e.store.Users(context.Background())
	if err != nil || made != 1 || len(users) != 2 {
		t.Errorf("%d submissions made an account, %d users (%v); want 1 and 2 (statuses %v)", made, len(users), err, statuses)
	}
}

// TestInviteRefusals: an email that can already sign in is refused with
// Add's sentence; a bad email or name is shown beside its field; a second
// invite for an email replaces the first, whose link stops working.
func TestInviteRefusals(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	owner.get("/users")
	for _, tc := range []struct {
		name, email, who, want string
	}{
		{"taken", "OWNER@example.com", "", "Someone with this email can already sign in."},
		{"no email", "", "", "Enter an email address."},
		{"bad email", "ana@", "", "Enter an email address such as you@example.com."},
		{"long name", "ana@example.com", strings.Repeat("a", 500), "Keep the name to at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := owner.post("/users/invites", url.Values{"invite_email": {tc.email}, "invite_name": {tc.who}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || inviteLinkRe.MatchString(body) {
				t.Errorf("status %d, want 422 with %q and no link: %s", resp.StatusCode, tc.want, body)
			}
		})
	}
	// Add says the same of a taken email.
	if _, body := owner.post("/users", url.Values{"email": {"owner@example.com"}}); !strings.Contains(body, emailTaken) {
		t.Errorf("Add refuses a taken email in other words: %s", body)
	}

	first, body := invite(t, owner, "bo@example.com", "")
	if strings.Contains(body, "It replaces the link you sent before") {
		t.Errorf("a first invite says it replaced one")
	}
	second, body := invite(t, owner, "bo@example.com", "")
	if !strings.Contains(body, "It replaces the link you sent before, which no longer works.") {
		t.Errorf("the second invite does not say it replaced the first: %s", body)
	}
	if n := strings.Count(body, "bo@example.com</td>"); n != 1 {
		t.Errorf("bo@example.com is listed %d times among pending invites, want once", n)
	}
	if resp, _ := e.client().get("/invite/" + first); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the replaced link: status %d, want 404", resp.StatusCode)
	}
	if _, resp, body := accept(e, second, "", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the new link: status %d: %s", resp.StatusCode, body)
	}

	// Added by hand after the invite: the invite is no longer listed, and
	// its link sends to sign in, saying it is used (and naming no email):
	// at once when it is opened, and when a form opened before is sent
	// (once).
	late, _ := invite(t, owner, "hal@example.com", "")
	if resp, _ := owner.post("/users", url.Values{"email": {"hal@example.com"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d", resp.StatusCode)
	}
	if _, body := owner.get("/users"); strings.Contains(body, "Pending invites") {
		t.Errorf("the invite of a user added by hand is still listed")
	}
	const toSignIn = "/login"
	if resp, body := e.client().get("/invite/" + late); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != toSignIn {
		t.Errorf("opening the link of a user added by hand: status %d to %q, want 303 to %s: %s", resp.StatusCode, resp.Header.Get("Location"), toSignIn, body)
	}
	c, resp, body := accept(e, late, "", "another good password")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != toSignIn {
		t.Errorf("the link of a user added by hand: status %d to %q, want 303 to %s: %s", resp.StatusCode, resp.Header.Get("Location"), toSignIn, body)
	}
	if _, body := c.get(toSignIn); !strings.Contains(body, inviteUsedFlash) || strings.Contains(body, "hal@example.com") {
		t.Errorf("the sign-in page does not say why: %s", body)
	}
	if resp, _ := e.client().get("/invite/" + late); resp.StatusCode != http.StatusNotFound {
		t.Errorf("that link afterwards: status %d, want 404", resp.StatusCode)
	}
}

// TestInviteAcceptForm: the page keeps setup's password rules: a short
// password or two that differ are shown beside their fields, the link
// still works afterwards, and these mistakes do not count as guesses.
func TestInviteAcceptForm(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "cy@example.com", "Cy")
	c := e.client()
	c.get("/invite/" + token)
	for i := range loginMaxFailures + 2 {
		resp, body := c.post("/invite/"+token, url.Values{"name": {"Cy"}, "password": {"short"}, "password2": {"other"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Use at least 10 characters.") || !strings.Contains(body, "The two passwords differ.") {
			t.Fatalf("attempt %d: status %d: %s", i+1, resp.StatusCode, body)
		}
		if !strings.Contains(body, `value="cy@example.com"`) || !strings.Contains(body, `value="Cy"`) {
			t.Errorf("the form lost the email or name: %s", body)
		}
	}
	if resp, body := c.post("/invite/"+token, url.Values{"password": {testPassword}, "password2": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after mistakes, a good password: status %d: %s", resp.StatusCode, body)
	}
}

// TestInviteGuessesLimited: submissions to links that do not work count
// against the sign-in limiter; past its limit the answer is 429 with
// Retry-After, without a lookup.
func TestInviteGuessesLimited(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/login")
	guess := newInviteToken()
	var resp *http.Response
	for range loginMaxFailures + 1 {
		resp, _ = c.post("/invite/"+guess, url.Values{"password": {testPassword}, "password2": {testPassword}})
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("guess %d: status %d, Retry-After %q; want 429 with Retry-After", loginMaxFailures+1, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestInviteCSRF: the invite form needs its double-submit token, like the
// sign-in form, and a page on another origin cannot post it; the Users
// page's invite form needs the session's.
func TestInviteCSRF(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "dee@example.com", "")

	c := e.client()
	c.get("/invite/" + token)
	good := c.csrf
	for _, tc := range []struct {
		name   string
		csrf   string
		origin string
	}{
		{"no token", "", ""},
		{"wrong token", strings.Repeat("a", len(good)), ""},
		{"other origin", good, "https://evil.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{"_csrf": {tc.csrf}, "password": {testPassword}, "password2": {testPassword}}
			req := newRequest(http.MethodPost, "/invite/"+token, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, body := c.send(req)
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("status %d, Referrer-Policy %q; want 403, no-referrer: %s", resp.StatusCode, resp.Header.Get("Referrer-Policy"), body)
			}
		})
	}
	if _, _, err := e.store.UserByEmail(context.Background(), "dee@example.com"); err == nil {
		t.Errorf("a refused form made the account")
	}
	if resp, _ := owner.post("/users/invites", url.Values{"_csrf": {""}, "invite_email": {"eve@example.com"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("invite without the session's token: status %d, want 403", resp.StatusCode)
	}
	if resp, _ := owner.post("/users/invites/1/delete", url.Values{"_csrf": {""}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("revoke without the session's token: status %d, want 403", resp.StatusCode)
	}
	if _, resp, _ := accept(e, token, "", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the link after the refusals: status %d, want 303", resp.StatusCode)
	}
}

// TestInviteTokenNotLogged: the request log, even at debug level, writes
// /invite/… for the link's path, never its token.
func TestInviteTokenNotLogged(t *testing.T) {
	e := newEnv(t)
	var logs syncBuffer
	e.app.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "fay@example.com", "")
	e.client().get("/INVITE/" + token)
	accept(e, token, "", testPassword)
	accept(e, token, "", testPassword) // the 404
	if strings.Contains(logs.String(), token) {
		t.Errorf("the log holds the invite token:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "path=/invite/…") {
		t.Errorf("the log does not name the invite path:\n%s", logs.String())
	}
}

// TestInviteSignsOutOtherAccount: a browser signed in as someone else is
// told that accepting signs it out of that account, and then is the
// newcomer's.
func TestInviteSignsOutOtherAccount(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "gus@example.com", "")
	resp, body := owner.get("/invite/" + token)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "This browser is signed in as <strong>owner@example.com</strong>") {
		t.Fatalf("the page for a signed-in browser: status %d: %s", resp.StatusCode, body)
	}
	resp, _ = owner.post("/invite/"+token, url.Values{"password": {testPassword}, "password2": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: status %d", resp.StatusCode)
	}
	if _, body := owner.get("/settings"); !strings.Contains(body, "gus@example.com") {
		t.Errorf("the browser is not signed in as the newcomer")
	}
}

// TestInviteDoubleSubmit: a double click on "Create my account" sends the
// form twice, and the first submission makes the account while the
// second is on its way (hashing the password); the browser then shows the
// second's answer, the first one's session dropped with it. That answer
// sends the newcomer to sign in, saying the link is used, rather than
// that it is dead; it names no email (TestInviteUsedLinkNamesNoEmail). A link that expired, with no account
// made, still says it no longer works.
func TestInviteDoubleSubmit(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "twice@example.com", "Twice")
	c := e.client()
	c.get("/invite/" + token)
	e.app.beforeAcceptInvite = func() {
		e.app.beforeAcceptInvite = nil
		// The first submission wins meanwhile.
		if _, err := e.store.AcceptInvite(t.Context(), hashSecret(token), "Twice", "$2a$04$placeholderplaceholderplaceholderplaceholderplace", time.Now()); err != nil {
			t.Errorf("the first submission: %v", err)
		}
	}
	form := url.Values{"name": {"Twice"}, "password": {testPassword}, "password2": {testPassword}}
	body := flashAfter(t, c, "/invite/"+token, form)
	wantContains(t, body, inviteUsedFlash, `name="email"`)
	wantNotContains(t, body, "twice@example.com")
	if users, err := e.store.Users(t.Context()); err != nil || len(users) != 2 {
		t.Errorf("%d users (%v), want the owner and the one made by the first submission", len(users), err)
	}

	// An expired link, with no account made: the dead link's page.
	token, _ = invite(t, owner, "late@example.com", "")
	c = e.client()
	c.get("/invite/" + token)
	e.app.now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
	resp, body := c.post("/invite/"+token, url.Values{"password": {testPassword}, "password2": {testPassword}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "no longer works") {
		t.Errorf("an expired link: %d: %.300s", resp.StatusCode, body)
	}
}

// TestInviteReplacedSaysWhose: inviting an email a teammate invited
// already replaces their link; the page names whose link stopped working
// (so that they can be told), rather than "the link you sent before".
// One made on the command line is named so.
func TestInviteReplacedSaysWhose(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	carol := e.signIn("carol@example.com")
	e.makeAdmin("carol@example.com") // carol invites: an admin's
	invite(t, owner, "ivy@example.com", "")
	_, body := invite(t, carol, "ivy@example.com", "")
	wantContains(t, body, "It replaces the link owner@example.com sent before, which no longer works: tell them.")
	wantNotContains(t, body, "the link you sent before")

	if _, _, _, err := InviteUser(t.Context(), e.store, "cli@example.com", ""); err != nil {
		t.Fatal(err)
	}
	_, body = invite(t, carol, "cli@example.com", "")
	wantContains(t, body, "It replaces the link made on the command line before, which no longer works.")
}

// TestInviteRevokeAfterUse: Revoke pressed on a page drawn before the
// invite was used says it was used, and that the account can be removed,
// rather than only that the invite is no longer pending.
func TestInviteRevokeAfterUse(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, body := invite(t, owner, "quick@example.com", "")
	id := regexp.MustCompile(`/users/invites/(\d+)/delete`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("no Revoke form: %s", body)
	}
	if _, resp, body := accept(e, token, "", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	body = flashAfter(t, owner, "/users/invites/"+id[1]+"/delete", url.Values{"email": {"quick@example.com"}})
	wantContains(t, body, "The invite for quick@example.com was used before you revoked it: they have an account now. Remove it here if they should not.")

	// A form without the email (an older page) says what it can.
	body = flashAfter(t, owner, "/users/invites/"+id[1]+"/delete", nil)
	wantContains(t, body, "That invite is no longer pending: its link does not work.")
}

// TestInviteUsedLinkOwnBrowser: the browser that made the account with a
// link, opening it again within the hour (Back), goes on to the sites
// list; a second sending of the form, which left before the first's
// answer came (so without the new session) and is read after it, goes to
// sign-in, told the link is used. Any other browser later on, the
// inviter, and the newcomer's own browser after the hour get the dead
// link's page.
func TestInviteUsedLinkOwnBrowser(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "ana@example.com", "Ana")
	form := url.Values{"name": {"Ana"}, "password": {testPassword}, "password2": {testPassword}}
	second := e.client() // the same form, sent again before the first's answer
	second.get("/login")
	second.get("/invite/" + token)
	guest, resp, body := accept(e, token, "Ana", testPassword)
	wantStatus(t, resp, http.StatusSeeOther, body)
	guest.get("/sites") // the welcome

	body = flashAfter(t, second, "/invite/"+token, form)
	wantContains(t, body, inviteUsedFlash)
	wantNotContains(t, body, "ana@example.com")

	resp, body = guest.get("/invite/" + token)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sites" {
		t.Fatalf("the link again, in the newcomer's browser: %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, body = guest.get("/sites")
	wantContains(t, body, "You have joined already: this is your account.")

	e.app.now = func() time.Time { return time.Now().Add(joinedLinkFresh + time.Minute) }
	for name, c := range map[string]*client{"another browser": e.client(), "the inviter": owner} {
		if resp, body := c.get("/invite/" + token); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "This invite link no longer works") {
			t.Errorf("%s: the used link: %d: %.300s", name, resp.StatusCode, body)
		}
	}
	if resp, _ := guest.get("/invite/" + token); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the newcomer's browser within the hour: %d, want 303", resp.StatusCode)
	}
	e.app.now = func() time.Time { return time.Now().Add(joinedLinkTTL + time.Minute) }
	if resp, body := guest.get("/invite/" + token); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the newcomer's browser after the hour: %d: %.300s", resp.StatusCode, body)
	}
}

// TestJoinedLinksBounded: the record of used links keeps at most
// joinedLinkMax, dropping the oldest, and forgets what is an hour old.
func TestJoinedLinksBounded(t *testing.T) {
	var j joinedLinks
	start := time.Now()
	for i := range joinedLinkMax + 5 {
		j.add("h"+strconv.Itoa(i), "a@example.com", start.Add(time.Duration(i)*time.Millisecond))
	}
	if len(j.m) != joinedLinkMax {
		t.Errorf("%d kept, want %d", len(j.m), joinedLinkMax)
	}
	if _, _, ok := j.lookup("h0", start); ok {
		t.Errorf("the oldest is kept past the cap")
	}
	if _, _, ok := j.lookup("h"+strconv.Itoa(joinedLinkMax+4), start); !ok {
		t.Errorf("the newest is missing")
	}
	j.add("late", "b@example.com", start.Add(joinedLinkTTL+2*time.Second))
	if len(j.m) != 1 {
		t.Errorf("%d kept after an hour, want the newest only", len(j.m))
	}
}
