package app

import (
	"context"
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
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
	f := formFromExperiment(e)
	if err := a.measuredPlan(c.UserContext(), e, &f.Plan); err != nil {
		return err
	}
	return a.renderExperimentForm(c, f, http.StatusOK)
}

// measuredPlan fills the planning fields of a started test's edit form
// from its results so far, as the results page's plan reads them: the
// original's conversion rate, and the visitors a day once the test has run
// an hour (paused time left out). Someone changing the threshold of a
// running test then sees what it means for this test, not for the form's
// 5% guess. A draft, a test whose original has no conversion yet (or
// converts everyone), and a test in its first hour keep the guess for
// what is not known.
func (a *App) measuredPlan(ctx context.Context, e experiments.Experiment, p *views.PlanForm) error {
	if e.Status != experiments.StatusRunning && e.Status != experiments.StatusPaused {
		return nil
	}
	r, err := a.buildReport(ctx, e, false)
	if err != nil {
		return err
	}
	if len(r.an.Variants) > 0 {
		if o := r.an.Variants[0]; o.Exposures > 0 && o.Rate > 0 && o.Rate < 1 {
			p.BaseRate = strconv.FormatFloat(math.Round(o.Rate*10000)/100, 'f', -1, 64)
			p.BaseMeasured = true
		}
	}
	var total int64
	for _, arm := range r.arms {
		total += arm.Exposures
	}
	if r.days >= planMinDays {
		if perDay := math.Round(float64(total) / r.days); perDay >= 1 {
			p.DailyVisits = strconv.FormatFloat(perDay, 'f', 0, 64)
			p.DailyMeasured = true
		}
	}
	return nil
}
