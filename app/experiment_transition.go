package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// transitionDone is the message after each life-cycle action.
var transitionDone = map[string]string{
	experiments.ActionStart:  "Started. Visitors now see the variants; changes reach them within a minute.",
	experiments.ActionPause:  "Paused. Visitors see the original copy; results are kept.",
	experiments.ActionResume: "Resumed. Visitors see the variants again.",
	experiments.ActionStop:   "Stopped for good. Visitors see the original copy; the results stay here.",
}

// experimentTransition returns the handler of POST /experiments/:id/ACTION
// (start, pause, resume, stop). A transition the current status does not
// allow comes back as a flash message, not an error page.
func (a *App) experimentTransition(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, err := a.store.Transition(c.UserContext(), c.Params("id"), action)
		return a.actionDone(c, err, transitionDone[action])
	}
}
