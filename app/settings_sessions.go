package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// errBadSessionID answers a Sign out whose address does not name a session
// in the form copylab gives them (experiments.IsSessionID).
var errBadSessionID = errBadRequest("invalid_session_id", "",
	"That is not the id of a signed-in browser. Go back to Settings and use the Sign out button beside the browser.")

// sessionsSection is the signed-in browsers of Settings: the user's live
// sessions, with this browser's marked.
func (a *App) sessionsSection(c *fiber.Ctx) (views.SessionsSection, error) {
	s := sessionOf(c)
	list, err := a.store.UserSessions(c.UserContext(), s.user.ID, s.hash)
	if err != nil {
		return views.SessionsSection{}, err
	}
	out := views.SessionsSection{Now: a.now(), CSRF: s.csrf}
	for _, b := range list {
		out.Rows = append(out.Rows, views.SessionRow{ID: b.ID, Browser: browserSummary(b.UserAgent), UserAgent: b.UserAgent,
			SignedIn: b.CreatedAt, LastSeen: b.LastSeenAt, Current: b.Current})
	}
	return out, nil
}

// sessionRevoke answers POST /settings/sessions/:id/delete: it signs out
// one of the user's browsers and voids its device cookie (a day past the
// longest a cookie lives, however old it is). Another user's session is
// not found, like one that does not exist. Signing out this browser here
// is signing out, which keeps its device cookie.
func (a *App) sessionRevoke(c *fiber.Ctx) error {
	id := c.Params("id")
	if !experiments.IsSessionID(id) {
		return errBadSessionID
	}
	s := sessionOf(c)
	current, err := a.store.DeleteUserSession(c.UserContext(), s.user.ID, id, s.hash, a.now().Add(deviceTTL+24*time.Hour))
	if err != nil {
		return err
	}
	if current {
		a.clearCookie(c, "copylab_session")
		return a.redirectWithFlash(c, "/login", "ok", "You are signed out.")
	}
	return a.redirectWithFlash(c, "/settings#sessions", "ok", "That browser is signed out. It has to sign in again to use copylab.")
}

// sessionsRevokeOthers answers POST /settings/sessions/delete-others: it
// signs out every browser of the user but this one and replaces the
// account's device key, so that no other browser's device cookie counts
// any more (see deviceMAC). This browser keeps its device cookie, signed
// again with the new key under the same id (so its failed sign-ins still
// count), if it had a valid one; a browser without one gets none: a
// session alone, which a thief may hold, must not buy a fresh device and
// with it ten more password guesses, over and over. With the revoke_tokens
// box ticked the user's API tokens are revoked in the same change, for a
// thief's session could have made one; otherwise they keep working, and
// the message says how many.
func (a *App) sessionsRevokeOthers(c *fiber.Ctx) error {
	s := sessionOf(c)
	device, err := a.deviceID(c, s.user.Email)
	if err != nil {
		return err
	}
	kept := device
	if kept == "" {
		kept = newDeviceID() // no browser holds it: the session's own record only
	}
	n, tokens, err := a.store.SignOutOthers(c.UserContext(), s.user.ID, s.hash, newSecret(), kept, c.FormValue("revoke_tokens") != "")
	if err != nil {
		return err
	}
	if device != "" {
		u, hash, key, err := a.store.UserDeviceKeys(c.UserContext(), s.user.Email)
		if err != nil {
			return err
		}
		a.setDeviceCookie(c, u, hash, key, device)
	}
	msg := "No other browser was signed in. Browsers you signed in from before now count as new ones."
	switch {
	case n == 1:
		msg = "1 other browser is signed out. Only this browser is still signed in."
	case n > 1:
		msg = fmt.Sprintf("%d other browsers are signed out. Only this browser is still signed in.", n)
	}
	return a.redirectWithFlash(c, "/settings#sessions", "ok", msg+tokensSentence(tokens)) // password_change.go
}

// osRules name the operating system in a user agent, tried in order:
// iPhones and iPads say "like Mac OS X", and Android says "Linux".
var osRules = []struct{ token, name string }{
	{"iphone", "iOS"}, {"ipod", "iOS"}, {"ipad", "iPadOS"},
	{"android", "Android"},
	{"cros", "ChromeOS"},
	{"windows", "Windows"},
	{"macintosh", "macOS"}, {"mac os x", "macOS"},
	{"linux", "Linux"},
}

// browserSummary names the browser of a session for Settings, "Chrome on
// macOS", from the user agent it signed in with. The browser's family is
// the one events are counted by (experiments.ParseUserAgent); only the
// operating system is read here. It says "Unknown browser" when it can
// tell neither, as for sessions from before user agents were kept.
func browserSummary(ua string) string {
	browser := experiments.ParseUserAgent(ua).Browser
	lower := strings.ToLower(ua)
	os := ""
	for _, r := range osRules {
		if strings.Contains(lower, r.token) {
			os = r.name
			break
		}
	}
	switch {
	case browser == "Other" && os == "":
		return "Unknown browser"
	case browser == "Other":
		return "A browser on " + os
	case os == "":
		return browser
	}
	return browser + " on " + os
}
