package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentNew answers GET /experiments/new[?site=ID]: an empty form with
// the robust selector suggested and a click goal.
func (a *App) experimentNew(c *fiber.Ctx) error {
	sites, err := a.store.Sites(c.UserContext())
	if err != nil {
		return err
	}
	if len(sites) == 0 {
		return a.redirectWithFlash(c, "/sites", "error", "Add a site first: experiments run on a site.")
	}
	f := views.ExperimentForm{
		SiteID:   c.Query("site"),
		PageURL:  "/",
		Selector: `[data-copylab="hero"]`,
		GoalType: experiments.GoalClick,
		Coverage: "100",
		Variants: []views.VariantField{{}, {}},
	}
	return a.renderExperimentForm(c, f, http.StatusOK)
}
