package app

import (
	"net/http"

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
		return errSetupLink
	}
	p := a.page(c, "")
	p.Title = "Create the first account"
	p.CSRF = a.formCSRF(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Setup(views.SetupPage{Page: p, Token: c.Query("token")}))
}

// errSetupLink answers a setup link with a wrong token while there is no
// account yet. The link is made anew at each start, so the usual wrong
// one is the link of an earlier start; the page says where the current
// one is. It says nothing the sign-in page does not say already.
var errSetupLink = newHTTPError(http.StatusNotFound, "setup_link_invalid",
	"This setup link does not work: copylab prints a new link each time it starts. "+
		"Open the link in its latest log, or create an account on the server with copylab user add --email you@example.com.")

// setupDone redirects when an account exists already: to sign in, or,
// for someone signed in, to the app.
func (a *App) setupDone(c *fiber.Ctx) (bool, error) {
	n, err := a.store.UserCount(c.UserContext())
	if err != nil {
		return false, err
	}
	switch {
	case n == 0:
		return false, nil
	case sessionOf(c) != nil:
		return true, a.redirectWithFlash(c, "/experiments", "ok", "copylab is set up already.")
	}
	return true, a.redirectWithFlash(c, "/login", "ok", "copylab is set up already: sign in.")
}
