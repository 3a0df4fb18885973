package app

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/views"
)

// loginFailed is the one message for every failed sign-in: it must not
// tell whether the email has an account.
const loginFailed = "That email and password do not match an account. Check them and try again."

// loginSubmit answers POST /login. Failures are counted per IP and per
// email; past the limit it answers 429 without checking the password.
// Unknown emails are checked against a dummy hash so that they take as long
// as a wrong password.
func (a *App) loginSubmit(c *fiber.Ctx) error {
	email := normalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"), "/experiments")
	ipKey, emailKey := "ip:"+a.clientIP(c), "email:"+email

	if blocked, wait := a.logins.Blocked(ipKey, emailKey); blocked {
		minutes := int(math.Ceil(wait.Minutes()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		c.Status(http.StatusTooManyRequests)
		p := a.page(c, "")
		p.Title = "Too many attempts"
		return render(c, views.RateLimited(views.RateLimitedPage{Page: p, RetryMinutes: max(minutes, 1)}))
	}

	user, hash, err := a.store.UserByEmail(c.UserContext(), email)
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		_ = bcrypt.CompareHashAndPassword(a.dummyHash, []byte(password))
	case err != nil:
		return err
	default:
		if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil {
			a.logins.Reset(emailKey)
			if err := a.startSession(c, user); err != nil {
				return err
			}
			return c.Redirect(next, fiber.StatusSeeOther)
		}
	}
	a.logins.Add(ipKey, emailKey)
	p := a.page(c, "")
	p.Title = "Sign in"
	p.CSRF = a.formCSRF(c)
	c.Status(http.StatusUnauthorized)
	return render(c, views.Login(views.LoginPage{Page: p, Email: email, Next: next, Error: loginFailed}))
}
