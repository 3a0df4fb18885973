package app

import (
	"net/http"
	"slices"
	"time"

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
		shown.Errors = onRows(a.mergeErrors(own, in, experiments.Experiment{}, generate), rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	create, validate := a.store.CreateExperiment, experiments.Experiment.Validate
	if generate {
		// Only the name, the site and the original copy are needed to
		// draft copy: the page, element and goal may wait (draftFirst).
		create, validate = a.store.CreateDraft, experiments.Experiment.ValidateDraft
	}
	// A form the save would refuse shows its problems (below) before it
	// is taken for the one saved already: only what would be a second
	// experiment opens the first.
	if prev, ok := a.draftedBefore(c, in); ok && len(validate(in.Normalize())) == 0 {
		next := "/experiments/" + prev.ID
		if generate {
			next = generateURL(prev.ID)
		}
		return a.redirectWithFlash(c, next, "ok", draftedAgainText(prev, in))
	}
	e, err := create(c.UserContext(), in)
	if errs, ok := formErrors(err, experimentField); ok {
		shown.Errors = onRows(errs, rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	a.setCookie(c, draftedCookie, e.ID, a.now().Add(draftedFor))
	notes := a.withStopsWarning(a.pastedWords(c.UserContext(), e, f), e)
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

// draftedCookie names the draft this browser last saved with the New
// experiment form, by "Save draft" or "Draft copy with AI", for
// draftedFor. The browser's Back from the page a save opens shows that
// form again as it was filled in (Chromium loads the page anew and puts
// back what was typed, but not a hidden field's value, so a token in the
// form would not survive), and either button pressed there again would
// save a second experiment of the same name. app.js holds back only a
// double click.
const draftedCookie = "copylab_drafted"

// draftedFor is how long a second press of the same form opens the
// draft the first saved: the hour the drafting page keeps its drafts.
const draftedFor = time.Hour

// draftedBefore is the draft this browser saved from the New form
// (draftedCookie) when in, the form pressed again, is the same
// experiment: the same site and name, saved by the same person within
// draftedFor, still a draft. A form given another name is another
// experiment.
func (a *App) draftedBefore(c *fiber.Ctx, in experiments.Experiment) (experiments.Experiment, bool) {
	id := c.Cookies(a.cookieName(draftedCookie))
	s := sessionOf(c)
	if id == "" || s == nil {
		return experiments.Experiment{}, false
	}
	prev, err := a.store.Experiment(c.UserContext(), id)
	if err != nil {
		// Deleted since, or never one: the form saves a new draft.
		return experiments.Experiment{}, false
	}
	in = in.Normalize()
	same := prev.Status == experiments.StatusDraft && prev.CreatedBy == s.user.ID &&
		prev.SiteID == in.SiteID && prev.Name == in.Name && a.now().Sub(prev.CreatedAt) < draftedFor
	return prev, same
}

// draftedAgainText is the notice of a second press of the New form
// (draftedBefore), which opens the draft prev the first press saved. What was changed on the form since (in) is not in
// it, and the notice says so, and how to make another experiment.
func draftedAgainText(prev, in experiments.Experiment) string {
	msg := "“" + prev.Name + "” was saved from this form already, so no second experiment was made"
	if !sameAsSaved(prev, in.Normalize()) {
		return msg + ", and what you changed on the form since is not in it: change it with Edit on the experiment’s page. To make another experiment, give it another name."
	}
	return msg + "."
}

// sameAsSaved reports whether the form in holds nothing that the draft
// prev, saved from it, lacks: the same page, element, goal and traffic
// share, the same original copy, and each variant typed among prev's.
func sameAsSaved(prev, in experiments.Experiment) bool {
	if prev.Page != in.Page || prev.Selector != in.Selector || prev.VisibleOnly != in.VisibleOnly ||
		prev.Goal.Value() != in.Goal.Value() || prev.CoverageBP != in.CoverageBP ||
		len(prev.Variants) == 0 || len(in.Variants) == 0 || prev.Variants[0].Text != in.Variants[0].Text {
		return false
	}
	for _, v := range in.Variants[1:] {
		if !slices.ContainsFunc(prev.Variants, func(p experiments.Variant) bool { return p.Text == v.Text }) {
			return false
		}
	}
	return true
}
