package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/variants"
	"copylab/views"
)

// generateApprove answers POST /experiments/:id/generate/jobs/:job/approve:
// the ticked drafts, as edited, join the experiment as variants that
// remember where they came from (generator, model, prompt version, angle,
// rationale, who approved them, whether a person edited them), and the
// brief is saved with the experiment. Like any other copy of a draft
// experiment, nothing reaches a site until someone starts it. As its
// siblings answer htmx, htmx gets an HX-Redirect where a form gets a 303
// (redirectHX), and a refusal as the workspace fragment (renderWorkspace).
func (a *App) generateApprove(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, site, err := a.generationTarget(c)
	if err != nil {
		return a.experimentGone(c, err)
	}
	s := sessionOf(c)
	// gone says why the drafts are not there to add: replaced by the
	// person's newer brief (jobGone), or gone for good.
	gone := func() error {
		msg := a.jobGone(c.Params("job"), e.ID, personOf(s.user)).Message
		return a.redirectHX(c, generateURL(e.ID), "error", msg)
	}
	j, ok := a.genJobs.get(c.Params("job"), e.ID, personOf(s.user))
	if !ok {
		if added, ok := a.genJobs.addedSentence(c.Params("job"), e.ID, personOf(s.user)); ok {
			return a.redirectHX(c, "/experiments/"+e.ID, "ok", added)
		}
		return gone()
	}
	if c.FormValue("enter") != "" {
		return a.generateEnter(c, e, j)
	}
	// One approval at a time per job: a second press waits here, then
	// finds the drafts added and says what the first press did.
	j.approving.Lock()
	defer j.approving.Unlock()
	if added := j.addedSentence(); added != "" {
		return a.redirectHX(c, "/experiments/"+e.ID, "ok", added)
	}
	// The session and the job were checked before the wait: one let go
	// meanwhile (its person removed, its experiment deleted, a newer
	// brief sent) adds nothing.
	if context.Cause(j.life) != nil {
		return gone()
	}
	if e.Status != experiments.StatusDraft {
		return a.redirectHX(c, "/experiments/"+e.ID, "error", "This experiment has started, so its copy is fixed; the drafts were not added.")
	}
	if over := a.syncDrafts(c, j); len(over) > 0 {
		return a.refuseDraftBoxes(c, e, j, over, -1)
	}

	add, errs, longLimit := approvedVariants(e, j, s.user.Email, c.FormValue("allow_long") == "on")
	if len(errs) == 0 {
		_, added, err := a.store.AddVariants(ctx, e.ID, add, s.user)
		var ve experiments.ValidationError
		var se *experiments.StateError
		switch {
		case errors.Is(err, experiments.ErrApproverGone):
			// Removed after the job was checked, before the store was
			// asked (userRemove deletes the user, then stops the jobs).
			return gone()
		case errors.As(err, &ve):
			// approvedVariants checks what the store checks; should the
			// two ever differ, say it rather than fail.
			errs = views.Errors{"drafts": "These drafts could not be added: " + genLowerFirst(ve[0].Message)}
		case errors.As(err, &se):
			return a.redirectHX(c, "/experiments/"+e.ID, "error", se.Message)
		case err != nil:
			return err
		default:
			if err := a.store.SaveBrief(ctx, e.ID, briefJSON(mustBrief(jobForm(j)))); err != nil {
				a.log.Warn("generate: save brief after approve", "experiment", e.ID, "error", err)
			}
			sentence := approvedSentence(e, added, j.draftCount()-len(added))
			if was := customSplit(e); was != "" {
				// e is the experiment as read before the add.
				sentence += " The split is equal again (it was " + was + "): set it again on the experiment page if you want it back."
			}
			a.genJobs.markAdded(j, sentence)
			return a.redirectHX(c, "/experiments/"+e.ID, "ok", sentence)
		}
	}

	p := a.generatePage(c, e, site)
	p.Brief = jobForm(j)
	jv := a.jobView(c, e, j)
	jv.Errors = errs
	jv.LongLimit = longLimit
	for i := range jv.Drafts {
		key := draftKey(i, "text")
		if errs.Has(key) {
			jv.Drafts[i].Errors = views.Errors{key: errs.Get(key)}
		}
	}
	p.Job = &jv
	switch n, over := a.runningOver(j); {
	case over:
		// The person's newer brief is being written over these drafts:
		// the refusal shows what the page shows then (generateShow), the
		// brief and its progress, with these drafts below it, refused,
		// as those its drafts will replace (views' previousDrafts says
		// why Add waits), rather than these alone, as if nothing were
		// coming to take their place.
		nv := a.jobView(c, e, n)
		nv.Previous = &jv
		p.Brief, p.Job = jobForm(n), &nv
	case jv.State == jobRunning:
		// Add on the brief being written itself: its progress has no
		// drafts form to show approvedVariants' refusal in.
		p.Error = "Your new brief is still being written, so it has no drafts to add yet: they show here once they are ready."
		if jv.Previous != nil {
			p.Error += " Your previous drafts below can be added now."
		}
	}
	return a.renderWorkspace(c, p, http.StatusUnprocessableEntity)
}

// approvedVariants turns the ticked drafts into variants, or says what is
// wrong with them: none ticked, more than the experiment has room for,
// copy the store would refuse, a text the experiment already has, or all
// but has (variants.Similar, as drafts from the model are held to), or a
// text that breaks the brief's rules. The drafts as written met those
// rules, but the marketer may have edited them since: an edit is held to
// the same rules as the model's drafts, and told which one it breaks. A
// draft edited past the brief's length is refused too, naming its length
// and the limit, unless allowLong: the marketer ticked the box the page
// then offers (longLimit, the limit when a draft was refused so), to add
// it as it is. Every problem of every ticked draft is said at once
// (draftProblems), so that one Add shows all there is to fix.
func approvedVariants(e experiments.Experiment, j *genJob, email string, allowLong bool) (_ []experiments.Variant, _ views.Errors, longLimit int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	errs := views.Errors{}
	if j.state != jobDone {
		errs["drafts"] = "There are no drafts to add yet."
		return nil, errs, 0
	}
	// seen names the copy a draft may not repeat, by its text as the
	// store compares copy (chars.Key: "Größe" however its "ö" was typed).
	seen := map[string]string{}
	// have is the copy a draft must differ from, with its name: the
	// experiment's, the brief's current copy when the box was changed
	// from the original's, and the drafts added before it.
	var have []namedCopy
	for i, v := range e.Variants {
		seen[chars.Key(v.Text)] = labelOf(v.Key, i == 0)
		have = append(have, namedCopy{v.Text, labelOf(v.Key, i == 0)})
	}
	if cur := j.brief.CurrentCopy; !slices.ContainsFunc(have, func(h namedCopy) bool { return chars.Same(h.text, cur) }) {
		have = append(have, namedCopy{cur, "the current copy in the brief"})
	}
	var out []experiments.Variant
	ticked, refused := 0, 0
	for i, d := range j.drafts {
		if !d.include {
			continue
		}
		ticked++
		text := strings.TrimSpace(d.text)
		problems, long := draftProblems(i, d, text, j.brief, seen, have, allowLong)
		if long {
			longLimit = j.brief.MaxLength
		}
		if len(problems) > 0 {
			errs[draftKey(i, "text")] = strings.Join(problems, " ")
			refused++
			continue
		}
		seen[chars.Key(text)] = fmt.Sprintf("draft %d", i+1)
		have = append(have, namedCopy{text, fmt.Sprintf("draft %d", i+1)})
		out = append(out, experiments.Variant{
			Text:          text,
			Source:        d.cand.Source,
			Model:         d.cand.Model,
			PromptVersion: d.cand.PromptVersion,
			Angle:         d.cand.Angle,
			Rationale:     d.cand.Rationale,
			Edited:        text != d.cand.Text,
			ApprovedBy:    email,
			CreatedAt:     d.cand.CreatedAt,
		})
	}
	// The summary above the drafts: the room every ticked draft needs,
	// refused or not (each is to be added once fixed), beside the
	// drafts' own problems.
	var summary []string
	switch room := roomFor(e); {
	case ticked == 0:
		summary = append(summary, "Tick at least one draft to add it to the experiment.")
	case ticked > room:
		summary = append(summary, fmt.Sprintf("The experiment has room for %d more %s; untick %d.", room, genPlural(room, "variant", "variants"), ticked-room))
	}
	switch {
	case refused == 1:
		summary = append(summary, "A ticked draft cannot be added yet; see the message below it.")
	case refused > 1:
		summary = append(summary, "Some ticked drafts cannot be added yet; see the messages below them.")
	}
	if len(summary) > 0 {
		errs["drafts"] = strings.Join(summary, " ")
	}
	for i := range j.drafts {
		j.drafts[i].errors = nil
	}
	return out, errs, longLimit
}

// namedCopy is copy a draft must differ from, with its name in a
// sentence: "Variant B", "the current copy in the brief".
type namedCopy struct{ text, label string }

// draftProblems is every reason draft i, its text as edited, cannot be
// added, each a sentence naming it, and whether it is over the brief's
// length (which the box to add long drafts anyway lets through when
// allowLong). A draft being rewritten has only that to say, and copy the
// store refuses (experiments.CopyError: empty, too long to keep,
// invisible characters, markup) only the store's refusal: the brief's
// rules judge the words of a text that can be kept. The brief's rules
// are asked again without each must-say or must-not-say item found, and
// past a line break once said, so that every one it breaks is named,
// not the first alone.
func draftProblems(i int, d *genDraft, text string, b variants.Brief, seen map[string]string, have []namedCopy, allowLong bool) (problems []string, long bool) {
	if d.regenerating {
		return []string{"This draft is being rewritten; wait for it, or untick it."}, false
	}
	if msg := experiments.CopyError(text); msg != "" {
		return []string{msg}, false
	}
	if limit, n := b.MaxLength, chars.Count(text); !allowLong && limit > 0 && n > limit {
		// The words name the box views.draftsApproveForm shows.
		problems = append(problems, fmt.Sprintf("Draft %d is %d characters; the brief asks for at most %d. Shorten it, or tick “Add drafts over %d characters anyway” below.", i+1, n, limit, limit))
		long = true
	}
	if other, dup := seen[chars.Key(text)]; dup {
		problems = append(problems, fmt.Sprintf("This is the same text as %s.", other))
	} else if k := slices.IndexFunc(have, func(h namedCopy) bool { return variants.Similar(h.text, text) }); k >= 0 {
		problems = append(problems, sameCopyMessage(i, text, have[k].text, have[k].label))
	}
	// The brief's own length is checked above, with the box to add a
	// longer draft anyway; the rest of its rules hold for every draft.
	rules := b.Rules()
	rules.MaxLength = variants.MaxMaxLength
	rules.Control = "" // in have, to name it
	rules.MustSay, rules.MustNotSay = slices.Clone(rules.MustSay), slices.Clone(rules.MustNotSay)
	for range len(rules.MustSay) + len(rules.MustNotSay) + 2 {
		err := variants.ValidateCopy(text, rules)
		if err == nil {
			break
		}
		problems = append(problems, briefRuleMessage(i, b, err))
		var ce *variants.CopyError
		if !errors.As(err, &ce) {
			break
		}
		item := func(s string) bool { return s == ce.Item }
		switch {
		case ce.Rule == variants.RuleBanned:
			rules.MustNotSay = slices.DeleteFunc(rules.MustNotSay, item)
		case ce.Rule == variants.RuleMissingMustSay:
			rules.MustSay = slices.DeleteFunc(rules.MustSay, item)
		case ce.Rule == variants.RuleControlChars && !rules.AllowLineBreaks && strings.Contains(ce.Message, "line break"):
			rules.AllowLineBreaks = true
		default:
			return problems, long // a rule the text cannot be read past
		}
	}
	return problems, long
}

// sameCopyMessage says that draft i's text repeats other, the copy
// called label, in all but case, spacing and punctuation or nearly so:
// in an A/B test it would only take traffic from the copy it repeats.
func sameCopyMessage(i int, text, other, label string) string {
	how := "all but the same as"
	if variants.SameWords(text, other) {
		how = "the same as"
	}
	msg := fmt.Sprintf("Draft %d is %s %s (“%s”)", i+1, how, label, clip(other, 60))
	if how == "the same as" {
		msg += " but for case, spacing or punctuation"
	}
	return msg + "; change its words to test something new, or untick it."
}

// briefRuleMessage says which of the brief's rules draft i breaks: err
// is variants.ValidateCopy's, whose sentence speaks of "it".
func briefRuleMessage(i int, b variants.Brief, err error) string {
	draft := fmt.Sprintf("Draft %d", i+1)
	var ce *variants.CopyError
	if !errors.As(err, &ce) {
		return draft + " cannot be added: " + genLowerFirst(err.Error())
	}
	switch {
	case ce.Rule == variants.RuleBanned:
		return fmt.Sprintf("%s uses “%s”, which is on the brief's must-not-say list.", draft, ce.Item)
	case ce.Rule == variants.RuleMissingMustSay:
		return fmt.Sprintf("%s leaves out “%s”, which the brief's must-say list asks every draft to include.", draft, ce.Item)
	case ce.Rule == variants.RuleControlChars && strings.Contains(ce.Message, "line break"):
		return fmt.Sprintf("%s has a line break, which %s cannot show: keep it on one line.", draft, kindPhrase(b.ElementKind))
	}
	return draft + strings.TrimPrefix(ce.Message, "It")
}

// kindPhrase names an element kind in a sentence: "a headline", "an
// element".
func kindPhrase(kind string) string {
	switch {
	case kind == "":
		return "this element"
	case strings.ContainsRune("aeiou", rune(kind[0])):
		return "an " + kind
	}
	return "a " + kind
}

// generateEnter answers the drafts form sent by the Enter key in a
// browser without JavaScript: its hidden first button
// (views.draftsApproveForm). Enter comes from a draft's "Or say what to
// change" box, the form's only one-line fields, but the form does not say
// which; the box typed in since the page was sent does. The form goes on
// to that draft's rewrite, body and all (a 307 keeps the method and the
// body), as if its Rewrite button had been pressed. When the boxes do not
// tell, nothing is rewritten: the edits are kept, and the page says how
// to ask.
func (a *App) generateEnter(c *fiber.Ctx, e experiments.Experiment, j *genJob) error {
	if i, ok := typedNote(c, j); ok {
		return c.Redirect(jobURL(e.ID, j.id)+"/drafts/"+strconv.Itoa(i)+"/regenerate?instruction=custom", http.StatusTemporaryRedirect)
	}
	if over := a.syncDrafts(c, j); len(over) > 0 {
		return a.refuseDraftBoxes(c, e, j, over, -1)
	}
	return a.redirectWithFlash(c, jobPageURL(e.ID, j.id), "error", "To rewrite a draft, say what to change in its box and press its Rewrite button.")
}

// typedNote is the draft whose box the form carries words in that the job
// does not have yet; failing that, the only draft whose box has words, or
// the only draft.
func typedNote(c *fiber.Ctx, j *genJob) (int, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.drafts) == 1 {
		return 0, true
	}
	var typed, filled []int
	for i, d := range j.drafts {
		note := strings.TrimSpace(c.FormValue(draftKey(i, "note")))
		if note == "" {
			continue
		}
		filled = append(filled, i)
		if note != strings.TrimSpace(d.note) {
			typed = append(typed, i)
		}
	}
	switch {
	case len(typed) == 1:
		return typed[0], true
	case len(typed) == 0 && len(filled) == 1:
		return filled[0], true
	}
	return 0, false
}

func labelOf(key string, control bool) string {
	if control {
		return "the original copy"
	}
	return "Variant " + strings.ToUpper(key)
}

// mustBrief is the brief of a form that was already checked.
func mustBrief(f views.BriefForm) variants.Brief {
	b, _ := parseBriefForm(f)
	return b
}

// approvedSentence is the flash message after adding drafts to e. The set
// goes once its drafts are added (markAdded), so the sentence says that
// the other drafts, not added, were not kept: the drafting page, opened
// again, shows the brief alone. A draft saved before its page, element
// or goal was chosen cannot start yet: the sentence says what it needs
// rather than to press Start.
func approvedSentence(e experiments.Experiment, added []experiments.Variant, others int) string {
	keys := make([]string, len(added))
	for i, v := range added {
		keys[i] = strings.ToUpper(v.Key)
	}
	list := strings.Join(keys, ", ")
	if n := len(keys); n > 1 {
		list = strings.Join(keys[:n-1], ", ") + " and " + keys[n-1]
	}
	// Offline drafts are labelled as offline suggestions wherever they
	// appear (Settings says so), in the History line of each too.
	what := genPlural(len(added), "draft", "drafts")
	if !slices.ContainsFunc(added, func(v experiments.Variant) bool { return v.Source != experiments.SourceOffline }) {
		what = genPlural(len(added), "offline suggestion", "offline suggestions")
	}
	s := fmt.Sprintf("Added %d %s to the experiment as %s %s.",
		len(added), what, genPlural(len(added), "variant", "variants"), list)
	if e.Complete() {
		s += " Check the copy, then press Start to show " + genPlural(len(added), "it", "them") + " to visitors."
	} else {
		s += " Check the copy. Before it can start, the experiment still needs its " + unsetWords(e) + "."
	}
	switch {
	case others == 1:
		s += " The other draft was not kept."
	case others > 1:
		s += fmt.Sprintf(" The other %d drafts were not kept.", others)
	}
	return s
}

// draftCount is how many drafts the job has.
func (j *genJob) draftCount() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.drafts)
}
