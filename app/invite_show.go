package app

import (
	"errors"
	"math"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// inviteHeaders go on every answer under /invite/, its errors' included:
// the path holds the link's secret, so the page sends no Referer (not
// even to copylab's own assets), is kept in no cache and is not indexed.
func (a *App) inviteHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// inviteShow answers GET /invite/:token, public: the invite's email, and
// a name and password to make the account with. A link that does not work
// gets the one page that says so (inviteGone). Opening a link is a try
// counted like sending its form (reserveInviteTry), and given back when
// the link works, so that its newcomer's own opens never add up.
func (a *App) inviteShow(c *fiber.Ctx) error {
	token := c.Params("token")
	tokenHash := hashSecret(token)
	at, err := a.reserveInviteTry(c, tokenHash)
	if err != nil {
		return err
	}
	inv, ok, err := a.inviteOf(c, token)
	if err != nil {
		a.logins.GiveBack(at)
		return err
	}
	if !ok {
		return a.inviteTryGone(c, at, tokenHash)
	}
	a.logins.GiveBack(at)
	// Added by hand since the invite was made: the form could only end
	// in "an account exists already", so say it now.
	if _, _, err := a.store.UserByEmail(c.UserContext(), inv.Email); err == nil {
		return a.inviteUsed(c)
	} else if !errors.Is(err, experiments.ErrNotFound) {
		return err
	}
	p := a.page(c, "")
	p.Title = "Join copylab"
	p.CSRF = a.formCSRF(c)
	ip := views.InvitePage{Page: p, Action: invitePrefix + token, Email: inv.Email, InvitedBy: inv.InvitedBy, Name: inv.Name, Role: string(inv.Role)}
	if s := sessionOf(c); s != nil {
		ip.SignedInAs = s.user.Email
	}
	return render(c, views.Invite(ip))
}

// reserveInviteTry counts a try of the invite link of tokenHash against
// the sign-in limiter, per client and per link as a sign-in counts per
// client and email, before the link is looked up. Opening a link and
// sending its form both count, so guessing links costs as much either way,
// and as much as guessing passwords. Past the limit it returns the 429.
// The caller gives the attempt back when the link turns out to work.
func (a *App) reserveInviteTry(c *fiber.Ctx, tokenHash string) (attempt, error) {
	at, ok, wait := a.logins.Reserve(limitKey(a.clientIP(c)), "invite:"+tokenHash)
	if !ok {
		minutes := max(int(math.Ceil(wait.Minutes())), 1)
		return attempt{}, &httpError{Status: http.StatusTooManyRequests, Code: "too_many_attempts", RetryAfter: wait,
			Message: "Too many attempts from your network. Please wait about " + itoaMinutes(minutes) + " and try again."}
	}
	return at, nil
}

// inviteTryGone answers a try of a link that does not work (inviteGone).
// The try stays counted, since it may be a guess, unless the link made an
// account lately: that is its newcomer coming back.
func (a *App) inviteTryGone(c *fiber.Ctx, at attempt, tokenHash string) error {
	if _, _, joined := a.joined.lookup(tokenHash, a.now()); joined {
		a.logins.GiveBack(at)
	}
	return a.inviteGone(c)
}

// inviteOf finds the invite of token while it works.
func (a *App) inviteOf(c *fiber.Ctx, token string) (experiments.Invite, bool, error) {
	if !validInviteToken(token) {
		return experiments.Invite{}, false, nil
	}
	inv, err := a.store.InviteByHash(c.UserContext(), hashSecret(token), a.now())
	if errors.Is(err, experiments.ErrNotFound) {
		return experiments.Invite{}, false, nil
	}
	return inv, err == nil, err
}

// inviteGone is the 404 of an invite link that does not work: used,
// revoked, replaced, expired or never made, the same page for each, so
// that nobody learns which links once worked. Its reader usually has no
// account yet, so it is the signed-out frame whoever asks. The exceptions
// are a link that made an account moments ago, and the newcomer's own
// browser within the hour (joinedLinks): they lead on to sign-in, or to
// the account.
func (a *App) inviteGone(c *fiber.Ctx) error {
	if email, age, ok := a.joined.lookup(hashSecret(c.Params("token")), a.now()); ok {
		s := sessionOf(c)
		switch {
		case s != nil && strings.EqualFold(email, s.user.Email):
			return a.redirectWithFlash(c, "/sites", "ok", "You have joined already: this is your account.")
		case s == nil && age < joinedLinkFresh:
			return a.inviteUsed(c)
		}
	}
	c.Status(http.StatusNotFound)
	return render(c, views.InviteGone(views.Page{Title: "Invite link no longer works", Assets: a.assets.views()}))
}

// inviteUsedFlash is what sign-in says to whoever sends or opens an invite
// link whose account exists.
const inviteUsedFlash = "This invite link has been used already: sign in with its account’s email and password."

// inviteUsed sends whoever holds an invite link whose account exists (made
// with the link a moment ago, or added by hand while the invite was
// pending) to sign-in, saying the link is used. Neither the address nor
// the page names the account's email: the link outlives its use in chat
// histories and mail logs, and their readers are not to learn from it
// which email can sign in.
func (a *App) inviteUsed(c *fiber.Ctx) error {
	return a.redirectWithFlash(c, "/login", "ok", inviteUsedFlash)
}
