package app

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentShip answers POST /experiments/:id/ship (form field variant):
// the test stops and the tag shows that variant to every visitor. A refusal
// (a draft, the original, an unknown variant) comes back as a flash message.
func (a *App) experimentShip(c *fiber.Ctx) error {
	key := c.FormValue("variant")
	_, err := a.store.Ship(c.UserContext(), c.Params("id"), key)
	return a.actionDone(c, err, "Shipped: every visitor now sees "+views.VariantLabel(key, false)+
		", uncounted, within a minute. Put the same copy on your page, then stop showing it here.")
}

// experimentUnship answers POST /experiments/:id/unship: the page shows its
// own copy again.
func (a *App) experimentUnship(c *fiber.Ctx) error {
	_, err := a.store.Unship(c.UserContext(), c.Params("id"))
	return a.actionDone(c, err, "Visitors see your page's own copy again, within a minute.")
}

// experimentShareLink answers POST /experiments/:id/share-link: a new
// read-only link replaces the old one, which stops working.
func (a *App) experimentShareLink(c *fiber.Ctx) error {
	if _, err := a.store.NewShareLink(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/experiments/"+c.Params("id")+"#share", "ok",
		"A new share link is ready. The old one no longer opens the results.")
}

// actionDone answers a form action on the experiment of the route: back to
// its page with the done message, or with the refusal's sentence when the
// store refused it. Every action changes what the tag serves, so a done one
// drops the rendered tags.
func (a *App) actionDone(c *fiber.Ctx, err error, done string) error {
	to := "/experiments/" + c.Params("id")
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, to, "error", msg)
	}
	if err != nil {
		return err
	}
	a.snippets.reset()
	return a.redirectWithFlash(c, to, "ok", done)
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

// badgeStatus is the status a page's badge shows: "shipped" for a stopped
// experiment whose variant the tag shows everyone.
func badgeStatus(e experiments.Experiment) string {
	if e.ShippedVariant != "" {
		return "shipped"
	}
	return string(e.Status)
}

// shipHidden tells whether a running experiment tests the element of
// shipped experiment e: that test decides the element's copy, so the tag
// leaves the shipped variant out meanwhile (two writers would undo each
// other's text).
func shipHidden(e experiments.Experiment, running []experiments.Experiment) bool {
	return slices.ContainsFunc(running, func(r experiments.Experiment) bool { return r.Selector == e.Selector })
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

// apiExperimentShareLink answers POST /api/v1/experiments/:id/share-link:
// the experiment with a new share_url; the old link stops working.
func (a *App) apiExperimentShareLink(c *fiber.Ctx) error {
	e, err := a.store.NewShareLink(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiExperimentOf(e))
}
