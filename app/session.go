package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// Sessions last sessionTTL after the last request (sliding expiry), and
// sessionMaxAge after signing in whatever the use: a stolen cookie does not
// live for ever in a browser that is used every day. The expiry is pushed
// forward at most once per sessionRefresh to spare writes.
const (
	sessionTTL     = 14 * 24 * time.Hour
	sessionMaxAge  = 30 * 24 * time.Hour
	sessionRefresh = time.Hour
)

// sessionExpiry is when a session signed in at created expires, seen at now.
func sessionExpiry(created, now time.Time) time.Time {
	exp := now.Add(sessionTTL)
	if last := created.Add(sessionMaxAge); exp.After(last) {
		return last
	}
	return exp
}

// session is the signed-in browser of a request.
type session struct {
	hash    string // SHA-256 of the cookie value, as stored
	csrf    string
	user    experiments.User
	expires time.Time
}

// cookieName prefixes a cookie's name with __Host- when cookies are Secure:
// browsers then refuse it unless it is Secure, host-only and for path /, so
// a sibling subdomain cannot plant or shadow it.
func (a *App) cookieName(name string) string {
	if a.secure {
		return "__Host-" + name
	}
	return name
}

func (a *App) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	ck := &fiber.Cookie{
		Name:     a.cookieName(name),
		Value:    value,
		Path:     "/",
		HTTPOnly: true,
		Secure:   a.secure,
		SameSite: fiber.CookieSameSiteLaxMode,
	}
	if !expires.IsZero() {
		ck.Expires = expires
	}
	c.Cookie(ck)
}

func (a *App) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: a.cookieName(name), Value: "", Path: "/", HTTPOnly: true, Secure: a.secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1,
	})
}

// newSecret returns a random URL-safe secret of 32 bytes: secretLen
// characters of unpadded URL-safe base64.
func newSecret() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

// secretLen is the length of newSecret's secrets,
// base64.RawURLEncoding.EncodedLen(32).
const secretLen = 43

// secretShaped tells whether s has the shape newSecret gives: secretLen
// characters of the URL-safe base64 alphabet.
func secretShaped(s string) bool {
	if len(s) != secretLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// hashSecret is how session ids and API tokens are stored: a leaked
// database then hands out nothing usable.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// startSession signs a user in: a new random session id (never one the
// browser had before: no session fixation), stored hashed with the
// browser's user agent (Settings lists it), and its cookie; and a new
// device cookie for the account. Sign-in, setup and the password change
// all sign in through it.
func (a *App) startSession(c *fiber.Ctx, u experiments.User) error {
	// The keys as they are now: after a password change, the new hash.
	u, hash, key, err := a.store.UserDeviceKeys(c.UserContext(), u.Email)
	if err != nil {
		return err
	}
	if old := c.Cookies(a.cookieName("copylab_session")); old != "" {
		_ = a.store.DeleteSession(c.UserContext(), hashSecret(old))
	}
	id := newSecret()
	expires := a.now().Add(sessionTTL)
	device := newDeviceID()
	if err := a.store.CreateSession(c.UserContext(), hashSecret(id), u.ID, newSecret(), c.Get(fiber.HeaderUserAgent), device, expires); err != nil {
		return err
	}
	a.setCookie(c, "copylab_session", id, expires)
	a.clearCookie(c, "copylab_csrf")
	a.setDeviceCookie(c, u, hash, key, device)
	return nil
}

// Device cookies (OWASP's defence against lockout by guessing): signing in
// gives the browser a long-lived cookie that says it has signed in as that
// account before. A sign-in attempt that comes with one for the email
// being tried is held to the device's own limit instead of the email's
// ceiling and the client's limits (limiter.ReserveDevice), so that
// guessing spread over many addresses, or from behind the owner's own
// address, cannot lock the owner out of their own account. Signing out
// keeps it: it marks the browser, not the session.
//
// Its value is "expiry.id.mac": the expiry in Unix seconds, a random id
// (the device's key in the limiter), and an HMAC-SHA256 of the account's
// id and email, the expiry and the id. The HMAC's key is the account's
// password hash with its device key: server secrets that outlive a
// restart (the flash key does not, and a device cookie must), and that
// change exactly when the cookies should stop counting. A new password
// (under Settings or from the command line) or a removed account (even one
// added again under the same email: its hash has a new salt) leaves every
// older cookie invalid; so does "Sign out all other browsers" under
// Settings, which replaces the device key and gives the browser that asked
// a new cookie. Signing out one other browser there voids its cookie alone:
// its session keeps its cookie's id, which the sign-out lists as revoked
// (Store.DeleteUserSession, DeviceRevoked). Whoever has read the database
// could forge one, but they would hold the hashes too, which they can
// guess against offline far faster than any limit here allows.
const (
	deviceCookie = "copylab_device"
	deviceTTL    = 365 * 24 * time.Hour
	deviceIDLen  = 22 // 16 random bytes, base64url
)

// deviceMAC signs a device cookie's expiry and id for the account u whose
// password hash is hash and device key is key. An empty device key (every
// account until it first signs out its other browsers) signs as before
// keys existed, so that the cookies browsers held then still count. A
// bcrypt hash never holds a NUL, so no hash and key run together into
// another pair's.
func deviceMAC(hash, key string, u experiments.User, expires int64, id string) []byte {
	secret := hash
	if key != "" {
		secret += "\x00" + key
	}
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "copylab device\x00%d\x00%s\x00%d\x00%s", u.ID, normalizeEmail(u.Email), expires, id)
	return mac.Sum(nil)
}

// newDeviceID is a new device cookie's id (deviceIDLen characters).
func newDeviceID() string { return base64.RawURLEncoding.EncodeToString(randomBytes(16)) }

// setDeviceCookie gives the browser the device cookie id for u, signed
// with their password hash and device key.
func (a *App) setDeviceCookie(c *fiber.Ctx, u experiments.User, hash, key, id string) {
	expires := a.now().Add(deviceTTL).Truncate(time.Second)
	mac := deviceMAC(hash, key, u, expires.Unix(), id)
	a.setCookie(c, deviceCookie, strconv.FormatInt(expires.Unix(), 10)+"."+id+"."+base64.RawURLEncoding.EncodeToString(mac), expires)
}

// deviceID returns the id of the request's device cookie when it is valid,
// unexpired, for the account with that email and not revoked, and ""
// otherwise. It reads the account only for a cookie that could be valid.
func (a *App) deviceID(c *fiber.Ctx, email string) (string, error) {
	exp, rest, ok1 := strings.Cut(c.Cookies(a.cookieName(deviceCookie)), ".")
	id, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || len(id) != deviceIDLen {
		return "", nil
	}
	expires, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !a.now().Before(time.Unix(expires, 0)) {
		return "", nil
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return "", nil
	}
	u, hash, key, err := a.store.UserDeviceKeys(c.UserContext(), email)
	if errors.Is(err, experiments.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !hmac.Equal(got, deviceMAC(hash, key, u, expires, id)) {
		return "", nil
	}
	if revoked, err := a.store.DeviceRevoked(c.UserContext(), u.ID, id); err != nil || revoked {
		return "", err
	}
	return id, nil
}

// loadSession reads the session cookie, if any, and keeps the session in
// the request's locals. It slides the expiry forward.
func (a *App) loadSession(c *fiber.Ctx) error {
	id := c.Cookies(a.cookieName("copylab_session"))
	if id == "" {
		return c.Next()
	}
	hash := hashSecret(id)
	sess, user, err := a.store.SessionByHash(c.UserContext(), hash)
	if errors.Is(err, experiments.ErrNotFound) {
		a.clearCookie(c, "copylab_session")
		return c.Next()
	}
	if err != nil {
		return err
	}
	if a.now().Sub(sess.CreatedAt) >= sessionMaxAge {
		_ = a.store.DeleteSession(c.UserContext(), hash)
		a.clearCookie(c, "copylab_session")
		return c.Next()
	}
	s := &session{hash: hash, csrf: sess.CSRFToken, user: user, expires: sess.ExpiresAt}
	if next := sessionExpiry(sess.CreatedAt, a.now()); next.Sub(s.expires) >= sessionRefresh {
		s.expires = next
		if err := a.store.ExtendSession(c.UserContext(), hash, s.expires); err != nil {
			return err
		}
		a.setCookie(c, "copylab_session", id, s.expires)
	} else if a.now().Sub(sess.LastSeenAt) >= sessionRefresh {
		// The expiry has reached its cap (sessionMaxAge) and no longer
		// moves, but Settings still shows when the browser was last seen.
		if err := a.store.ExtendSession(c.UserContext(), hash, s.expires); err != nil {
			return err
		}
	}
	c.Locals(localSession, s)
	c.SetUserContext(experiments.WithActor(c.UserContext(), user.Email))
	return c.Next()
}

// peekSession loads the session, if any, without sliding it or touching
// cookies; errors leave the request signed out.
func (a *App) peekSession(c *fiber.Ctx) {
	id := c.Cookies(a.cookieName("copylab_session"))
	if id == "" {
		return
	}
	hash := hashSecret(id)
	if sess, user, err := a.store.SessionByHash(c.UserContext(), hash); err == nil && a.now().Sub(sess.CreatedAt) < sessionMaxAge {
		c.Locals(localSession, &session{hash: hash, csrf: sess.CSRFToken, user: user, expires: sess.ExpiresAt})
	}
}

// accountKey names the signed-in account in in-memory limits, such as
// the one on webhook test messages. The id alone would not do: users.id is
// an integer primary key without AUTOINCREMENT, so SQLite gives a removed
// account's id, the highest, to the next account added, which would take
// over the removed one's limits. With the account's creation time, to the
// millisecond, it names one account: an account that gets the id again is
// made later.
func (s *session) accountKey() string {
	return strconv.FormatInt(s.user.ID, 10) + "." + strconv.FormatInt(s.user.CreatedAt.UnixMilli(), 10)
}

func sessionOf(c *fiber.Ctx) *session {
	s, _ := c.Locals(localSession).(*session)
	return s
}

// requireUser sends visitors without a session to the sign-in page,
// remembering where they were going.
func (a *App) requireUser(c *fiber.Ctx) error {
	if sessionOf(c) != nil {
		// A signed-in page holds what is not for the next person at this
		// browser (share links with their tokens, copy, names): kept in
		// no cache, the browser's included. A handler may say otherwise.
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
	target := "/login"
	next := ""
	switch {
	case c.Method() == fiber.MethodGet && c.Get("HX-Request") == "true":
		// htmx asks for a part of the page the browser is on (the
		// results page's refresh): come back to that page, not to the
		// bare fragment.
		next = a.htmxPage(c)
	case c.Method() == fiber.MethodGet:
		next = c.OriginalURL()
	case unsafeMethod(c.Method()) && routedPath(c.Path()) != "/logout" && a.sentFromHere(c):
		// A form sent after the session ended (signed out in another
		// tab, or expired): what was typed is lost, so say so, and come
		// back to the page the form was on. Signing out again loses
		// nothing. A form another site sent gets neither: it could
		// otherwise plant the message and pick the page.
		a.setFlash(c, "error", "You were signed out. Sign in again, then send the form again.")
		next = a.formPage(c)
	}
	if next != "" && next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	if c.Get("HX-Request") == "true" {
		// htmx would follow a redirect and swap the sign-in page into a
		// fragment; ask it to load the page instead.
		c.Set("HX-Redirect", target)
		return c.SendStatus(http.StatusUnauthorized)
	}
	return c.Redirect(target, http.StatusSeeOther)
}

// sentFromHere reports whether an unsafe request is not another site's,
// as the forms' Origin check judges it (checkOrigin): a browser names the
// site that sent a form in Origin.
func (a *App) sentFromHere(c *fiber.Ctx) bool { return a.checkOrigin(c) != originForeign }

// formPage is the page a form sent without a session was on, for the
// sign-in page to return to: the Referer's path and query when the
// Referer is this app's own page, else the form's own address when a
// person can open it (the edit page a form posts back to), else "". An
// address that takes only a POST is never given: signing in would lead
// to a page that refuses the GET.
func (a *App) formPage(c *fiber.Ctx) string {
	if p := a.ownPage(c, c.Get(fiber.HeaderReferer)); p != "" {
		return p
	}
	if a.pageToReturnTo(c.Path()) {
		return c.OriginalURL()
	}
	return ""
}

// htmxPage is the page an htmx request without a session was made from,
// for the sign-in page to return to: the path and query of HX-Current-URL
// (the address in the browser's bar) when it is this app's own page,
// else the nearest page above the fragment's address (the results page
// for its /live part), else "".
func (a *App) htmxPage(c *fiber.Ctx) string {
	if p := a.ownPage(c, c.Get("HX-Current-URL")); p != "" {
		return p
	}
	if p, ok := a.formPageAbove(c.Path()); ok && p != "/" {
		return p
	}
	return ""
}

// ownPage returns the path and query of the absolute address raw when
// it is a page of this app that a person can open (pageToReturnTo), at
// the app's own origin (ownOrigin), and "" otherwise.
func (a *App) ownPage(c *fiber.Ctx, raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !a.ownOrigin(c, canonicalOrigin(u.Scheme, u.Host)) {
		return ""
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if a.pageToReturnTo(u.Path) && localPath(p, "") != "" {
		return p
	}
	return ""
}

// ownOrigin reports whether origin (canonicalOrigin) is the app's own, as
// checkOrigin judges an Origin header: the public URL's, or the one the
// request was sent to.
func (a *App) ownOrigin(c *fiber.Ctx, origin string) bool {
	if origin == canonicalOrigin(a.public.Scheme, a.public.Host) {
		return true
	}
	scheme, known := a.requestScheme(c)
	host := a.requestHost(c)
	return origin == canonicalOrigin(scheme, host) || (!known && origin == canonicalOrigin("https", host))
}

// pageToReturnTo reports whether path is a signed-in page a person can
// open (a GET route, not the sign-in page's).
func (a *App) pageToReturnTo(path string) bool {
	path = routedPath(path)
	if path == "/login" || path == "/setup" || strings.HasPrefix(path, "/invite/") || audienceOf(path) != forPages {
		return false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range a.fiber.GetRoutes(true) {
		if r.Method == fiber.MethodGet && !strings.Contains(r.Path, "*") &&
			matchSegments(strings.Split(strings.Trim(r.Path, "/"), "/"), segs) {
			return true
		}
	}
	return false
}

func unsafeMethod(m string) bool {
	return m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions
}

var errCSRF = newHTTPError(http.StatusForbidden, "csrf", "This form has expired or did not come from copylab. Go back, reload the page and try again.")

// errPlainHTTP answers a form posted from a page on plain http when
// cookies are Secure: the browser neither keeps nor sends them there, so
// reloading would not help, and the page says where to go instead.
func (a *App) errPlainHTTP() error {
	where := "over https"
	if a.public.Scheme == "https" {
		where = "at " + a.public.String()
	}
	return newHTTPError(http.StatusForbidden, "https_required",
		"This page was opened over plain http, and copylab's cookies work over https only. Open copylab "+where+" and try again.")
}

// errCookiesDropped answers a signed-out form posted over plain http on
// this computer (an SSH tunnel, say) by a browser that did not keep the
// form's Secure cookie: Chrome and Firefox keep Secure cookies on
// loopback, Safari does not (https://bugs.webkit.org/show_bug.cgi?id=281149).
func (a *App) errCookiesDropped() error {
	where := "over https"
	if a.public.Scheme == "https" {
		where = "at " + a.public.String()
	}
	return newHTTPError(http.StatusForbidden, "cookies_refused",
		"This browser did not keep copylab's cookies: they are Secure, and this page is on plain http. Open copylab "+where+", or use Chrome or Firefox, which keep them on this computer.")
}

// checkCSRF requires the session's CSRF token on every unsafe request, in
// the _csrf form field or (htmx) the X-CSRF-Token header, compared in
// constant time, and an Origin that is the app's own (checkOrigin).
func (a *App) checkCSRF(c *fiber.Ctx) error {
	if !unsafeMethod(c.Method()) {
		return c.Next()
	}
	origin := a.checkOrigin(c)
	if origin == originPlainHTTP {
		return a.errPlainHTTP()
	}
	s := sessionOf(c)
	if s == nil || !tokensEqual(s.csrf, submittedCSRF(c)) || origin == originForeign {
		return errCSRF
	}
	return c.Next()
}

// checkFormCSRF protects the forms shown before signing in (sign-in and
// setup) with a double-submit token: a random cookie that the form repeats.
// A cross-site page can make a browser post the form, but it cannot read
// or set the cookie, so it cannot repeat it. Only a token in the shape
// formCSRF issues counts: a short or odd value that a sibling subdomain,
// or a hand-made request (copylab_csrf=x, _csrf=x), puts in the cookie
// and repeats gets the same 403 as one that does not match.
func (a *App) checkFormCSRF(c *fiber.Ctx) error {
	if !unsafeMethod(c.Method()) {
		return c.Next()
	}
	origin := a.checkOrigin(c)
	if origin == originPlainHTTP {
		return a.errPlainHTTP()
	}
	cookie := c.Cookies(a.cookieName("copylab_csrf"))
	if origin == originLoopbackHTTP && cookie == "" && submittedCSRF(c) != "" {
		// The page had a token, so it set the cookie: the browser
		// dropped it.
		return a.errCookiesDropped()
	}
	if !secretShaped(cookie) || !tokensEqual(cookie, submittedCSRF(c)) || origin == originForeign {
		return errCSRF
	}
	return c.Next()
}

// originVerdict is what checkOrigin makes of an unsafe request's Origin.
type originVerdict int

const (
	originOwn     originVerdict = iota // the app's own origin, or none given
	originForeign                      // another origin: refused
	// originPlainHTTP: the app's own host and port, but over plain http
	// while cookies are Secure, from another computer. Refused, with a
	// sentence that says to use https: the browser has no cookies to
	// send, and its page could have been written by anyone on the way.
	originPlainHTTP
	// originLoopbackHTTP: plain http while cookies are Secure, but from
	// this computer to itself (checkOrigin): accepted.
	originLoopbackHTTP
)

// checkOrigin refuses an unsafe request whose browser says it comes from
// another origin. The tokens alone cannot tell when a page on a sibling
// subdomain has planted the double-submit cookie (a plain http copylab
// has no __Host- cookies) or when another app on the same host shares
// cookies. An origin is a scheme, a host and a port, and all three must
// be the app's own: a page at http://host (which anyone on the network
// path can write) or at another port of the same host is not the app at
// https://host. The app's own origins are the public URL's and the one
// the request was sent to (requestScheme, requestHost). A request without
// an Origin header (scripts, older browsers) passes, as its Referer is not
// read: the tokens still guard it.
//
// When nothing says how the browser reached the app (a plain connection,
// cookies not Secure, no trusted proxy's X-Forwarded-Proto), the request
// may have come through a TLS-terminating proxy that nobody told copylab
// of: the https origin of the same host and port then passes too. The
// reverse never does: once the app knows it is https, an http page is
// refused.
//
// With one exception: when cookies are Secure, a page on plain http at
// the very host and port the request was sent to, where that host is
// loopback (localhost, *.localhost, 127.0.0.1, ::1) and so is the client
// (an SSH tunnel to 127.0.0.1:8080, or a browser on the server). Nobody on a
// network path can write such a page, and browsers that treat loopback as
// a secure context (Chrome, Firefox) keep Secure cookies there, so the
// forms work. A client that is not loopback gets a sentence that says to
// use https instead of a refusal that reloading would not cure.
func (a *App) checkOrigin(c *fiber.Ctx) originVerdict {
	o := c.Get(fiber.HeaderOrigin)
	if o == "" {
		return originOwn
	}
	got, ok := parseOrigin(o)
	if !ok {
		return originForeign // "null": a sandboxed or privacy-stripped sender
	}
	if got == canonicalOrigin(a.public.Scheme, a.public.Host) {
		return originOwn
	}
	host := a.requestHost(c)
	if a.secure && strings.HasPrefix(got, "http://") {
		switch {
		case got != canonicalOrigin("http", host) && got != canonicalOrigin("http", a.public.Host):
			return originForeign
		case got == canonicalOrigin("http", host) && a.plainLoopback(c, host):
			return originLoopbackHTTP
		}
		return originPlainHTTP
	}
	scheme, known := a.requestScheme(c)
	if got == canonicalOrigin(scheme, host) || (!known && got == canonicalOrigin("https", host)) {
		return originOwn
	}
	return originForeign
}

// plainLoopback reports whether a request to host came over plain http
// from this computer to a loopback address of its own: no TLS, no trusted
// proxy saying https, a loopback host, and a loopback client (through
// trusted proxies, and never through a proxy that is not trusted but says
// it forwarded the request).
func (a *App) plainLoopback(c *fiber.Ctx, host string) bool {
	if c.Context().IsTLS() || strings.EqualFold(a.forwardedValue(c, fiber.HeaderXForwardedProto), "https") {
		return false
	}
	if !a.fromTrustedProxy(c) && forwarded(c) {
		return false
	}
	client, err := netip.ParseAddr(a.clientIP(c))
	return err == nil && client.Unmap().IsLoopback() && loopbackHost(host)
}

// loopbackHost reports whether host (with or without a port) names this
// computer: localhost, a name under .localhost (app.localhost, which
// RFC 6761 reserves for loopback and browsers resolve there themselves),
// or a loopback address. Case and one trailing dot do not count.
func loopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower((&url.URL{Host: host}).Hostname()), ".")
	if h == "localhost" {
		return true
	}
	if sub, ok := strings.CutSuffix(h, ".localhost"); ok {
		return sub != "" && !slices.Contains(strings.Split(sub, "."), "")
	}
	addr, err := netip.ParseAddr(h)
	return err == nil && addr.Unmap().IsLoopback()
}

// requestScheme is the scheme the browser sent the request over, and
// whether anything says so. It is https on a TLS connection; behind a
// trusted proxy, the X-Forwarded-Proto it sets (of a list, the value of
// the outermost trusted proxy, the one that faced the browser:
// forwardedValue); and https when cookies are Secure, since browsers send
// those (and with them the session and the form token) only over https:
// the app is then behind a TLS-terminating proxy. A proxy that is not
// trusted is not believed, like its X-Forwarded-For (proxy.go).
// Otherwise it is http, unknown.
func (a *App) requestScheme(c *fiber.Ctx) (scheme string, known bool) {
	scheme = "http"
	if c.Context().IsTLS() || a.secure {
		scheme, known = "https", true
	}
	if p := strings.ToLower(a.forwardedValue(c, fiber.HeaderXForwardedProto)); p == "http" || p == "https" {
		scheme, known = p, true
	}
	return scheme, known
}

// requestHost is the host and port the browser sent the request to: the
// Host header, or behind a trusted proxy the X-Forwarded-Host it sets (of
// a list, the outermost trusted proxy's: forwardedValue). A proxy that
// passes requests to copylab's own address (nginx's proxy_pass without
// proxy_set_header Host) sends that address as Host; the browser's is in
// X-Forwarded-Host. Nobody else's X-Forwarded-Host is believed, nor one
// that is not a host with an optional port.
func (a *App) requestHost(c *fiber.Ctx) string {
	if h := a.forwardedValue(c, fiber.HeaderXForwardedHost); h != "" && validHostPort(h) {
		return h
	}
	return string(c.Request().Host())
}

// validHostPort reports whether s is a host with an optional port and
// nothing else.
func validHostPort(s string) bool {
	u, err := url.Parse("http://" + s)
	return err == nil && u.Host == s && u.Hostname() != "" && u.User == nil &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery
}

// parseOrigin reads an Origin header, scheme://host[:port] and nothing
// more, in canonical form.
func parseOrigin(o string) (string, bool) {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", false
	}
	return canonicalOrigin(u.Scheme, u.Host), true
}

// canonicalOrigin writes an origin so that equal origins compare equal:
// scheme and host in lower case, and the port always written, the
// scheme's default when host has none (https://h and https://h:443 are
// one origin, http://h and https://h are two).
func canonicalOrigin(scheme, host string) string {
	scheme = strings.ToLower(scheme)
	h := &url.URL{Host: host}
	port := h.Port()
	if port == "" {
		port = "80"
		if scheme == "https" {
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(h.Hostname()), port)
}

// formCSRF returns the double-submit token of the signed-out forms,
// setting its cookie when the browser has none yet, or one that is not in
// the shape this issues (checkFormCSRF would refuse it).
func (a *App) formCSRF(c *fiber.Ctx) string {
	if tok := c.Cookies(a.cookieName("copylab_csrf")); secretShaped(tok) {
		return tok
	}
	tok := newSecret()
	a.setCookie(c, "copylab_csrf", tok, time.Time{})
	return tok
}

func submittedCSRF(c *fiber.Ctx) string {
	if v := c.Get("X-CSRF-Token"); v != "" {
		return v
	}
	return c.FormValue("_csrf")
}

func tokensEqual(want, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// apiAuth requires a valid API token in one Authorization: Bearer
// header. Every answer of the API is kept in no cache, as the signed-in
// pages are (requireUser): an experiment's carries its share link, whose
// token opens the results to anyone, and a site's its key.
func (a *App) apiAuth(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := refuseTwoAuthorizations(c); err != nil {
		return err
	}
	auth := c.Get(fiber.HeaderAuthorization)
	scheme, token, ok := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="copylab"`)
		return newHTTPError(http.StatusUnauthorized, "unauthorized", "Send an API token in the Authorization header: Authorization: Bearer cl_…. Create one under Settings.")
	}
	u, t, err := a.store.APITokenByHash(c.UserContext(), hashSecret(token))
	if errors.Is(err, experiments.ErrNotFound) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="copylab", error="invalid_token"`)
		return newHTTPError(http.StatusUnauthorized, "invalid_token", "This API token is not valid: it may have been revoked.")
	}
	if err != nil {
		return err
	}
	// A read-only token calls the GETs alone (Fiber answers a HEAD with
	// the GET's route). It is refused here, once for every route, before
	// the query, the body or an Idempotency-Key is read: a write added
	// later cannot forget the rule, and a refused call does nothing.
	if t.ReadOnly() && c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return errTokenReadOnly
	}
	c.Locals(localAPIUser, u)
	c.SetUserContext(experiments.WithActor(c.UserContext(), u.Email+" (API)"))
	return c.Next()
}

// refuseTwoAuthorizations answers errTwoAuthorizations, with its
// WWW-Authenticate, to a request with more than one Authorization header,
// and nil to any other. Two are refused rather than one of them read: Get
// reads the first, so a proxy or a client library that adds its own header
// would decide which token acts, and a read-only token sent first would
// hide the full one behind it, or the other way round. (/metrics does not
// refuse them out loud: there the token just does not act, metricsAccess.)
func refuseTwoAuthorizations(c *fiber.Ctx) *httpError {
	if len(c.Request().Header.PeekAll(fiber.HeaderAuthorization)) > 1 {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="copylab", error="invalid_request"`)
		return errTwoAuthorizations
	}
	return nil
}

// errTwoAuthorizations answers a request with more than one Authorization
// header (refuseTwoAuthorizations).
var errTwoAuthorizations = newHTTPError(http.StatusBadRequest, "invalid_authorization", "Send one Authorization header.")

// errTokenReadOnly answers a read-only token's POST, PATCH or DELETE.
var errTokenReadOnly = newHTTPError(http.StatusForbidden, "token_read_only",
	"This token can only read: make a full token under Settings → API tokens to change things.")

// Flash messages travel in a short-lived cookie signed with a per-process
// key, so that nobody else can make the app display a message of theirs.
const flashCookie = "copylab_flash"

func (a *App) setFlash(c *fiber.Ctx, kind, text string) {
	payload := kind + "\x00" + text
	mac := hmac.New(sha256.New, a.flashKey)
	mac.Write([]byte(payload))
	v := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	a.setCookie(c, flashCookie, v, a.now().Add(5*time.Minute))
}

// takeFlash reads and clears the flash message.
func (a *App) takeFlash(c *fiber.Ctx) (kind, text string) {
	v := c.Cookies(a.cookieName(flashCookie))
	if v == "" {
		return "", ""
	}
	a.clearCookie(c, flashCookie)
	p, sig, ok := strings.Cut(v, ".")
	if !ok {
		return "", ""
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	got, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return "", ""
	}
	mac := hmac.New(sha256.New, a.flashKey)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return "", ""
	}
	kind, text, _ = strings.Cut(string(payload), "\x00")
	return kind, text
}

// localPath returns next when it is a path on this site, else fallback: a
// sign-in link must not send people to another site.
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return fallback
		}
	}
	return next
}
