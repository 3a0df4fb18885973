package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// generateShow answers GET /experiments/:id/generate, the page reserved for
// AI copy generation (the next release). It says so plainly.
func (a *App) generateShow(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p := views.GeneratePage{Page: a.page(c, views.NavExperiments), ID: e.ID, Name: e.Name}
	p.Title = "Generate copy"
	return render(c, views.Generate(p))
}
