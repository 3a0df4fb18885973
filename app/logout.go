package app

import (
	"github.com/gofiber/fiber/v2"
)

// logout answers POST /logout: the session is deleted on the server, not
// only forgotten by the browser.
func (a *App) logout(c *fiber.Ctx) error {
	if s := sessionOf(c); s != nil {
		if err := a.store.DeleteSession(c.UserContext(), s.hash); err != nil {
			return err
		}
	}
	a.clearCookie(c, "copylab_session")
	return a.redirectWithFlash(c, "/login", "ok", "You are signed out.")
}
