package app

import (
	"github.com/gofiber/fiber/v2"
)

// apiExperimentUpdate answers PATCH /api/v1/experiments/:id {name?,
// threshold?, traffic_bp?}: the settings that may change at any time before
// the experiment stops. threshold is the practical threshold the verdict
// uses, a relative change (0.1 for 10%), from 0.005 to 1; traffic_bp the
// share of visitors in the test, in basis points (0 to 10000).
func (a *App) apiExperimentUpdate(c *fiber.Ctx) error {
	var in struct {
		Name      *string  `json:"name"`
		Threshold *float64 `json:"threshold"`
		TrafficBP *int     `json:"traffic_bp"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if in.Name != nil {
		e.Name = *in.Name
	}
	if in.Threshold != nil {
		e.Threshold = *in.Threshold
		if e.Threshold == 0 {
			// 0 would mean "the default" to the store: say it is out of range.
			e.Threshold = -1
		}
	}
	if in.TrafficBP != nil {
		e.CoverageBP = *in.TrafficBP
	}
	updated, err := a.store.UpdateExperiment(ctx, e)
	if err != nil {
		return renameFields(err, apiExperimentFields)
	}
	return c.JSON(a.apiExperimentOf(updated))
}
