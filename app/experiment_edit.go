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
// an hour (paused time left out). Someone looking at a running test's
// plan then sees what its threshold, fixed at the start, asks of this
// test, not of the form's 5% guess. A draft, a test whose original has
// no conversion yet (or converts everyone), and a test in its first hour
// keep the guess for what is not known.
func (a *App) measuredPlan(ctx context.Context, e experiments.Experiment, p *views.PlanForm) error {
	if e.Status != experiments.StatusRunning && e.Status != experiments.StatusPaused {
		return nil
	}
	r, err := a.buildReport(ctx, e, false, teamReader)
	if err != nil {
		return err
	}
	if len(r.an.Variants) > 0 {
		if o := r.an.Variants[0]; o.Exposures > 0 {
			if pct, ok := ratePercent(o.Rate); ok {
				p.BaseRate, p.BaseMeasured = pct, true
			}
		}
	}
	var total int64
	for _, arm := range r.arms {
		total += arm.Exposures
	}
	if r.days < planMinDays {
		p.DailyPending = true
	} else if perDay := math.Round(float64(total) / r.days); perDay >= 1 {
		p.DailyVisits = strconv.FormatFloat(perDay, 'f', 0, 64)
		p.DailyMeasured = true
	}
	return nil
}

// ratePercent writes a conversion rate as the plan's field takes it, a
// percentage with three significant digits (4.23, 0.0333), and whether
// the estimate can use it: a rate that rounds to 0% or to 100% cannot
// (planEstimate asks for one between the two), so the field keeps its
// guess.
func ratePercent(rate float64) (string, bool) {
	pct := rate * 100
	if !(pct > 0) || pct >= 100 {
		return "", false
	}
	decimals := max(2, 2-int(math.Floor(math.Log10(pct))))
	s := strconv.FormatFloat(pct, 'f', decimals, 64)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v >= 100 {
		return "", false
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}
