package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// passwordChange answers POST /settings/password: the current password,
// then the new one twice. A wrong current password counts against the
// same limits as a failed sign-in for that email (a stolen session must
// not become a way to guess the password), the device cookie's included.
// On success every other browser signed in as the user is signed out, and
// this one gets a new session and device cookie (the old ones no longer
// count: they were signed with the old password's hash).
func (a *App) passwordChange(c *fiber.Ctx) error {
	s := sessionOf(c)
	current, next, again := c.FormValue("current_password"), c.FormValue("password"), c.FormValue("password2")
	errs := views.Errors{}
	newPasswordErrors(errs, next, again)
	if current == "" {
		errs["current_password"] = "Enter the password you use now."
	}
	if len(errs) == 0 {
		at, ok, _, err := a.reserveSignIn(c, s.user.Email)
		if err != nil {
			return err
		}
		if !ok {
			errs["current_password"] = "Too many wrong passwords for this account; wait a few minutes and try again."
		} else if match, err := a.checkPassword(c, s.user.Email, current); err != nil {
			a.logins.GiveBack(at)
			return err
		} else if !match {
			errs["current_password"] = "That is not your current password."
		} else {
			a.logins.Succeeded(at)
		}
	}
	if len(errs) > 0 {
		p, err := a.settingsPage(c)
		if err != nil {
			return err
		}
		p.PasswordErrors = errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Settings(p))
	}
	if _, err := setPassword(c.UserContext(), a.store, s.user.Email, next, a.cfg.BcryptCost); err != nil {
		return err
	}
	if err := a.startSession(c, s.user); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/settings", "ok", "Your password is changed. Any other browser signed in as you is signed out.")
}

// checkPassword compares password with the stored hash of the user with
// that email, in one of the sign-in limiter's password-check slots.
func (a *App) checkPassword(c *fiber.Ctx, email, password string) (bool, error) {
	_, hash, err := a.store.UserByEmail(c.UserContext(), email)
	if err != nil {
		return false, err
	}
	match, busy := a.logins.compare(c.UserContext(), hash, password)
	if busy {
		return false, errSignInBusy
	}
	return match, nil
}
