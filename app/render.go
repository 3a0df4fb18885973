package app

import (
	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// render writes a templ component as the HTML answer. The charset must be
// set before writing: without it Fiber answers text/html with no charset
// and non-ASCII text in htmx fragments comes out garbled.
func render(c *fiber.Ctx, component templ.Component) error {
	c.Type("html", "utf-8")
	return component.Render(c.UserContext(), c.Response().BodyWriter())
}

// page builds the view model every page shares: title, navigation, user,
// CSRF token, flash message and asset URLs.
func (a *App) page(c *fiber.Ctx, nav string) views.Page {
	p := views.Page{Nav: nav, Assets: a.assets.views()}
	if s := sessionOf(c); s != nil {
		p.User = s.user.Email
		p.CSRF = s.csrf
	}
	if audienceOf(c.Path()) == forPages {
		p.Flash.Kind, p.Flash.Text = a.takeFlash(c)
	}
	return p
}

// redirectWithFlash sends the browser on after an action, with a message
// for the next page. 303 makes the browser GET the target.
func (a *App) redirectWithFlash(c *fiber.Ctx, to, kind, text string) error {
	a.setFlash(c, kind, text)
	return c.Redirect(to, fiber.StatusSeeOther)
}
