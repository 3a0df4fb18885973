package app

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// loginFailed is the one message for every failed sign-in: it must not
// tell whether the email has an account.
const loginFailed = "That email and password do not match an account. Check them and try again."

// errSignInBusy answers a sign-in that found every password-check slot
// taken (see limiter.slots): a flood of attempts is under way, and a
// moment later there is room again.
var errSignInBusy = &httpError{Status: http.StatusTooManyRequests, Code: "sign_in_busy", RetryAfter: time.Second,
	Message: "Many sign-ins are being checked right now. Please try again in a moment."}

// loginSubmit answers POST /login. Every attempt is counted before its
// password is checked, per client and email, per client, and per email or,
// from a browser with a device cookie for that email, per device (see
// loginMaxFailures); past a limit it answers 429 without checking the
// password. A successful sign-in does not count. Unknown emails are checked
// against a dummy hash so that they take as long as a wrong password.
func (a *App) loginSubmit(c *fiber.Ctx) error {
	email := normalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"), "/experiments")

	at, ok, wait, err := a.reserveSignIn(c, email)
	if err != nil {
		return err
	}
	if !ok {
		minutes := int(math.Ceil(wait.Minutes()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ceilSeconds(wait)))
		c.Status(http.StatusTooManyRequests)
		p := a.page(c, "")
		p.Title = "Too many attempts"
		return render(c, views.RateLimited(views.RateLimitedPage{Page: p, RetryMinutes: max(minutes, 1)}))
	}

	user, hash, err := a.store.UserByEmail(c.UserContext(), email)
	known := err == nil
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		hash = string(a.dummyHash)
	case err != nil:
		a.logins.GiveBack(at)
		return err
	}
	match, busy := a.logins.compare(c.UserContext(), hash, password)
	if busy {
		a.logins.GiveBack(at)
		return errSignInBusy
	}
	match = match && known

	if match {
		a.logins.Succeeded(at)
		if err := a.startSession(c, user); err != nil {
			return err
		}
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	p := a.page(c, "")
	p.Title = "Sign in"
	p.CSRF = a.formCSRF(c)
	c.Status(http.StatusUnauthorized)
	return render(c, views.Login(views.LoginPage{Page: p, Email: email, Next: next, Error: loginFailed}))
}

// reserveSignIn takes a password check slot for email from this request:
// per client and email, per client, and per email or, when the browser has
// a device cookie for that email, per device (limiter.ReserveDevice).
// Sign-in and the password change both check passwords through it. A
// refused attempt gets through after all when the account's password was
// changed since the failures that refused it (reserveAfterReset).
func (a *App) reserveSignIn(c *fiber.Ctx, email string) (attempt, bool, time.Duration, error) {
	device, err := a.deviceID(c, email)
	if err != nil {
		return attempt{}, false, 0, err
	}
	client := limitKey(a.clientIP(c))
	at, ok, wait := a.logins.ReserveDevice(client, email, device)
	if !ok {
		// Refused: unless the password was changed since (login_lockout.go).
		return a.reserveAfterReset(c, client, email, device, wait)
	}
	return at, ok, wait, nil
}
