package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// experimentShip answers POST /experiments/:id/ship (form field variant):
// the test stops and the tag shows that version to every visitor. A refusal
// (a draft, the original, an unknown version) comes back as a flash message.
func (a *App) experimentShip(c *fiber.Ctx) error {
	id := c.Params("id")
	e, err := a.store.Ship(c.UserContext(), id, c.FormValue("variant"))
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+id, "error", msg)
	}
	if err != nil {
		return err
	}
	a.snippets.reset()
	return a.redirectWithFlash(c, "/experiments/"+id, "ok", "Shipped: every visitor now sees "+variantName(e, e.ShippedVariant)+
		", uncounted, within a minute. Put the same copy on your page, then stop showing it here.")
}

// experimentUnship answers POST /experiments/:id/unship: the page shows its
// own copy again.
func (a *App) experimentUnship(c *fiber.Ctx) error {
	id := c.Params("id")
	_, err := a.store.Unship(c.UserContext(), id)
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+id, "error", msg)
	}
	if err != nil {
		return err
	}
	a.snippets.reset()
	return a.redirectWithFlash(c, "/experiments/"+id, "ok", "Visitors see your page's own copy again, within a minute.")
}

// refusal is the sentence of a state or validation error, for a flash.
func refusal(err error) (string, bool) {
	var se *experiments.StateError
	var ve experiments.ValidationError
	switch {
	case errors.As(err, &se):
		return se.Message, true
	case errors.As(err, &ve) && len(ve) > 0:
		return ve[0].Message, true
	}
	return "", false
}

// variantName is how pages name a version, as their tables do.
func variantName(e experiments.Experiment, key string) string {
	if len(e.Variants) > 0 && e.Variants[0].Key == key {
		return "the original"
	}
	return "Variant " + strings.ToUpper(key)
}

// badgeStatus is the status a page's badge shows: "shipped" for a stopped
// experiment whose version the tag shows everyone.
func badgeStatus(e experiments.Experiment) string {
	if e.ShippedVariant != "" {
		return "shipped"
	}
	return string(e.Status)
}

// apiExperimentShip answers POST /api/v1/experiments/:id/ship with
// {"variant": "b"}: the experiment, stopped, with shipped_variant set.
func (a *App) apiExperimentShip(c *fiber.Ctx) error {
	var in struct {
		Variant string `json:"variant"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := a.store.Ship(c.UserContext(), c.Params("id"), in.Variant)
	if err != nil {
		return err
	}
	a.snippets.reset()
	return c.JSON(a.apiExperimentOf(e))
}

// apiExperimentUnship answers POST /api/v1/experiments/:id/unship.
func (a *App) apiExperimentUnship(c *fiber.Ctx) error {
	e, err := a.store.Unship(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	a.snippets.reset()
	return c.JSON(a.apiExperimentOf(e))
}
