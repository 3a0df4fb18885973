package app

import "github.com/gofiber/fiber/v2"

// home answers GET /: the experiments are the app's start page.
func (a *App) home(c *fiber.Ctx) error {
	return c.Redirect("/experiments", fiber.StatusSeeOther)
}
