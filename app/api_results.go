package app

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// The results document (DESIGN.md). The statistics fields are present
// and null until the statistics work computes them, so clients can rely on
// the shape now.
type apiResultVariant struct {
	Key             string   `json:"key"`
	Text            string   `json:"text"`
	Exposures       int64    `json:"exposures"`
	Conversions     int64    `json:"conversions"`
	Rate            *float64 `json:"rate"`
	RateInterval    []any    `json:"rate_interval"`
	ProbBest        *float64 `json:"prob_best"`
	ProbBeatControl *float64 `json:"prob_beat_control"`
	Uplift          *float64 `json:"uplift"`
	UpliftInterval  []any    `json:"uplift_interval"`
	PValue          *float64 `json:"p_value"`
	PValueAdjusted  *float64 `json:"p_value_adjusted"`
	Recordings      []any    `json:"recordings"`
}

type apiResults struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Status   string             `json:"status"`
	Variants []apiResultVariant `json:"variants"`
	SRM      any                `json:"srm"`
	Excluded struct {
		MultipleVariants int64 `json:"multiple_variants"`
		Bots             int64 `json:"bots"`
	} `json:"excluded"`
	Verdict struct {
		Status string `json:"status"`
		Text   string `json:"text"`
	} `json:"verdict"`
	GeneratedAt time.Time `json:"generated_at"`
}

// apiResults answers GET /api/v1/experiments/:id/results.
func (a *App) apiResults(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	counts, err := a.store.Counts(ctx, e)
	if err != nil {
		return err
	}
	out := apiResults{ID: e.ID, Name: e.Name, Status: string(e.Status), GeneratedAt: a.now().UTC()}
	byKey := map[string]int{}
	for i, vc := range counts.Variants {
		byKey[vc.Key] = i
	}
	for _, v := range e.Variants {
		rv := apiResultVariant{Key: v.Key, Text: v.Text}
		if i, ok := byKey[v.Key]; ok {
			rv.Exposures, rv.Conversions = counts.Variants[i].Exposures, counts.Variants[i].Conversions
		}
		if rv.Exposures > 0 {
			r := float64(rv.Conversions) / float64(rv.Exposures)
			rv.Rate = &r
		}
		out.Variants = append(out.Variants, rv)
	}
	out.Excluded.MultipleVariants, out.Excluded.Bots = counts.MultipleVariants, counts.Bots
	out.Verdict.Status = "not_computed"
	out.Verdict.Text = "Statistics are not computed in this version; these are the raw counts."
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}
