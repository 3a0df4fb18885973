package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// resultsShow answers GET /experiments/:id/results.
func (a *App) resultsShow(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p := views.ResultsPage{
		Page:     a.page(c, views.NavExperiments),
		ID:       e.ID,
		Name:     e.Name,
		Status:   string(e.Status),
		ShareURL: a.shareURL(e),
		Results:  a.results(c, e, "/experiments/"+e.ID+"/results/live"),
	}
	p.Title = "Results: " + e.Name
	return render(c, views.ResultsFull(p))
}

// resultsLive answers GET /experiments/:id/results/live, the fragment
// htmx polls every five seconds.
func (a *App) resultsLive(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.ResultsPanel(a.results(c, e, "/experiments/"+e.ID+"/results/live")))
}
