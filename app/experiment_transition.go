package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// transitionDone is the message after each life-cycle action of e. It
// says what the element's other copy (o, nil when it could not be read)
// means for visitors: after a pause or a stop, what they see now that the
// test no longer runs (copyWithout); after a resume, the shipped variant
// that waits again while the test runs (shipHidden), or the other test of
// the element that fights this one over its text.
// After a start, unseen names the site while copylab has seen no page load
// its tag (views.TagStatus.PageSeen), as the Start question said.
func transitionDone(action string, e experiments.Experiment, o *elementOthers, unseen string) string {
	switch action {
	case experiments.ActionStart:
		if unseen != "" {
			return "Started. copylab has not seen the tag on " + unseen + " yet: visitors see the variants once your pages load it."
		}
		return "Started. Within a minute, visitors see the variants."
	case experiments.ActionPause:
		if o == nil {
			return "Paused. Results are kept."
		}
		return "Paused. Visitors see " + o.copyWithout(e) + "; results are kept."
	case experiments.ActionResume:
		if o != nil && len(o.running) > 0 {
			return "Resumed. Visitors see the variants again. But " + maybeMeets(o.running[0]) + " Stop one of them if a page of your site matches both."
		}
		if o != nil {
			if s, label, ok := o.shippedCopy(); ok {
				return "Resumed. Visitors see the variants again; the shipped copy of “" + s.Name + "” (" + label + ") on this element waits while this test runs."
			}
		}
		return "Resumed. Visitors see the variants again."
	case experiments.ActionStop:
		if o == nil {
			return "Stopped for good. The results stay here."
		}
		return "Stopped for good. Visitors see " + o.copyWithout(e) + "; the results stay here."
	}
	return ""
}

// experimentTransition returns the handler of POST /experiments/:id/ACTION
// (start, pause, resume, stop). A transition the current status does not
// allow comes back as a flash message, not an error page; one to where the
// experiment is already comes back as a note that says so (alreadyThere).
//
// The page's Start only starts a draft (it is offered on drafts only):
// the store's start of a paused test resumes it, as the API documents, but
// here it would come from a page drawn before someone paused the test,
// and would undo their pause. So it asks the store for StartDraft, which
// decides in the transaction that reads the status, and a paused test
// stays so, with a note (pausedSince).
func (a *App) experimentTransition(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		var e experiments.Experiment
		var err error
		if action == experiments.ActionStart {
			e, err = a.store.StartDraft(ctx, c.Params("id"))
			if note, ok := a.pausedSince(c, err); ok {
				return a.redirectWithFlash(c, "/experiments/"+c.Params("id"), "warn", note)
			}
		} else {
			e, err = a.store.Transition(ctx, c.Params("id"), action)
		}
		if _, ok := formErrors(err, experimentField); ok && action == experiments.ActionStart {
			return a.notReadyToStart(c)
		}
		if note, ok := a.alreadyThere(c, action, err); ok {
			return a.redirectWithFlash(c, "/experiments/"+c.Params("id"), "ok", note)
		}
		if note, ok := a.stoppedSince(c, action, err); ok {
			return a.redirectWithFlash(c, "/experiments/"+c.Params("id"), "warn", note)
		}
		var others *elementOthers
		if err == nil && action != experiments.ActionStart {
			// The test has changed already: a failed read only leaves
			// the element's other copy out of the message.
			if o, err := a.elementOthers(ctx, e); err != nil {
				a.log.Error("transition: element's other copy unreadable", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
			} else {
				others = &o
			}
		}
		unseen := ""
		if err == nil && action == experiments.ActionStart {
			unseen = a.tagUnseen(c, e)
		}
		return a.actionDone(c, err, transitionDone(action, e, others, unseen))
	}
}

// alreadyThere words a transition the store refused (err) because the
// experiment is already where action leads, as the API answers it
// (apiExperimentTransition): a Start pressed on a page drawn before the
// test started, in a second tab or before a teammate's press, was asked
// for and happened, so it is no failure. The note says when, and by whom,
// from the history's line that put it there. It is read after the
// refusal, so a change that won the race counts as done. ok is false for
// any other answer, a real refusal included (a start of a stopped test).
func (a *App) alreadyThere(c *fiber.Ctx, action string, err error) (note string, ok bool) {
	var se *experiments.StateError
	if !errors.As(err, &se) || se.Code != "invalid_transition" && se.Code != "experiment_stopped" {
		return "", false
	}
	ctx := c.UserContext()
	cur, gerr := a.store.Experiment(ctx, c.Params("id"))
	if gerr != nil || cur.Status != transitionTo[action] {
		return "", false
	}
	note = "This experiment is already " + string(cur.Status)
	if verb, when := a.statusSince(c, cur); when != "" {
		return note + " (" + verb + " " + when + ").", true
	}
	return note + ".", true
}

// pausedSince words a Start pressed on the page (experimentTransition)
// that the store refused (err, from StartDraft) because the test is
// paused now: the page offered Start while it was a draft, and someone
// has started and paused it since. ok is false for any other answer, and
// for a test that is no longer paused, or cannot be read, when the note
// is worded: the refusal is then answered as any other.
func (a *App) pausedSince(c *fiber.Ctx, err error) (note string, ok bool) {
	var se *experiments.StateError
	if !errors.As(err, &se) || se.Code != "experiment_paused" {
		return "", false
	}
	cur, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil || cur.Status != experiments.StatusPaused {
		return "", false
	}
	note = "This experiment was paused"
	if _, when := a.statusSince(c, cur); when != "" {
		note += " (" + when + ")"
	}
	return note + " after this page was opened: it stays paused. Press Resume to run it again.", true
}

// stoppedSince words a Pause the store refused (err) because the test has
// stopped, pressed on a page drawn while it ran: the store's sentence
// says it "cannot run again", which answers a Start or a Resume, not a
// Pause. ok is false for any other action or answer.
func (a *App) stoppedSince(c *fiber.Ctx, action string, err error) (note string, ok bool) {
	var se *experiments.StateError
	if action != experiments.ActionPause || !errors.As(err, &se) || se.Code != "experiment_stopped" {
		return "", false
	}
	note = "This experiment was stopped"
	cur, gerr := a.store.Experiment(c.UserContext(), c.Params("id"))
	if gerr == nil {
		if _, when := a.statusSince(c, cur); when != "" {
			note += " (" + when + ")"
		}
	}
	return note + ": it cannot be paused or run again. Duplicate it to test again.", true
}

// statusSince is the verb of the history line that put cur in its status
// ("started", "paused", …: ledTo) and when and by whom (changeWhen); when
// is "" when no line says so or the history cannot be read. Nothing
// changes with it: a failed read only leaves the time out of a note.
func (a *App) statusSince(c *fiber.Ctx, cur experiments.Experiment) (verb, when string) {
	changes, err := a.store.RunChanges(c.UserContext(), cur.ID)
	if err != nil {
		a.log.Error("transition: history unreadable", "request_id", requestIDOf(c), "experiment", cur.ID, "error", err)
		return "", ""
	}
	for _, ch := range changes {
		if verb := ledTo(ch, cur.Status); verb != "" {
			return verb, changeWhen(ch, sessionOf(c))
		}
	}
	return "", ""
}

// ledTo is the verb of history line ch when it put an experiment in
// status ("started", "resumed", …), "" when it did not. A ship of a test
// that still ran stopped it too (Store.Ship), and says so first.
func ledTo(ch experiments.Change, status experiments.Status) string {
	switch {
	case status == experiments.StatusRunning && (ch.Action == experiments.ChangeStarted || ch.Action == experiments.ChangeResumed),
		status == experiments.StatusPaused && ch.Action == experiments.ChangePaused,
		status == experiments.StatusStopped && ch.Action == experiments.ChangeStopped:
		return ch.Action
	case status == experiments.StatusStopped && ch.Action == experiments.ChangeShipped && strings.HasPrefix(ch.Detail, "Stopped the test;"):
		return experiments.ChangeStopped
	}
	return ""
}

// changeWhen says when ch happened, as the history lists it, and who made
// it: "you" for the person reading (s), "on its planned date" for copylab's
// own planned start or stop, which has no one's name.
func changeWhen(ch experiments.Change, s *session) string {
	when := ch.At.UTC().Format("2 Jan 2006, 15:04 UTC")
	me := ""
	if s != nil {
		me = s.user.Email
	}
	switch {
	case ch.Actor == "" && (ch.Detail == experiments.PlannedStartDetail || ch.Detail == experiments.PlannedStopDetail):
		return when + ", on its planned date"
	case ch.Actor == "":
		return when
	case me != "" && ch.Actor == me:
		return when + " by you"
	case me != "" && ch.Actor == me+" (API)":
		return when + " by you, through the API"
	}
	return when + " by " + ch.Actor
}

// notReadyToStart answers a Start refused for a draft saved without its
// page, element or goal (Store.CreateDraft): the edit page, at its own
// address, marking each field to fill in (startRefused), rather than a
// notice naming one. A form drawn at /start would offer only Save and
// Cancel, and a reload would send it again.
func (a *App) notReadyToStart(c *fiber.Ctx) error {
	return c.Redirect("/experiments/"+c.Params("id")+"/edit?start=1", fiber.StatusSeeOther)
}

// startRefused marks on f, the edit form of a stored draft, what Start
// refused it for (notReadyToStart): the message beside each of the page,
// element and goal still empty, and beside an element the rules refuse
// now (ElementRefused: a draft duplicated from a test started with it),
// and why the form is shown. A draft with
// only the original also needs a variant, which Start would ask for next
// (experiments.StartRefusal): the message says so, beside the Add button,
// rather than let the person fill in the rest and be refused again. A
// draft completed since shows the form as it is.
func startRefused(f *views.ExperimentForm, e experiments.Experiment) {
	if e.Status != experiments.StatusDraft || len(f.Errors) > 0 {
		return
	}
	if errs, ok := formErrors(append(e.Incomplete(), e.ElementRefused()...), experimentField); ok && len(errs) > 0 {
		if len(e.Variants) < 2 {
			errs["variants"] = "Add at least one variant of the copy before starting."
		}
		f.Errors = errs
		f.Refused = "This draft cannot start yet: it needs " + startNeeds(e) + "."
	}
}

// tagUnseen is the name of e's site while copylab has seen nothing of its
// tag, "" once it has. The test has started already: a failed read only
// leaves the tag out of the message.
func (a *App) tagUnseen(c *fiber.Ctx, e experiments.Experiment) string {
	site, err := a.store.Site(c.UserContext(), e.SiteID)
	if err == nil {
		var tag views.TagStatus
		if tag, err = a.experimentTag(c.UserContext(), e, site); err == nil && !tag.PageSeen() {
			return site.Name
		}
	}
	if err != nil {
		a.log.Error("transition: tag status unreadable", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
	}
	return ""
}

// elementOthers are the other experiments of a site that decide the copy
// of an experiment's element while it does not run, as the tag does
// (renderSnippet, shipHidden): the running ones that test the same
// element on pages that may meet its own, and the ones with a variant
// shipped there, both oldest first (shipped: in the order they were
// shipped, the tag's). inTest is the first running one that certainly
// tests the element on its pages (experiments.OverlapCertain): while it
// runs, the store refuses to start or resume this one.
type elementOthers struct {
	running, shipped []experiments.Experiment
	inTest           *experiments.Experiment
	// pausedInWay are the paused experiments that certainly test e's
	// element on their pages: while e runs, they cannot resume. Read for
	// a draft only (its Start question says so).
	pausedInWay []experiments.Experiment
}

// elementOthers reads the experiments other than e that test or ship
// copy on e's element (its selector, on pages that may meet e's, as
// shipHidden matches).
func (a *App) elementOthers(ctx context.Context, e experiments.Experiment) (elementOthers, error) {
	var o elementOthers
	if e.Page == "" || e.Selector == "" {
		// A draft saved before its page or element was chosen
		// (Store.CreateDraft) shares no element with anything yet.
		return o, nil
	}
	running, err := a.store.RunningExperiments(ctx, e.SiteID)
	if err != nil {
		return o, err
	}
	shipped, err := a.store.ShippedExperiments(ctx, e.SiteID)
	if err != nil {
		return o, err
	}
	for _, x := range running {
		if x.ID == e.ID {
			continue
		}
		switch experiments.ElementOverlap(e, x) {
		case experiments.OverlapCertain:
			if o.inTest == nil {
				o.inTest = &x
			}
			o.running = append(o.running, x)
		case experiments.OverlapPossible:
			o.running = append(o.running, x)
		}
	}
	for _, x := range shipped {
		if x.ID != e.ID && experiments.ElementOverlap(e, x) != experiments.OverlapNone {
			o.shipped = append(o.shipped, x)
		}
	}
	if e.Status == experiments.StatusDraft {
		paused, err := a.store.Experiments(ctx, experiments.ExperimentFilter{SiteID: e.SiteID, Status: experiments.StatusPaused})
		if err != nil {
			return o, err
		}
		slices.Reverse(paused) // oldest first, as the others
		for _, x := range paused {
			if experiments.ElementOverlap(e, x) == experiments.OverlapCertain {
				o.pausedInWay = append(o.pausedInWay, x)
			}
		}
	}
	return o, nil
}

// replaces are the shipped copies that shipping a variant of e replaces
// (Store.Ship ends them): those on e's element whose pages are all among
// e's.
func (o elementOthers) replaces(e experiments.Experiment) []experiments.Experiment {
	var out []experiments.Experiment
	for _, x := range o.shipped {
		if experiments.ElementCovers(e, x) {
			out = append(out, x)
		}
	}
	return out
}

// copyWithout words what visitors see on e's element while e does not
// run: the copy another running test of the element shows (it also hides
// any shipped variant there); else a variant shipped on it, the newest
// (the tag writes it last); else the original copy. Another experiment's
// page pattern may cover only part of e's pages: the rest keep the
// original copy.
func (o elementOthers) copyWithout(e experiments.Experiment) string {
	if len(o.running) > 0 {
		r := o.running[0]
		return "the copy “" + r.Name + "” tests on the same element" + elsewhere(e, r)
	}
	if s, label, ok := o.shippedCopy(); ok {
		return "the shipped copy of “" + s.Name + "” (" + label + ")" + elsewhere(e, s)
	}
	return "the original copy"
}

// unshipped words what visitors see on e's element once its shipped copy
// stops showing: as copyWithout, with "your page's own copy" for the
// original, which is what the person is about to put on the page.
func (o elementOthers) unshipped(e experiments.Experiment) string {
	if len(o.running) == 0 && len(o.shipped) == 0 {
		return "your page's own copy again"
	}
	return o.copyWithout(e)
}

// shippedCopy is the shipped variant the tag shows on the element while
// no test of it runs, with its name ("Variant C").
func (o elementOthers) shippedCopy() (experiments.Experiment, string, bool) {
	if len(o.shipped) == 0 {
		return experiments.Experiment{}, "", false
	}
	s := o.shipped[len(o.shipped)-1]
	return s, views.VariantLabel(s.ShippedVariant, false), true
}

// elsewhere says where other's copy does not reach among e's pages: "" when
// other covers the same pages (or every page). The pattern is written as
// a person reads it (experiments.PageShown): "on pages matching /料金/*".
func elsewhere(e, other experiments.Experiment) string {
	if experiments.ElementCovers(other, e) {
		return ""
	}
	return " on pages matching " + experiments.PageShown(other.Page) + ", and the original copy elsewhere"
}

// startConfirm is the question the Start button asks: what starting does
// (the split, the share of visitors), that the variants are fixed from
// then on, and what it does to the element's other copy: a shipped
// variant stops showing while the test runs (shipHidden), and a second
// running test of the element would fight this one over its text. While
// copylab has seen no page load the site's tag and no event
// (views.TagStatus.PageSeen: a fetch by curl names no page), visitors
// enter once the pages load it, not within a minute, and the question
// says so. The dialog holds text only: the
// draft's notice (views.tagNotSeen) has the link to the install card.
func startConfirm(e experiments.Experiment, o elementOthers, siteName string, tag views.TagStatus) string {
	split := splitWords(e.Variants)
	// "experiment", as Stop's question and the page's cards say it.
	q, when := "Start this experiment? ", "Within a minute, "
	if !tag.PageSeen() {
		q, when = q+"copylab has not seen the tag on "+siteName+" yet. ", "Once your pages load it, "
	}
	if e.CoverageBP < 10000 {
		q += when + experiments.PercentOfBP(e.CoverageBP) + "% of visitors enter it, split " + split + "; the others are not counted."
	} else {
		q += when + "visitors are split " + split + "."
	}
	q += " Variants cannot be edited after this, nor can the page, element or goal."
	if len(o.running) > 0 {
		// Start is refused where the pages certainly meet (inTest), so
		// these tests only may meet this one's pages.
		q += " " + maybeMeets(o.running[0]) + " Start it only if no page of your site matches both."
	} else if s, label, ok := o.shippedCopy(); ok {
		who := "visitors given the original see"
		if e.CoverageBP < 10000 {
			who = "visitors given the original, and those outside the test, see"
		}
		q += " While it runs, the tag stops showing " + label + " of “" + s.Name + "”, shipped on this element: " + who + " your page's own copy."
	}
	for _, p := range o.pausedInWay {
		q += " “" + p.Name + "”, paused, tests this element " + experiments.SharedPages(e, p) + ": it cannot resume while this test runs."
	}
	return q
}

// splitWords words a split: "Original 30% / Variant B 70%".
func splitWords(vs []experiments.Variant) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = views.VariantLabel(v.Key, i == 0) + " " + experiments.PercentOfBP(v.WeightBP) + "%"
	}
	return strings.Join(parts, " / ")
}

// customSplit words e's split when it is not the equal one that adding
// variants gives (Store.AddVariants); "" when it is.
func customSplit(e experiments.Experiment) string {
	equal := slices.Clone(e.Variants)
	experiments.EqualWeights(equal)
	for i := range equal {
		if equal[i].WeightBP != e.Variants[i].WeightBP {
			return splitWords(e.Variants)
		}
	}
	return ""
}

// maybeMeets says that running test x tests the element on pages that
// only may meet this experiment's, and what then happens; x's pattern is
// written as a person reads it (experiments.PageShown).
func maybeMeets(x experiments.Experiment) string {
	return "“" + x.Name + "” tests this element too, on pages that may meet these (it runs on " + experiments.PageShown(x.Page) +
		"): on a page both reach, the two tests undo each other’s copy."
}

// stopConfirm is the question the Stop button asks, with what visitors
// see once the test stops.
func stopConfirm(e experiments.Experiment, o elementOthers) string {
	return "Stop this experiment for good? Visitors will see " + o.copyWithout(e) + "; the results are kept, but it cannot be started again."
}
