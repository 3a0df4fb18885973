package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// loginShow answers GET /login: the sign-in form, or the app for someone
// already signed in.
func (a *App) loginShow(c *fiber.Ctx) error {
	next := localPath(c.Query("next"), "/experiments")
	if sessionOf(c) != nil {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	n, err := a.store.UserCount(c.UserContext())
	if err != nil {
		return err
	}
	p := a.page(c, "")
	p.Title = "Sign in"
	p.CSRF = a.formCSRF(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	// ?email= fills the email in (and puts the focus on the password) for
	// someone sent here whose email copylab knows: an invitee whose
	// account is ready. Anything that is not an email (emailError, as
	// the account forms judge it) is left out.
	email := normalizeEmail(c.Query("email"))
	if emailError(email) != "" {
		email = ""
	}
	return render(c, views.Login(views.LoginPage{Page: p, Email: email, Next: next, NoUsers: n == 0}))
}
