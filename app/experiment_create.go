package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// experimentCreate answers POST /experiments: it saves a draft, or shows
// the form again with every problem beside its field.
func (a *App) experimentCreate(c *fiber.Ctx) error {
	f := readExperimentForm(c)
	if applyOp(&f, c.FormValue("op")) {
		return a.renderExperimentForm(c, f, http.StatusOK)
	}
	// A form with errors comes back with the rows as they were sent (shown),
	// also when "Draft copy with AI" saves only the typed ones.
	shown, rows := f, []int(nil)
	generate := c.FormValue("op") == "generate" // generate_form.go
	if generate {
		f, rows = draftFirst(f)
	}
	in, own := formExperiment(f)
	if s := sessionOf(c); s != nil {
		in.CreatedBy = s.user.ID
	}
	if len(own) > 0 {
		shown.Errors = onRows(mergeErrors(own, in, generate), rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	create := a.store.CreateExperiment
	if generate {
		// Only the name, the site and the original copy are needed to
		// draft copy: the page, element and goal may wait (draftFirst).
		create = a.store.CreateDraft
	}
	e, err := create(c.UserContext(), in)
	if errs, ok := formErrors(err, experimentField); ok {
		shown.Errors = onRows(errs, rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	notes := a.pastedWords(c.UserContext(), e, f)
	if generate {
		return a.redirectWithFlash(c, generateURL(e.ID), "ok", savedFlash(e, "Draft saved", notes, withUnset("Now describe the copy you want, and copylab writes drafts of it.", e), false))
	}
	next := "Check the copy, then start the experiment."
	// A draft that cannot start while another test runs on its element
	// (Store.Transition refuses it) is not told to start.
	if o, err := a.elementOthers(c.UserContext(), e); err == nil && o.inTest != nil {
		next = "It can start once “" + o.inTest.Name + "” stops: that test already tests this element " + experiments.SharedPages(e, *o.inTest) + "."
	}
	return a.redirectWithFlash(c, "/experiments/"+e.ID, "ok", savedFlash(e, "Draft saved", notes, next, true))
}
