package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// logoutShow answers GET /logout, an address people type or bookmark.
// It signs nobody out: a GET can come from a link or an image on another
// site. Signed in, it shows the Sign out button (logout's form, with the
// session's CSRF token) and says why; signed out, the sign-in page.
func (a *App) logoutShow(c *fiber.Ctx) error {
	if sessionOf(c) == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	p := a.page(c, "")
	p.Title = "Sign out"
	c.Set(fiber.HeaderCacheControl, "no-store") // it holds the CSRF token
	return render(c, views.SignOut(p))
}
