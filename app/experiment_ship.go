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
	ctx := c.UserContext()
	key := c.FormValue("variant")
	// The shipped copies this ship replaces, read before it ends them,
	// for the message only: the store decides again as it ships.
	// So are the running tests of the element, which keep it from showing.
	// Shipping the variant already shipped changes nothing (Store.Ship):
	// the message says so rather than announce a ship.
	var replaced []experiments.Experiment
	var notes views.ElementNotes
	again := false
	if e, err := a.store.Experiment(ctx, c.Params("id")); err == nil {
		again = key != "" && e.ShippedVariant == key
		if o, err := a.elementOthers(ctx, e); err == nil {
			replaced = o.replaces(e)
			notes = elementNotes(e, o, nil)
		}
	}
	_, err := a.store.Ship(ctx, c.Params("id"), key)
	if again {
		return a.actionDone(c, err, views.VariantLabel(key, false)+" is already shipped; nothing changed.")
	}
	return a.actionDone(c, err, shipDone(key, replaced, notes))
}

// shipDone is the message after shipping variant key, naming the shipped
// copies of other experiments on its element that it replaced, and the
// running tests of the element that keep it from showing (notes.Running).
func shipDone(key string, replaced []experiments.Experiment, notes views.ElementNotes) string {
	label := views.VariantLabel(key, false)
	msg := "Shipped: every visitor now sees " + label + ", uncounted, within a minute."
	if w := notes.ShipWaits(label); w != "" {
		msg = "Shipped " + label + ", uncounted. " + w
	}
	for _, o := range replaced {
		msg += " It replaces " + views.VariantLabel(o.ShippedVariant, false) + " of “" + o.Name + "”, shipped on the same element."
	}
	return msg + " Put the same copy on your page, then stop showing it here."
}

// experimentUnship answers POST /experiments/:id/unship: the page shows its
// own copy again. Unship pressed again (in a second tab, or twice) changes
// nothing (Store.Unship), and the message says so rather than announce it.
func (a *App) experimentUnship(c *fiber.Ctx) error {
	// Read for the message only: the store decides again as it unships.
	again := false
	if cur, err := a.store.Experiment(c.UserContext(), c.Params("id")); err == nil {
		again = cur.ShippedVariant == ""
	}
	e, err := a.store.Unship(c.UserContext(), c.Params("id"))
	if err != nil || again {
		return a.actionDone(c, err, "Nothing of this experiment is shipped; nothing changed.")
	}
	others, err := a.elementOthers(c.UserContext(), e)
	if err != nil {
		return err
	}
	return a.actionDone(c, nil, "Within a minute, visitors see "+others.unshipped(e)+".")
}

// experimentShareLink answers POST /experiments/:id/share-link: a new
// read-only link replaces the old one, which stops working, or turns
// sharing back on after experimentShareOff. A draft's page offers no such
// button, since it has no link yet; a form sent anyway comes back to that
// page with the store's refusal.
func (a *App) experimentShareLink(c *fiber.Ctx) error {
	// Whether the link was off, read for the message only.
	wasOff := false
	if e, err := a.store.Experiment(c.UserContext(), c.Params("id")); err == nil {
		wasOff = e.ShareOff
	}
	if _, err := a.store.NewShareLink(c.UserContext(), c.Params("id")); err != nil {
		return a.shareLinkRefused(c, err)
	}
	msg := "A new share link is ready. The old one no longer opens the results."
	if wasOff {
		msg = "Sharing is back on with a new link. The link that was turned off still opens nothing."
	}
	return a.redirectWithFlash(c, shareCardURL(c.Params("id")), "ok", msg)
}

// experimentShareOff answers POST /experiments/:id/share-link/off: the
// read-only link stops working, for everyone who has it, and none takes
// its place until "Make a share link". A form sent for a draft comes back
// with the store's refusal, as experimentShareLink's does.
func (a *App) experimentShareOff(c *fiber.Ctx) error {
	wasOff := false
	if e, err := a.store.Experiment(c.UserContext(), c.Params("id")); err == nil {
		wasOff = e.ShareOff
	}
	if _, err := a.store.TurnOffShareLink(c.UserContext(), c.Params("id")); err != nil {
		return a.shareLinkRefused(c, err)
	}
	msg := "The share link is off. Nobody can open the results with it any more."
	if wasOff {
		msg = "The share link was already off; nothing changed."
	}
	return a.redirectWithFlash(c, shareCardURL(c.Params("id")), "ok", msg)
}

// shareLinkRefused answers a share link form the store refused: back to
// the experiment's page with its sentence. Other errors go to the error
// handler (an unknown experiment is a 404).
func (a *App) shareLinkRefused(c *fiber.Ctx, err error) error {
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+c.Params("id"), "error", msg)
	}
	return err
}

// shareCardURL is where the experiment page's "Share the results" card is,
// the page a share link form leads back to.
func shareCardURL(id string) string { return "/experiments/" + id + "#share-link" }

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
// shipped experiment e on pages that may meet e's: that test decides the
// element's copy, so the tag leaves the shipped variant out meanwhile
// (two writers would undo each other's text). A test of the same
// selector on other pages (/about, when e ships on /pricing) leaves it.
func shipHidden(e experiments.Experiment, running []experiments.Experiment) bool {
	return slices.ContainsFunc(running, func(r experiments.Experiment) bool {
		return experiments.ElementOverlap(e, r) != experiments.OverlapNone
	})
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
	if in.Variant == "" {
		return &httpError{Status: fiber.StatusUnprocessableEntity, Code: "required", Field: "variant",
			Message: "Name the variant to ship by its key, such as {\"variant\": \"b\"}."}
	}
	e, err := a.store.Ship(c.UserContext(), c.Params("id"), in.Variant)
	if err != nil {
		return err
	}
	a.snippets.reset()
	return c.JSON(a.apiExperimentOf(e))
}

// apiExperimentUnship answers POST /api/v1/experiments/:id/unship: the
// experiment with nothing shipped. One with nothing shipped already
// answers 200 as it is, as the transitions answer a retry.
func (a *App) apiExperimentUnship(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	e, err := a.store.Unship(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	a.snippets.reset()
	return c.JSON(a.apiExperimentOf(e))
}

// apiExperimentShareLink answers POST /api/v1/experiments/:id/share-link:
// the experiment with a new share_url; the old link stops working, and a
// link turned off (DELETE) comes back on as the new one. A draft, whose
// share_url is null, is 409 not_started.
func (a *App) apiExperimentShareLink(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	e, err := a.store.NewShareLink(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiExperimentOf(e))
}

// apiExperimentShareOff answers DELETE /api/v1/experiments/:id/share-link:
// the link stops working and the experiment comes back with share_url
// null, however often it is asked. A draft is 409 not_started, as POST
// answers it.
func (a *App) apiExperimentShareOff(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	e, err := a.store.TurnOffShareLink(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiExperimentOf(e))
}
