package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// inviteAccept answers POST /invite/:token: it makes the account with the
// name and password given, uses the invite up in the same transaction
// (Store.AcceptInvite: of two submissions at once, one makes the account
// and the other finds the link gone), signs the newcomer in and lands them
// on the sites list.
//
// Each attempt counts against the sign-in limiter before the link is
// looked up, as opening the link does (reserveInviteTry). An attempt on a
// link that works is given back, whatever the form's mistakes: it is not
// a guess.
func (a *App) inviteAccept(c *fiber.Ctx) error {
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

	name, password := strings.TrimSpace(c.FormValue("name")), c.FormValue("password")
	errs := views.Errors{}
	if msg := inviteNameError(name); msg != "" {
		errs["name"] = msg
	}
	newPasswordErrors(errs, password, c.FormValue("password2"))
	if len(errs) > 0 {
		a.logins.GiveBack(at)
		p := a.page(c, "")
		p.Title = "Join copylab"
		p.CSRF = a.formCSRF(c)
		ip := views.InvitePage{Page: p, Action: invitePrefix + token, Email: inv.Email, InvitedBy: inv.InvitedBy, Name: name, Role: string(inv.Role), Errors: errs}
		if s := sessionOf(c); s != nil {
			ip.SignedInAs = s.user.Email
		}
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Invite(ip))
	}

	hash, err := hashPassword(password, a.cfg.BcryptCost)
	if err != nil {
		a.logins.GiveBack(at)
		return err
	}
	if a.beforeAcceptInvite != nil {
		a.beforeAcceptInvite()
	}
	user, err := a.store.AcceptInvite(c.UserContext(), tokenHash, name, hash, a.now())
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		// Used by a submission a moment earlier, or expired meanwhile.
		// Used: the account exists now, most often made by the same
		// person's first click of a double click, whose answer the browser
		// dropped for this one's. Saying the link is dead would have them
		// ask for a new link they do not need: they sign in instead.
		a.logins.GiveBack(at)
		if _, _, err := a.store.UserByEmail(c.UserContext(), inv.Email); err == nil {
			return a.inviteUsed(c)
		}
		return a.inviteGone(c)
	case errors.Is(err, experiments.ErrConflict):
		// Added by hand since the invite was made: the link is used up.
		a.logins.GiveBack(at)
		return a.inviteUsed(c)
	case err != nil:
		a.logins.GiveBack(at)
		return err
	}
	a.logins.Succeeded(at)
	a.joined.add(tokenHash, user.Email, a.now())
	a.log.Info("invite accepted", "email", user.Email, "invited_by", inv.InvitedBy)
	if err := a.startSession(c, user); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/sites", "ok", "Welcome to copylab! Your account is ready.")
}

// itoaMinutes says a whole number of minutes: "1 minute", "5 minutes".
func itoaMinutes(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}
