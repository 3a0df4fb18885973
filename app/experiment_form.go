package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/variants"
	"copylab/views"
)

// The experiment form is shared by create and edit. It is plain HTML that
// works without JavaScript: adding or removing a row of copy is a submit
// button (op=add, op=remove:N) that redraws the form with what was typed.

// readExperimentForm reads the posted form into the view's fields.
func readExperimentForm(c *fiber.Ctx) views.ExperimentForm {
	f := views.ExperimentForm{
		SiteID:       c.FormValue("site_id"),
		Name:         c.FormValue("name"),
		PageURL:      c.FormValue("page"),
		Selector:     c.FormValue("selector"),
		VisibleOnly:  c.FormValue("visible_only") != "", // a checkbox: sent only when ticked
		GoalType:     c.FormValue("goal_type"),
		GoalSelector: c.FormValue("goal_selector"),
		GoalURL:      c.FormValue("goal_url"),
		GoalEvent:    c.FormValue("goal_event"),
		Coverage:     c.FormValue("coverage"),
		Plan:         views.PlanForm{Threshold: c.FormValue("threshold"), BaseRate: c.FormValue("plan_base"), DailyVisits: c.FormValue("plan_daily")},
		StopsAt:      strings.TrimSpace(c.FormValue("stops_at")),
		StartsAt:     strings.TrimSpace(c.FormValue("starts_at")),
	}
	args := c.Request().PostArgs()
	for i := 0; i < experiments.MaxVariants+2; i++ {
		// A row is there when any of its fields is: the page always sends
		// the hidden key, but a script posting the form may send only the
		// copy (and a row without a key gets the next free one).
		key, text, weight := fmt.Sprintf("variants[%d].key", i), fmt.Sprintf("variants[%d].text", i), fmt.Sprintf("variants[%d].weight", i)
		if !args.Has(key) && !args.Has(text) && !args.Has(weight) {
			break
		}
		// A browser sends a textarea's line breaks as CR LF: the copy
		// holds them as the line break they are, as the drafting page
		// reads its drafts, so that a paragraph saved with one comes back
		// unchanged rather than refused for a control character.
		f.Variants = append(f.Variants, views.VariantField{
			Key:    strings.TrimSpace(c.FormValue(key)),
			Text:   strings.ReplaceAll(c.FormValue(text), "\r\n", "\n"),
			Weight: strings.TrimSpace(c.FormValue(weight)),
			// The box to save copy over the brief's length anyway
			// (briefErrors): a checkbox, sent only when ticked.
			AllowLong: c.FormValue(fmt.Sprintf("variants[%d].allow_long", i)) != "",
		})
	}
	for len(f.Variants) < 2 {
		f.Variants = append(f.Variants, views.VariantField{})
	}
	return f
}

// rowOp reports whether op is one of the add and remove buttons, which
// show the form again without saving it (applyOp).
func rowOp(op string) bool { return op == "add" || strings.HasPrefix(op, "remove:") }

// applyOp carries out the add and remove buttons. It reports whether the
// form should simply be shown again (true) or saved (false). The form
// comes back with the focus where the person goes on (its Focus): the new
// row's copy after Add; after Remove, the row that took the removed one's
// place, or the Add button when it was the last. A keyboard or a screen
// reader would otherwise start again at the top of the page, many Tabs
// away.
func applyOp(f *views.ExperimentForm, op string) bool {
	switch {
	case op == "add":
		if len(f.Variants) < experiments.MaxVariants {
			f.Variants = append(f.Variants, views.VariantField{})
			f.Focus = fmt.Sprintf("variants[%d].text", len(f.Variants)-1)
		} else {
			f.Errors = views.Errors{"variants": fmt.Sprintf("Test at most %d new variants at once.", experiments.MaxVariants-1)}
			f.Focus = views.FocusAdd
		}
		return true
	case strings.HasPrefix(op, "remove:"):
		i, err := strconv.Atoi(strings.TrimPrefix(op, "remove:"))
		if err == nil && i > 0 && i < len(f.Variants) {
			f.Variants = append(f.Variants[:i], f.Variants[i+1:]...)
		}
		f.Focus = views.FocusAdd
		if err == nil && i > 0 && i < len(f.Variants) {
			f.Focus = fmt.Sprintf("variants[%d].text", i)
		}
		return true
	}
	return false
}

// parsePercent reads a percentage such as 50 or 33.33 as basis points.
func parsePercent(s string) (int, bool) {
	v, ok := formPercent(s)
	if !ok || v < 0 || v > 100 {
		return 0, false
	}
	return int(math.Round(v * 100)), true
}

// splitWeights reads the rows' weights in basis points. An empty weight
// takes an equal part of what the typed ones leave, the first empty ones
// a basis point more when it does not divide; every weight empty is the
// equal split (experiments.EqualWeights). given is the sum of the typed
// weights; bad lists the rows whose weight is not a percentage from 0 to
// 100 (counted as 0). Over 100% typed, the empty ones get 0.
func splitWeights(vs []views.VariantField) (weights []int, given int, bad []int) {
	weights = make([]int, len(vs))
	blanks := 0
	for i, v := range vs {
		if v.Weight == "" {
			blanks++
			continue
		}
		bp, ok := parsePercent(v.Weight)
		if !ok {
			bad = append(bad, i)
		}
		weights[i] = bp
		given += bp
	}
	if blanks == 0 || given > 10000 {
		return weights, given, bad
	}
	rest, n := 10000-given, 0
	for i, v := range vs {
		if v.Weight == "" {
			weights[i] = rest / blanks
			if n < rest%blanks {
				weights[i]++
			}
			n++
		}
	}
	return weights, given, bad
}

// formExperiment turns the form into an experiment, with the form's own
// errors (numbers that are not numbers, an empty weight that the typed
// ones leave nothing for). Empty weights share what the typed ones leave,
// equally; all empty is an equal split.
func formExperiment(f views.ExperimentForm) (experiments.Experiment, views.Errors) {
	errs := views.Errors{}
	e := experiments.Experiment{
		SiteID:      f.SiteID,
		Name:        f.Name,
		Page:        f.PageURL,
		Selector:    f.Selector,
		VisibleOnly: f.VisibleOnly,
		CoverageBP:  10000,
	}
	switch f.GoalType {
	case experiments.GoalClick:
		e.Goal = experiments.Goal{Type: f.GoalType, Selector: f.GoalSelector}
	case experiments.GoalPageview:
		e.Goal = experiments.Goal{Type: f.GoalType, URL: f.GoalURL}
	case experiments.GoalEvent:
		e.Goal = experiments.Goal{Type: f.GoalType, Name: f.GoalEvent}
	}
	if strings.TrimSpace(f.Plan.Threshold) != "" {
		t, ok := parseRatio(f.Plan.Threshold)
		if !ok {
			errs["threshold"] = "Enter a percentage such as 10."
		}
		if ok && t == 0 {
			t = -1 // typed 0: out of range, as through the API (0 would mean "keep it")
		}
		e.Threshold = t
	}
	e.StopsAt = formPlanDay(f.StopsAt, experiments.FieldStopsAt, errs)
	e.StartsAt = formPlanDay(f.StartsAt, experiments.FieldStartsAt, errs)
	if strings.TrimSpace(f.Coverage) != "" {
		bp, ok := parsePercent(f.Coverage)
		if !ok {
			errs["coverage"] = "Enter a percentage from 0 to 100, such as 100 or 50."
		}
		e.CoverageBP = bp
	}
	weights, given, bad := splitWeights(f.Variants)
	for _, i := range bad {
		errs[fmt.Sprintf("variants[%d].weight", i)] = "Enter a percentage from 0 to 100, such as 50 or 33.33."
	}
	if len(bad) == 0 && given <= 10000 {
		// The typed weights leave nothing (or too little) for an empty one:
		// saved, that variant would get no visitor without anyone choosing
		// it. A weight of 0 is a choice; an empty one is not.
		for i, v := range f.Variants {
			if v.Weight == "" && weights[i] == 0 {
				who := "this variant"
				if i == 0 {
					who = "the original"
				}
				errs[fmt.Sprintf("variants[%d].weight", i)] = "The other weights add up to " + experiments.PercentOfBP(given) +
					"%, so " + who + " would get no visitors: give it a weight, or empty every weight for an equal split."
			}
		}
	}
	for i, v := range f.Variants {
		key := v.Key // "" for a row added in the form: the store gives its key
		if i == 0 {
			key = experiments.ControlKey
		}
		e.Variants = append(e.Variants, experiments.Variant{Key: key, Text: v.Text, WeightBP: weights[i], Source: experiments.SourceHuman})
	}
	return e, errs
}

// briefRefusals holds the copy a person typed into e's variants to the
// rules of the brief e was drafted from (holdToBrief) and returns, by
// index, the refusal of each variant that breaks one, naming it
// ("Variant C uses “best”, …"): its length when it is over the brief's,
// else the first other rule it breaks. Without a brief there is nothing
// to hold to: nil.
func briefRefusals(e experiments.Experiment, stored []experiments.Variant, used map[string]bool) map[int]string {
	checks := holdToBrief(e, stored, used)
	if checks == nil {
		return nil
	}
	out := map[int]string{}
	for i, c := range checks {
		if c.long() {
			out[i] = c.lengthWords()
		} else {
			out[i] = c.rule
		}
	}
	return out
}

// briefCheck is what holdToBrief finds of one variant's typed copy: the
// refusal of a rule of the brief other than its length ("" when none),
// and the copy's length in characters as people count them (chars.Count,
// as the drafting page counts a draft) beside the brief's (limit, 0 for
// none).
type briefCheck struct {
	name     string // the variant's, "Variant C"
	rule     string
	n, limit int
}

// long reports whether the copy is over the brief's length.
func (c briefCheck) long() bool { return c.limit > 0 && c.n > c.limit }

// lengthWords is the refusal of copy over the brief's length.
func (c briefCheck) lengthWords() string {
	return fmt.Sprintf("%s is %d characters; the brief asks for at most %d. Shorten it.", c.name, c.n, c.limit)
}

// holdToBrief holds the copy a person typed into e's variants to the
// rules of the brief e was drafted from, as the drafting page holds the
// drafts a marketer edited (approvedVariants), with the same checks and
// words: the brief's length, copy that repeats another of e's in all but
// case, spacing and punctuation (variants.Similar), and the rest of the
// brief's rules (variants.ValidateCopy: its must-say and must-not-say
// lists, links, line breaks where its element shows none). It returns,
// by index, what it found of each variant that breaks one. e is the
// experiment as a save would store it, its brief included; stored is its
// copy as it is now (nil for a new experiment), and used the keys it gave
// before, to name a variant not saved yet as the save will.
//
// Only copy typed now is held: a variant added, or changed from its
// stored copy. Copy kept as it was (saved before the brief, or added over
// its length with the drafting page's box or the edit form's) does not
// stop a save that leaves it alone, and the original is the page's copy,
// whatever the brief says. Copy the rules for all copy refuse
// (experiments.CopyError), or that repeats another of e's exactly, is
// left to the store, in its words. Without a brief there is nothing to
// hold to: nil.
func holdToBrief(e experiments.Experiment, stored []experiments.Variant, used map[string]bool) map[int]briefCheck {
	b := savedBrief(e)
	if briefEmpty(b) || len(e.Variants) < 2 {
		return nil
	}
	// The original is the current copy, as drafting from the experiment
	// takes it (briefFor): the saved brief's is stale once the original
	// was edited.
	b.CurrentCopy = strings.TrimSpace(e.Variants[0].Text)
	b = b.Normalize()
	rules := b.Rules()
	rules.MaxLength = variants.MaxMaxLength // the brief's length has its own words
	rules.Control = ""                      // among the copy it must not repeat, to name it
	keys, texts, typed := make([]string, len(e.Variants)), make([]string, len(e.Variants)), make([]bool, len(e.Variants))
	for i, v := range e.Variants {
		keys[i], texts[i] = strings.TrimSpace(v.Key), strings.TrimSpace(v.Text)
		k := slices.IndexFunc(stored, func(s experiments.Variant) bool { return s.Key == keys[i] })
		typed[i] = i > 0 && (keys[i] == "" || k < 0 || stored[k].Text != texts[i])
	}
	keys = experiments.GiveKeys(keys, used)
	out := map[int]briefCheck{}
	for i, text := range texts {
		if !typed[i] || experiments.CopyError(text) != "" {
			continue
		}
		c := briefCheck{name: views.VariantLabel(keys[i], false), n: chars.Count(text), limit: b.MaxLength}
		// The copy before it, and the copy after it that was not typed
		// now: of two typed alike, the later one is refused.
		repeat, same := "", false
		for j, other := range texts {
			if j == i || j > i && typed[j] {
				continue
			}
			if other == text {
				same = true
				break
			}
			if variants.Similar(other, text) {
				repeat = sameCopyMessage(0, text, other, labelOf(keys[j], j == 0))
				break
			}
		}
		switch {
		case same:
		case repeat != "":
			c.rule = asVariant(repeat, c.name)
		default:
			if err := variants.ValidateCopy(text, rules); err != nil {
				c.rule = asVariant(briefRuleMessage(0, b, err), c.name)
			}
		}
		if c.rule != "" || c.long() {
			out[i] = c
		}
	}
	return out
}

// asVariant is a sentence the drafting page says of its first draft
// (briefRuleMessage, sameCopyMessage) said of the variant called name:
// "Draft 1 uses …" becomes "Variant C uses …", and the advice to untick
// it, which only the drafts have, goes.
func asVariant(msg, name string) string {
	msg = name + strings.TrimPrefix(msg, "Draft 1")
	return strings.Replace(msg, ", or untick it.", ".", 1)
}

// sameThreshold reports whether typed, a practical threshold read from
// the form (parseRatio), is stored, the experiment's, as the form shows it:
// to a hundredth of a percent (formFromExperiment), so that a started
// test's form, which posts its fixed threshold back as shown, is not taken
// for a change of 0.12345 to 0.1235.
func sameThreshold(typed, stored float64) bool {
	return math.Round(typed*10000) == math.Round(stored*10000)
}

// experimentField maps the store's field names to the form's.
func experimentField(field string) string {
	switch {
	case field == "coverage_bp":
		return "coverage"
	case strings.HasPrefix(field, "variants[") && strings.HasSuffix(field, ".weight_bp"):
		return strings.TrimSuffix(field, "_bp")
	}
	return field
}

// mergeErrors joins the form's own errors with the store's validation
// (the rules of a draft saved to draft copy for, when draft is set: see
// draftFirst) and its refusal of the planned start and stop of e saved
// over cur (Experiment{} for a new one), so every problem shows at once,
// as the store's own save names them; the form's message wins on a
// field. An element kept as cur has it is not refused, as the store
// does not refuse it (experiments.KeptElement).
func (a *App) mergeErrors(own views.Errors, e, cur experiments.Experiment, draft bool) views.Errors {
	out := views.Errors{}
	validate := experiments.Experiment.Validate
	if draft {
		validate = experiments.Experiment.ValidateDraft
	}
	norm := e.Normalize()
	if errs, ok := formErrors(append(experiments.KeptElement(validate(norm), norm, cur), a.store.PlanErrors(e, cur)...), experimentField); ok {
		for k, v := range errs {
			out[k] = v
		}
	}
	for k, v := range own {
		out[k] = v
	}
	// A weight that is not a number also makes the sum wrong; one message is enough.
	for k := range own {
		if strings.HasSuffix(k, ".weight") {
			delete(out, "weights")
		}
	}
	return out
}

// onRows moves the errors of saved variants ("variants[1].text") to the
// rows of the form they came from, by rows from typedVariants; nil rows
// means the form saved every row, and errs is returned as it is.
func onRows(errs views.Errors, rows []int) views.Errors {
	if rows == nil {
		return errs
	}
	out := views.Errors{}
	for k, msg := range errs {
		if rest, ok := strings.CutPrefix(k, "variants["); ok {
			n, field, ok := strings.Cut(rest, "]")
			if i, err := strconv.Atoi(n); ok && err == nil && i >= 0 && i < len(rows) {
				k = fmt.Sprintf("variants[%d]%s", rows[i], field)
			}
		}
		out[k] = msg
	}
	return out
}

// draftFirst prepares the form as "Draft copy with AI" saves it
// (op=generate): the typed variants only (typedVariants), and a click goal
// when a script sent no goal type, as the New form starts with. Such a
// draft needs only its name, site and original copy, the current copy the
// drafts are written to beat: a marketer may want copy ideas before
// knowing which element and goal to test, so its page, element and goal
// may wait (Store.CreateDraft) until it starts, which asks for them
// (Store.Transition). Save draft keeps asking for everything: it saves a
// test ready to start, with a variant written by hand, and a draft
// missing those would only be refused later, at Start.
func draftFirst(f views.ExperimentForm) (views.ExperimentForm, []int) {
	f, rows := typedVariants(f) // generate_form.go
	if strings.TrimSpace(f.GoalType) == "" {
		f.GoalType = experiments.GoalClick
	}
	return f, rows
}

// withoutEmptyRows is the edit form of a draft as Save keeps it: without
// the rows of copy added in the form and left empty (no key, no copy, no
// weight), such as the one readExperimentForm adds to a form holding only
// the original. A draft saved by "Draft copy with AI" may have only the
// original (draftFirst), and its edit form shows that one row: without
// this, its Save refused an empty Variant B box nobody asked for, and
// with it the page, element and goal the person came to fill in. A
// stored variant whose copy was emptied keeps its row, and its error:
// Remove takes it out. rows are as typedVariants gives them, nil when no
// row was left out.
func withoutEmptyRows(f views.ExperimentForm) (views.ExperimentForm, []int) {
	if len(f.Variants) == 0 {
		return f, nil
	}
	kept, rows := []views.VariantField{f.Variants[0]}, []int{0}
	for i, v := range f.Variants[1:] {
		if v.Key != "" || strings.TrimSpace(v.Text) != "" || v.Weight != "" {
			kept, rows = append(kept, v), append(rows, i+1)
		}
	}
	if len(kept) == len(f.Variants) {
		return f, nil
	}
	f.Variants = kept
	return f, rows
}

// startNeeds names what a draft still needs before Start takes it: its
// page, element and goal (unsetWords), another element than one the
// rules refuse now (experiments.Experiment.ElementRefused: kept from an
// older copylab, or duplicated), and a variant besides the original
// (experiments.StartRefusal): "its page and goal", "another element", "a
// variant of the copy", "its goal, and a variant of the copy"; "" when
// it has them.
func startNeeds(e experiments.Experiment) string {
	var parts []string
	if w := unsetWords(e); w != "" {
		parts = append(parts, "its "+w)
	}
	if e.ElementRefused() != nil {
		parts = append(parts, "another element")
	}
	if len(e.Variants) < 2 {
		parts = append(parts, "a variant of the copy")
	}
	return strings.Join(parts, ", and ")
}

// withUnset is next, the step after a save, followed by what the draft
// still lacks of its page, element and goal (Experiment.Unset), if
// anything: the person hears that they can wait, and that Start asks.
func withUnset(next string, e experiments.Experiment) string {
	if e.Status != experiments.StatusDraft || e.Complete() {
		return next
	}
	return next + " Its " + unsetWords(e) + " can wait until you start it."
}

// unsetNames names what e lacks of its page, element and goal
// (Experiment.Unset) as the pages call them: "page", "element", "goal".
func unsetNames(e experiments.Experiment) []string {
	words := map[string]string{experiments.FieldPage: "page", experiments.FieldSelector: "element", experiments.FieldGoal: "goal"}
	var out []string
	for _, f := range e.Unset() {
		out = append(out, words[f])
	}
	return out
}

// unsetWords is unsetNames in a phrase: "page, element and goal",
// "element and goal", "goal".
func unsetWords(e experiments.Experiment) string {
	out := unsetNames(e)
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// savedFlash is the message after a save of the form: done ("Draft
// saved"), then notes (pastedWords), then next, the step that follows, if
// any. A draft with a traffic share of 0% is saved (a draft may be
// unfinished, and the API takes one too), but no visitor would be in its
// test and Start refuses it: the person hears it now, at the save, rather
// than at Start. A next step that is to start it (startNext) is then left
// out.
func savedFlash(e experiments.Experiment, done, notes, next string, startNext bool) string {
	msg := done + "."
	if e.Status == experiments.StatusDraft && e.CoverageBP == 0 {
		msg = done + ", but its traffic share is 0%: no visitor would be in the test, and Start refuses it until the share is above 0%."
		if startNext {
			next = ""
		}
	}
	for _, s := range []string{notes, next} {
		if s != "" {
			msg += " " + s
		}
	}
	return msg
}

// pastedNote is a word on what a save made of a page pasted as a whole
// address: a code for the API's warnings, and a sentence.
type pastedNote struct{ code, msg string }

// pastedNotes says what the save of e made of its page and page-view
// goal when they were pasted as whole addresses (page and goalURL, as
// sent): that their tracking part was left out (experiments.ReadPage),
// and that the address was on another host than the site's, where the
// person may have meant another site, or pasted a competitor's page. A
// developer's machine (localhost) is the site's own. The save is done
// already, so a site that cannot be read only leaves the host unsaid.
// The API's warnings name the saved patterns as stored, as its JSON has
// them; the form's message writes them as the form shows them
// (pastedWords).
func (a *App) pastedNotes(ctx context.Context, e experiments.Experiment, page, goalURL string) []pastedNote {
	return a.pastedNotesAs(ctx, e, page, goalURL, func(p string) string { return p })
}

// pastedNotesAs is pastedNotes with each saved pattern written by show.
func (a *App) pastedNotesAs(ctx context.Context, e experiments.Experiment, page, goalURL string, show func(string) string) []pastedNote {
	var domain string
	if site, err := a.store.Site(ctx, e.SiteID); err == nil {
		domain = site.Domain
	}
	var out []pastedNote
	// The page is named once: when the tracking note names it, the
	// other-host note says "that page". A query that stays after the
	// tracking part went still limits the test to addresses carrying it,
	// so "every visitor" is said only when none is left.
	note := func(raw, address, pastedAddress, saved string, runsThat func(string) string) {
		_, pasted := experiments.ReadPage(raw)
		saved = show(saved)
		named := false
		if len(pasted.Dropped) > 0 {
			shown := make([]string, len(pasted.Dropped))
			for i, pair := range pasted.Dropped {
				// Click ids are long and mean nothing to a reader: the
				// names say what went.
				if k, _, ok := strings.Cut(pair, "="); ok {
					pair = k + "=…"
				}
				shown[i] = pair
			}
			who := " for every visitor."
			if _, kept, _ := strings.Cut(saved, "?"); kept != "" {
				who = ", and only where the address has " + kept + "."
			}
			out = append(out, pastedNote{"tracking_left_out", "Left out the tracking part of " + address +
				" (?" + strings.Join(shown, "&") + "): " + runsThat(saved) + who})
			named = true
		}
		if pasted.Host != "" && domain != "" && !pageOnSite(raw, domain) && !devOrigin(raw) {
			where := saved
			if named {
				where = "that page"
			}
			out = append(out, pastedNote{"other_domain", pastedAddress + " is on " + shownDomain(pasted.Host) +
				", not on " + shownDomain(domain) + ", the site’s domain: " + runsThat(where) + " wherever the site’s tag is loaded."})
		}
	}
	note(page, "the address", "The pasted address", e.Page, func(p string) string { return "the test runs on " + p })
	if e.Goal.Type == experiments.GoalPageview {
		note(goalURL, "the goal’s address", "The goal’s pasted address", e.Goal.URL, func(p string) string { return "a visit to " + p + " counts" })
	}
	return out
}

// pastedWords is pastedNotes as the form's message says them, each page
// written as the form shows it, letters and all (experiments.PageShown).
func (a *App) pastedWords(ctx context.Context, e experiments.Experiment, f views.ExperimentForm) string {
	var msgs []string
	for _, n := range a.pastedNotesAs(ctx, e, f.PageURL, f.GoalURL, experiments.PageShown) {
		msgs = append(msgs, n.msg)
	}
	return strings.Join(msgs, " ")
}

// formFromExperiment fills the form with a stored experiment. Its page
// and goal page are written as a person typed them, letters and all
// (experiments.PageShown): saved unchanged, ReadPage escapes them again
// into the stored patterns, byte for byte.
func formFromExperiment(e experiments.Experiment) views.ExperimentForm {
	f := views.ExperimentForm{
		ID:          e.ID,
		Status:      string(e.Status),
		Locked:      e.Status != experiments.StatusDraft,
		SiteID:      e.SiteID,
		Name:        e.Name,
		PageURL:     experiments.PageShown(e.Page),
		Selector:    e.Selector,
		VisibleOnly: e.VisibleOnly,
		GoalType:    e.Goal.Type,
		Coverage:    experiments.PercentOfBP(e.CoverageBP),
		Plan:        views.PlanForm{Threshold: strconv.FormatFloat(math.Round(e.Threshold*10000)/100, 'f', -1, 64)},
		Opened:      openedToken(e),
	}
	// Its day: a time the API set within a day is shown as its day, and
	// saved again as it was while that day is sent back (keptPlanTime),
	// as the help beside the field says (StopsPlanned).
	f.StopsAt, f.StartsAt = formDay(e.StopsAt), formDay(e.StartsAt)
	f.StopsPlanned, f.StartsPlanned = e.StopsAt, e.StartsAt
	switch e.Goal.Type {
	case experiments.GoalClick:
		f.GoalSelector = e.Goal.Selector
	case experiments.GoalPageview:
		f.GoalURL = experiments.PageShown(e.Goal.URL)
	case experiments.GoalEvent:
		f.GoalEvent = e.Goal.Name
	}
	// A split nobody set (the equal one, as adding variants or drafts
	// leaves it) comes back as empty weights, not as figures that look
	// typed: adding or removing a row then splits equally again, where
	// 16.67/…/16.66 would leave a new row 0% and a removal short of 100%.
	equal := customSplit(e) == "" // experiment_transition.go
	for _, v := range e.Variants {
		w := experiments.PercentOfBP(v.WeightBP)
		if equal {
			w = ""
		}
		f.Variants = append(f.Variants, views.VariantField{Key: v.Key, Text: v.Text, Weight: w})
	}
	return f
}

// siteOptions lists the sites for the form's select.
func (a *App) siteOptions(c *fiber.Ctx) ([]views.SiteOption, error) {
	sites, err := a.store.Sites(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make([]views.SiteOption, len(sites))
	for i, s := range sites {
		out[i] = views.SiteOption{ID: s.ID, Name: s.Name}
	}
	return out, nil
}

// nameNewRows gives each row added in the form (one without a key) the
// key the store gives it when saved (experiments.GiveKeys, after every key
// a saved experiment gave: Store.UsedVariantKeys), so that its box is
// named as its variant will be. A started test's form adds no rows.
func (a *App) nameNewRows(c *fiber.Ctx, f *views.ExperimentForm) error {
	keys := make([]string, len(f.Variants))
	for i, v := range f.Variants {
		keys[i] = v.Key
	}
	if f.Locked || len(keys) < 2 || !slices.Contains(keys[1:], "") {
		return nil
	}
	var used map[string]bool
	if !f.Creating() {
		var err error
		if used, err = a.store.UsedVariantKeys(c.UserContext(), f.ID); err != nil {
			return err
		}
	}
	for i, k := range experiments.GiveKeys(keys, used) {
		if i > 0 && keys[i] == "" {
			f.Variants[i].NewKey = k
		}
	}
	return nil
}

// renderExperimentForm draws the form with its page frame.
func (a *App) renderExperimentForm(c *fiber.Ctx, f views.ExperimentForm, status int) error {
	sites, err := a.siteOptions(c)
	if err != nil {
		return err
	}
	f.Sites = sites
	if err := a.nameNewRows(c, &f); err != nil {
		return err
	}
	if weights, given, bad := splitWeights(f.Variants); len(bad) == 0 && given <= 10000 {
		for i := range f.Variants {
			if f.Variants[i].Weight == "" {
				f.Variants[i].Auto = experiments.PercentOfBP(weights[i])
			}
		}
	}
	plan := planForm(f.Plan.Threshold, f.Plan.BaseRate, f.Plan.DailyVisits, len(f.Variants))
	plan.BaseMeasured, plan.DailyMeasured, plan.DailyPending = f.Plan.BaseMeasured, f.Plan.DailyMeasured, f.Plan.DailyPending
	f.Plan = plan
	if c.Method() == fiber.MethodGet && c.Query("start") == "1" && !f.Creating() {
		// The edit page a refused Start leads to (notReadyToStart).
		e, err := a.store.Experiment(c.UserContext(), f.ID)
		if err != nil {
			return err
		}
		startRefused(&f, e)
	}
	if err := a.stopsFormWarning(c, &f); err != nil {
		return err
	}
	f.Page = a.page(c, views.NavExperiments)
	if f.Creating() {
		f.Page.Title = "New experiment"
	} else {
		f.Page.Title = "Edit " + f.Name
		f.GenerateURL = "/experiments/" + f.ID + "/generate"
	}
	c.Status(status)
	return render(c, views.ExperimentEdit(f))
}

// stopsTooSoon words why a test planned to stop at stopsAt may stop
// before it can be called: copylab calls a result only once a test has
// run a full week (earlyDays) and has its planned sample, and the plan
// leaves it less than that week after its start (startedAt; for a
// draft, its planned start, startsAt, or else now, as if it started
// today). "" when it leaves a week or more,
// or there is no plan. A warning, never a refusal: a marketer may want
// a short test on purpose (a sale that ends).
func stopsTooSoon(stopsAt, startedAt, startsAt, now time.Time) string {
	if stopsAt.IsZero() {
		return ""
	}
	from, when := startedAt, "after its start"
	switch {
	case !from.IsZero():
	case !startsAt.IsZero():
		from, when = startsAt, "after its planned start"
	default:
		from, when = now, "if it starts today"
	}
	left := stopsAt.Sub(from)
	if left >= earlyDays*24*time.Hour {
		return ""
	}
	// Whole days are said as they are; any part of a day counts as a
	// day, "less than 2 days" for 1 day and 20 hours, never rounded
	// down to "only 1 day": for a stop at 00:00 UTC (as the form plans
	// one) from a test started today, that is the count of days the
	// Setup card gives ("in 2 days").
	const day = 24 * time.Hour
	var ran string
	switch {
	case left < day:
		ran = "less than a day"
	case left%day == 0:
		ran = "only " + durationText(float64(left/day))
	default:
		ran = "less than " + durationText(float64((left+day-1)/day))
	}
	return "The test may stop before it can be called: it runs " + ran + " " + when +
		", and copylab calls a result only once a test has run a full week and has its planned sample."
}

// withStopsWarning is a save's notes for its message with, after them,
// the warning that e's planned stop may come before the test can be
// called (stopsTooSoon), as the page and the form say beside the date:
// the New form's save and the edit form's say it alike.
func (a *App) withStopsWarning(notes string, e experiments.Experiment) string {
	if soon := stopsTooSoon(e.StopsAt, e.StartedAt, e.StartsAt, a.now()); soon != "" {
		return strings.TrimSpace(notes + " " + soon)
	}
	return notes
}

// stopsFormWarning sets the form's warning beside its stop date when the
// day chosen may come before the test can be called (stopsTooSoon),
// counted from the test's start, or for a draft from its planned start
// (the form's Start on, when it holds a day), or else now. A day that is
// the stored plan's counts at the plan's time, as a save keeps it
// (keptPlanTime), not at its 00:00 UTC. A date in error has its error
// instead.
func (a *App) stopsFormWarning(c *fiber.Ctx, f *views.ExperimentForm) error {
	day, err := time.Parse(time.DateOnly, f.StopsAt)
	if err != nil || f.Errors.Has("stops_at") {
		return nil
	}
	day = keptPlanTime(day, f.StopsPlanned)
	var started, starts time.Time
	if !f.Errors.Has("starts_at") {
		if starts, err = time.Parse(time.DateOnly, f.StartsAt); err == nil {
			starts = keptPlanTime(starts, f.StartsPlanned)
		}
	}
	if !f.Creating() && f.Status != string(experiments.StatusDraft) {
		e, err := a.store.Experiment(c.UserContext(), f.ID)
		if err != nil {
			return err
		}
		started = e.StartedAt
	}
	f.StopsWarning = stopsTooSoon(day, started, starts, a.now())
	return nil
}

// formPlanDay reads a plan's date input (field: starts_at, stops_at): a
// UTC day, saved as its 00:00 UTC, when the test starts or stops; zero
// when empty. Anything else sets its error in errs.
func formPlanDay(value, field string, errs views.Errors) time.Time {
	if value == "" {
		return time.Time{}
	}
	day, err := time.Parse(time.DateOnly, value)
	if err != nil {
		errs[field] = "Enter a date such as 2026-12-12, or leave it empty."
	}
	return day
}

// keptPlanTime is the planned time an edit saves: cur, the one stored,
// when sent, read from the form's date input (formPlanDay), is still
// cur's UTC day. The input holds only a day (formDay), so a time set
// through the API within it (14:30 UTC) would otherwise become 00:00
// UTC of that day on any save of the form, the field untouched. Another
// day is its 00:00 UTC; an empty field removes the plan.
func keptPlanTime(sent, cur time.Time) time.Time {
	if !sent.IsZero() && !cur.IsZero() && formDay(sent) == formDay(cur) {
		return cur
	}
	return sent
}

// formDay is a planned time as a plan's date input has it: its UTC day
// ("" for none).
func formDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
