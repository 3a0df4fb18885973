package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// setupShow answers GET /setup?token=…: the form that creates the first
// account. It needs the one-time token logged at start, and exists only
// while there is no account; afterwards it sends people to sign in.
func (a *App) setupShow(c *fiber.Ctx) error {
	done, err := a.setupDone(c)
	if err != nil || done {
		return err
	}
	if !tokensEqual(a.setupToken, c.Query("token")) {
		return errNotFound
	}
	p := a.page(c, "")
	p.Title = "Create the first account"
	p.CSRF = a.formCSRF(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Setup(views.SetupPage{Page: p, Token: c.Query("token")}))
}

// setupDone redirects to the sign-in page when an account exists already.
func (a *App) setupDone(c *fiber.Ctx) (bool, error) {
	n, err := a.store.UserCount(c.UserContext())
	if err != nil {
		return false, err
	}
	if n > 0 {
		return true, a.redirectWithFlash(c, "/login", "ok", "copylab is set up already: sign in.")
	}
	return false, nil
}
