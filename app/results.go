package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// results builds the results panel from the store's counts. Statistics
// (intervals, chance to be best) are not computed yet; the view model has
// their fields. A stopped experiment's panel no longer polls.
func (a *App) results(c *fiber.Ctx, e experiments.Experiment, liveURL string) views.Results {
	r := views.Results{Status: string(e.Status), LiveURL: liveURL, UpdatedAt: a.now()}
	if e.Status == experiments.StatusStopped {
		r.LiveURL = ""
	}
	counts, err := a.store.Counts(c.UserContext(), e)
	if err != nil {
		a.log.Error("results: counts failed", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
		r.Unavailable = "The results could not be read just now. They will appear on the next refresh."
		return r
	}
	byKey := map[string]experiments.VariantCounts{}
	for _, vc := range counts.Variants {
		byKey[vc.Key] = vc
	}
	for i, v := range e.Variants {
		vc := byKey[v.Key]
		row := views.ResultRow{Key: v.Key, Text: v.Text, Control: i == 0, Exposures: vc.Exposures, Conversions: vc.Conversions}
		if vc.Exposures > 0 {
			row.Rate = float64(vc.Conversions) / float64(vc.Exposures)
		}
		r.TotalVisits += vc.Exposures
		r.TotalConvert += vc.Conversions
		r.Rows = append(r.Rows, row)
	}
	r.Excluded, r.Bots = counts.MultipleVariants, counts.Bots
	return r
}
