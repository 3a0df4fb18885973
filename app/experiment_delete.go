package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// experimentDelete answers POST /experiments/:id/delete: the experiment
// goes, with its copy, results and events, and the list says so. A running
// one is refused back on its page: stop it first.
func (a *App) experimentDelete(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	events, err := a.store.DeleteExperiment(ctx, e.ID)
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+e.ID, "error", msg)
	}
	if err != nil {
		return err
	}
	a.snippets.reset()
	a.genJobs.forgetExperiment(e.ID) // its drafting jobs stop writing
	done := fmt.Sprintf("Deleted “%s”.", e.Name)
	if events > 0 {
		done = fmt.Sprintf("Deleted “%s” with its results (%s).", e.Name, counted(events, "event", "events"))
	}
	return a.redirectWithFlash(c, "/experiments", "ok", done)
}

// apiExperimentDelete answers DELETE /api/v1/experiments/:id: 204 once the
// experiment and everything recorded for it are gone; 409
// experiment_running while it runs. It takes no body (noBody).
func (a *App) apiExperimentDelete(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	if _, err := a.store.DeleteExperiment(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.snippets.reset()
	a.genJobs.forgetExperiment(c.Params("id")) // its drafting jobs stop writing
	return c.SendStatus(fiber.StatusNoContent)
}
