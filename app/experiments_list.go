package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentsList answers GET /experiments, the app's start page.
func (a *App) experimentsList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return err
	}
	exps, err := a.store.Experiments(ctx, experiments.ExperimentFilter{})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, s := range sites {
		names[s.ID] = s.Name
	}
	p := views.ExperimentsPage{Page: a.page(c, views.NavExperiments), HasSites: len(sites) > 0}
	p.Title = "Experiments"
	for _, e := range exps {
		p.Experiments = append(p.Experiments, experimentRow(e, names[e.SiteID]))
	}
	return render(c, views.Experiments(p))
}
