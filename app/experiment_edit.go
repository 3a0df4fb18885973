package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// experimentEdit answers GET /experiments/:id/edit.
func (a *App) experimentEdit(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if e.Status == experiments.StatusStopped {
		return a.redirectWithFlash(c, "/experiments/"+e.ID, "error", "A stopped experiment keeps its settings as they were for its results.")
	}
	return a.renderExperimentForm(c, formFromExperiment(e), http.StatusOK)
}
