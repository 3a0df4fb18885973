package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentUpdate answers POST /experiments/:id/edit. A draft changes
// everything; a started experiment only its name, traffic share and
// weights (the form does not even send the rest: its page, element,
// whether visitors count only once the element is on screen, goal and
// copy define who is counted and with what). Its practical threshold is
// shown read-only and posted as shown: another one, sent by a page opened
// before the start or by a script, is refused as the API refuses it
// (thresholdFixed), with nothing saved.
func (a *App) experimentUpdate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cur, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	f := readExperimentForm(c)
	f.ID, f.Status, f.SiteID = cur.ID, string(cur.Status), cur.SiteID
	f.StopsPlanned, f.StartsPlanned = cur.StopsAt, cur.StartsAt
	f.Locked = cur.Status != experiments.StatusDraft
	// A form that saves (a started test's has no Add or Remove) saves
	// only over the experiment it was opened on: one changed since would
	// lose that change to what the form showed (openedToken).
	f.Opened = c.FormValue("opened")
	if op := c.FormValue("op"); f.Opened != "" && (f.Locked || !rowOp(op)) {
		if o := parseOpened(f.Opened); o.version != cur.Version() {
			return a.changedSince(c, f, cur, o)
		}
	}
	if f.Locked {
		if typed := strings.TrimSpace(f.Plan.Threshold); typed != "" {
			if t, ok := parseRatio(typed); !ok || !sameThreshold(t, cur.Threshold) {
				return a.redirectWithFlash(c, "/experiments/"+cur.ID, "error", thresholdFixed(cur).Message)
			}
		}
		fixedFields(&f, cur)
	} else if applyOp(&f, c.FormValue("op")) {
		// A box ticked to save copy over the brief's length stays, ticked,
		// beside the copy it was for (a Remove moves the rows up): the
		// refusals wait for Save.
		in, _ := formExperiment(f)
		long, err := a.briefErrors(ctx, cur, in, f.Variants, views.Errors{})
		if err != nil {
			return err
		}
		for i, limit := range long {
			if f.Variants[i].AllowLong {
				f.Variants[i].LongLimit = limit
			}
		}
		return a.renderExperimentForm(c, f, http.StatusOK)
	}
	// A form with errors comes back with the rows as they were sent (shown),
	// also when "Draft copy with AI" saves only the typed ones.
	shown, rows := f, []int(nil)
	generate := !f.Locked && c.FormValue("op") == "generate" // generate_form.go
	if generate {
		f, rows = draftFirst(f)
	} else if !f.Locked {
		f, rows = withoutEmptyRows(f)
	}
	in, own := formExperiment(f)
	in.StopsAt, in.StartsAt = keptPlanTime(in.StopsAt, cur.StopsAt), keptPlanTime(in.StartsAt, cur.StartsAt)
	if !f.Locked {
		// A started test's copy is its stored copy (above): nothing typed.
		long, err := a.briefErrors(ctx, cur, in, f.Variants, own)
		if err != nil {
			return err
		}
		for i, limit := range long {
			row := i
			if rows != nil {
				row = rows[i]
			}
			shown.Variants[row].LongLimit = limit
		}
	}
	if len(own) > 0 {
		shown.Errors = onRows(a.mergeErrors(own, in, cur, generate), rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	in.ID, in.SiteID, in.Seed, in.Brief = cur.ID, cur.SiteID, cur.Seed, cur.Brief
	if in.Threshold == 0 || f.Locked {
		// Left empty, or a started test's, posted as the form shows it
		// (rounded): keep it as stored.
		in.Threshold = cur.Threshold
	}
	// Keep where each variant came from; editing generated copy marks it.
	// A row added in the form (no key yet: the store gives it one the
	// draft never gave) or sent back with a removed variant's key (the
	// store saves it as new copy) is typed by a person. The copy is
	// compared as the store keeps it (Experiment.Normalize trims it), so
	// that spaces a browser or a paste left around it are no edit.
	norm := in.Normalize()
	for i := range in.Variants {
		if old, ok := cur.Variant(in.Variants[i].Key); ok {
			v := &in.Variants[i]
			text, weight := v.Text, v.WeightBP
			*v = old
			v.Text, v.WeightBP = text, weight
			if norm.Variants[i].Text != old.Text && (old.Source == experiments.SourceModel || old.Source == experiments.SourceOffline) {
				v.Edited = true
			}
		}
	}
	update := a.store.UpdateExperiment
	if generate {
		update = a.store.UpdateDraft // draftFirst
	}
	var opts []experiments.UpdateOption
	if f.Opened != "" {
		// Checked again in the save's transaction: a change can come
		// after the check above.
		opts = append(opts, experiments.Unchanged(parseOpened(f.Opened).version))
	}
	e, err := update(ctx, in, opts...)
	if errors.Is(err, experiments.ErrChanged) {
		return a.changedSince(c, shown, cur, parseOpened(f.Opened))
	}
	if errs, ok := formErrors(err, experimentField); ok {
		shown.Errors = onRows(errs, rows)
		return a.renderExperimentForm(c, shown, http.StatusUnprocessableEntity)
	}
	var se *experiments.StateError
	if errors.As(err, &se) {
		return a.redirectWithFlash(c, "/experiments/"+cur.ID, "error", stateWords(se))
	}
	if err != nil {
		return err
	}
	a.snippets.reset()
	// pastedWords is "" for a started test: its form holds the stored
	// page and goal.
	notes := a.withStopsWarning(a.pastedWords(ctx, e, f), e)
	if generate {
		return a.redirectWithFlash(c, generateURL(e.ID), "ok", savedFlash(e, "Changes saved", notes, withUnset("Now describe the copy you want, and copylab writes drafts of it.", e), false))
	}
	if _, clause := startedZeroShare(e); clause != "" {
		return a.redirectWithFlash(c, "/experiments/"+e.ID, "ok", strings.TrimSpace("Changes saved, but "+clause+" "+notes))
	}
	next := ""
	if needs := startNeeds(e); e.Status == experiments.StatusDraft && needs != "" {
		// Saved without what it lacked (Store.UpdateExperiment): Start
		// asks for it.
		next = "It still needs " + needs + " before it can start."
	} else if e.Status == experiments.StatusDraft && startNeeds(cur) != "" && experiments.StartRefusal(e) == nil {
		// This save gave the draft what Start asked for: the page it
		// lands on has the Start button.
		next = "It can start now."
	}
	return a.redirectWithFlash(c, "/experiments/"+e.ID, "ok", savedFlash(e, "Changes saved", notes, next, false))
}

// fixedFields fills in f, the edit form of cur as a started test, the
// fields the form shows disabled, which are not posted, from the stored
// test: its page, element, goal, copy and practical threshold. Each
// variant keeps the weight typed for its key.
func fixedFields(f *views.ExperimentForm, cur experiments.Experiment) {
	stored := formFromExperiment(cur)
	f.Plan.Threshold = stored.Plan.Threshold
	f.PageURL, f.Selector, f.VisibleOnly, f.GoalType = stored.PageURL, stored.Selector, stored.VisibleOnly, stored.GoalType
	f.GoalSelector, f.GoalURL, f.GoalEvent = stored.GoalSelector, stored.GoalURL, stored.GoalEvent
	f.StartsAt = stored.StartsAt // "": a start clears the plan, and only a draft's form has the field
	weights := map[string]string{}
	for _, v := range f.Variants {
		weights[v.Key] = v.Weight
	}
	f.Variants = stored.Variants
	for i := range f.Variants {
		f.Variants[i].Weight = weights[f.Variants[i].Key]
	}
}

// openedToken is what an edit form carries of the experiment it was
// opened on (views.ExperimentForm.Opened), for its save: the status it
// was drawn for, the time of its last change (the history lines after it
// are the changes made since) and its version
// (experiments.Experiment.Version), which the save must still find
// (experiments.Unchanged). A save over a changed experiment would put
// back what the form showed: the drafts another tab added would be
// removed, another tab's rename undone. As the site settings form
// carries the values it was opened with (site_update.go), the form
// carries what it was opened on; a form without it, opened before
// copylab sent it, saves as before.
func openedToken(e experiments.Experiment) string {
	return string(e.Status) + "." + strconv.FormatInt(e.UpdatedAt.UnixMilli(), 10) + "." + e.Version()
}

// openedForm is an openedToken read back. A token that does not read has
// no version, which no experiment has: its save is refused.
type openedForm struct {
	status  experiments.Status
	at      time.Time
	version string
}

func parseOpened(token string) openedForm {
	status, rest, _ := strings.Cut(token, ".")
	at, version, _ := strings.Cut(rest, ".")
	ms, err := strconv.ParseInt(at, 10, 64)
	if err != nil || version == "" {
		return openedForm{}
	}
	return openedForm{status: experiments.Status(status), at: time.UnixMilli(ms), version: version}
}

// changedSince answers the save of an edit form opened on o, refused
// because the experiment (cur) changed since: 409, the form again as it
// was sent and drawn as it was opened, saying so. Nothing is written.
// The form keeps what it was opened on, so that saving it again is
// refused again: its link opens it anew.
func (a *App) changedSince(c *fiber.Ctx, f views.ExperimentForm, cur experiments.Experiment, o openedForm) error {
	if o.status != "" {
		// A draft's form stays one, with the copy typed in it, though the
		// test has started since.
		f.Status, f.Locked = string(o.status), o.status != experiments.StatusDraft
	}
	if f.Locked {
		fixedFields(&f, cur)
	}
	f.Errors, f.Focus = nil, ""
	f.Changed = a.changedWords(c, cur, o)
	return a.renderExperimentForm(c, f, http.StatusConflict)
}

// changedWords says that nothing was saved because cur changed after its
// form was opened (o), and, from its history, the last change since:
// what it was, when and by whom (changeWhen: "by you" for a change from
// another tab).
func (a *App) changedWords(c *fiber.Ctx, cur experiments.Experiment, o openedForm) string {
	msg := "Nothing was saved: this experiment was changed after you opened this form, and saving the form would have undone that change."
	if o.at.IsZero() {
		return msg
	}
	history, err := a.store.History(c.UserContext(), cur.ID)
	if err != nil {
		// Nothing is saved either way: a failed read only leaves out who.
		a.log.Error("edit: history unreadable", "request_id", requestIDOf(c), "experiment", cur.ID, "error", err)
		return msg
	}
	var last experiments.Change
	n := 0
	for _, ch := range history { // newest first
		if !ch.At.After(o.at) {
			break
		}
		if changedShown(ch.Action) {
			if n == 0 {
				last = ch
			}
			n++
		}
	}
	switch n {
	case 0:
		return msg
	case 1:
		return msg + " It was " + last.Action + " on " + changeWhen(last, sessionOf(c)) + "."
	}
	return msg + " It was last " + last.Action + " on " + changeWhen(last, sessionOf(c)) + "."
}

// changedShown reports whether a history line's action is a change an
// edit form shows (edited, started, …), which changedWords names; a share
// link or a shipped variant no longer shown is not.
func changedShown(action string) bool {
	switch action {
	case experiments.ChangeEdited, experiments.ChangeStarted, experiments.ChangePaused, experiments.ChangeResumed,
		experiments.ChangeStopped, experiments.ChangeShipped:
		return true
	}
	return false
}

// briefErrors adds to errs, beside each variant's box, what the copy
// typed in it breaks of the brief cur was drafted from (holdToBrief),
// unless the box has an error of the form's own; in is the draft as the
// form would save it, and rows its rows in the form, in the same order.
// The page's copy, a draft without a brief and copy left as it was are
// not held.
//
// Copy that breaks only the brief's length may be saved anyway, as the
// drafting page adds such drafts with its box ("Add drafts over 60
// characters anyway"): a marketer may know it fits where it goes. Its
// refusal says so, and long returns, by index, the brief's length for
// each such box, whose row offers the box to tick ("Save it over 60
// characters anyway"); ticked (AllowLong), it is not refused. Copy that
// breaks another rule is refused, box or not, and its refusal says its
// length too when it is over.
func (a *App) briefErrors(ctx context.Context, cur, in experiments.Experiment, rows []views.VariantField, errs views.Errors) (long map[int]int, err error) {
	if briefEmpty(savedBrief(cur)) {
		return nil, nil
	}
	used, err := a.store.UsedVariantKeys(ctx, cur.ID)
	if err != nil {
		return nil, err
	}
	in.Brief = cur.Brief
	long = map[int]int{}
	for i, c := range holdToBrief(in, cur.Variants, used) {
		key := fmt.Sprintf("variants[%d].text", i)
		if errs.Has(key) {
			continue
		}
		switch {
		case c.rule != "" && c.long():
			errs[key] = c.rule + fmt.Sprintf(" It is also %d characters; the brief asks for at most %d.", c.n, c.limit)
		case c.rule != "":
			errs[key] = c.rule
		default:
			long[i] = c.limit
			if i >= len(rows) || !rows[i].AllowLong {
				errs[key] = c.lengthWords() + fmt.Sprintf(" To save it as it is, tick “Save it over %d characters anyway” below it.", c.limit)
			}
		}
	}
	return long, nil
}

// startedZeroShare says what a started (running or paused) test saved
// with a share at 0% no longer does, as a code and a clause for "Changes
// saved, but …" (the page) or "Saved, but …" (the API's warnings); "" when
// no share is 0%. As a draft's save says of its traffic share (savedFlash),
// the person hears at once that the test no longer gathers results, or not
// for one variant. Start refused both before the test ran; an edit takes
// them, since a test may be turned down on purpose, but not without a word.
func startedZeroShare(e experiments.Experiment) (code, clause string) {
	if e.Status != experiments.StatusRunning && e.Status != experiments.StatusPaused {
		return "", ""
	}
	if e.CoverageBP == 0 {
		return "no_traffic", "its traffic share is 0%: no visitor is in the test, so its results stop growing until the share is above 0%."
	}
	var zero []string
	for i, v := range e.Variants {
		if v.WeightBP == 0 {
			zero = append(zero, views.VariantPhrase(v.Key, i == 0))
		}
	}
	switch {
	case len(zero) == 0:
		return "", ""
	case len(e.Variants) > 0 && e.Variants[0].WeightBP == 0:
		return "control_without_traffic", "the original gets 0% of the split: no visitor sees it, so nothing new can be compared with it until its share is above 0%."
	case len(zero) == 1:
		return "variant_without_traffic", zero[0] + " gets 0% of the split: no visitor sees it, so its results stop growing until its share is above 0%."
	}
	return "variant_without_traffic", strings.Join(zero[:len(zero)-1], ", ") + " and " + zero[len(zero)-1] +
		" get 0% of the split: no visitor sees them, so their results stop growing until their shares are above 0%."
}

// withWarnings is the experiment a PATCH answers: with warnings when the
// change left a started test gathering no results, or none for a variant
// (startedZeroShare), which the edit form says after its save.
func (a *App) withWarnings(e experiments.Experiment) apiExperiment {
	out := a.apiExperimentOf(e)
	if code, clause := startedZeroShare(e); clause != "" {
		out.Warnings = []apiWarning{{Code: code, Message: "Saved, but " + clause}}
	}
	return out
}
