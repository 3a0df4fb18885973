package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/variants"
	"copylab/views"
)

// maxNoteLen bounds a free-text rewrite request, as the library does, in
// characters as people count them (chars.Count); maxNoteBytes bounds its
// bytes, as every limit in characters has a cap in bytes beside it.
const (
	maxNoteLen   = 300
	maxNoteBytes = chars.BytesEach * maxNoteLen
)

// generateRegenerate answers POST
// /experiments/:id/generate/jobs/:job/drafts/:n/regenerate?instruction=…:
// one draft is rewritten ("shorter", "different angle", "more like this",
// or "custom" with the marketer's words in drafts[n].note) in the
// background, and the others are left as they are. The drafts form comes
// along, so the rewrite avoids the other drafts as edited, and the edits
// are kept. htmx gets the card, which polls until the rewrite is done; a
// browser without it goes back to the job's page.
func (a *App) generateRegenerate(c *fiber.Ctx) error {
	e, j, i, err := a.jobDraft(c)
	if err != nil {
		return a.draftGone(c, err)
	}
	if e.Status != experiments.StatusDraft {
		return a.redirectHX(c, "/experiments/"+e.ID, "error", "This experiment has started, so its copy is fixed.")
	}
	if over := a.syncDrafts(c, j); len(over) > 0 {
		return a.refuseDraftBoxes(c, e, j, over, i)
	}

	instruction := strings.TrimSpace(c.Query("instruction"))
	problem, noteProblem := "", false
	switch instruction {
	case variants.InstructionShorter, variants.InstructionDifferentAngle, variants.InstructionMoreLikeThis:
	case "custom":
		j.mu.Lock()
		instruction = strings.TrimSpace(j.drafts[i].note)
		j.mu.Unlock()
		switch n := chars.Count(instruction); {
		case instruction == "":
			problem = "Say what to change first, such as “mention the free trial”."
		case n > maxNoteLen:
			// The box has no maxlength, which would cut a longer paste
			// without a word: the words are kept and the card says so.
			problem = noteTooLong(n)
		case len(instruction) > maxNoteBytes:
			problem = noteTooManyBytes(len(instruction))
		}
		noteProblem = problem != "" // the card marks the note, and the focus goes there
	default:
		problem = "Choose how to rewrite this draft."
	}
	if problem == "" {
		// A follow-up's rewrite stays clear of the copy the tests
		// before it tried too, as its new drafts do (avoidCopy): the
		// model is told, as tried before rather than as this test's
		// variants, and the library refuses a text too close.
		avoid, err := a.copyToAvoid(c.UserContext(), e)
		if err != nil {
			return err
		}
		err = a.startRegeneration(j, i, experimentTexts(e), avoid.triedTexts(), instruction)
		if errors.Is(err, errJobGone) {
			return a.draftGone(c, err) // added or replaced from another tab meanwhile
		}
		if err != nil {
			problem = failureSentence(err)
		} else {
			j.waitDraft(i, quickWait)
		}
	}
	if problem != "" {
		j.mu.Lock()
		j.drafts[i].message, j.drafts[i].failed, j.drafts[i].noteProblem = problem, true, noteProblem
		j.mu.Unlock()
	}
	if !isHTMX(c) {
		return c.Redirect(jobPageURL(e.ID, j.id)+"#draft-"+c.Params("n"), http.StatusSeeOther)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.DraftCardView(a.cardView(c, e.ID, j, i)))
}

// draftGone answers a request about a draft of a job that is gone: htmx
// is sent to the generation page, which says why (jobGone). When the
// experiment itself is gone, htmx gets experimentGone.
func (a *App) draftGone(c *fiber.Ctx, err error) error {
	if errors.Is(err, errJobGone) && isHTMX(c) {
		gone := a.jobGone(c.Params("job"), c.Params("id"), personOf(sessionOf(c).user))
		return a.redirectHX(c, generateURL(c.Params("id")), "error", gone.Message)
	}
	return a.experimentGone(c, err)
}

// experimentTexts are the experiment's texts a rewrite must differ from
// besides the other drafts (genJob.otherDraftsLocked): its variants (the
// control is in the brief).
func experimentTexts(e experiments.Experiment) []string {
	var out []string
	for _, v := range e.Variants[min(1, len(e.Variants)):] {
		out = append(out, v.Text)
	}
	return out
}

// otherDraftsLocked are the texts of the drafts other than i, as they
// stand now, edits and finished rewrites included. The caller holds j.mu.
func (j *genJob) otherDraftsLocked(i int) []string {
	var out []string
	for k, d := range j.drafts {
		if k != i && strings.TrimSpace(d.text) != "" {
			out = append(out, d.text)
		}
	}
	return out
}

// repeatedDraftLocked is the draft other than i whose text is text, by
// the library's rule for the same copy (variants.Similar), or -1. The
// caller holds j.mu.
func (j *genJob) repeatedDraftLocked(i int, text string) int {
	for k, d := range j.drafts {
		if k != i && strings.TrimSpace(d.text) != "" && variants.Similar(d.text, text) {
			return k
		}
	}
	return -1
}

// syncDrafts copies the drafts form's values (text, include, note) into
// the job, so that what the marketer typed survives a rewrite, a failed
// approve and a reload. Fields missing from the request stay as they are;
// a draft being rewritten keeps its text, and so does one rewritten since
// the page was sent (its drafts[i].rev is older): the form still holds the
// text and note from before the rewrite, which would undo it. The tick is
// always taken: only the person changes it, never a rewrite, so the
// latest form has their latest choice. A text or note longer than a job
// keeps (keptDraftLen, keptDraftBytes) is not taken either, nor cut:
// syncDrafts returns it, and the caller refuses the request with it
// (refuseDraftBoxes).
//
// What changed is kept across a restart at once (genRegistry.keep): the
// drafts form is sent only by a button (a rewrite, Add, a new brief), and
// a new brief's drafts replace these only once they are written, so a
// restart meanwhile would otherwise bring the drafts back as they were
// before the edits the marketer sent with that brief.
func (a *App) syncDrafts(c *fiber.Ctx, j *genJob) []draftBoxTooLong {
	args := c.Request().PostArgs()
	if !args.Has(draftKey(0, "text")) {
		return nil // not the drafts form (an API client, a bare button)
	}
	over, changed := syncDraftsLocked(c, j)
	if changed {
		a.genJobs.keep(j)
	}
	return over
}

// syncDraftsLocked is syncDrafts under j.mu, reporting whether a draft
// changed.
func syncDraftsLocked(c *fiber.Ctx, j *genJob) (over []draftBoxTooLong, changed bool) {
	args := c.Request().PostArgs()
	j.mu.Lock()
	defer j.mu.Unlock()
	for i, d := range j.drafts {
		if !args.Has(draftKey(i, "text")) {
			continue
		}
		include := c.FormValue(draftKey(i, "include")) == "on"
		changed = changed || include != d.include
		d.include = include
		if rev := c.FormValue(draftKey(i, "rev")); rev != "" && rev != strconv.Itoa(d.rev) {
			continue // the page had not shown the rewrite yet
		}
		if !d.regenerating {
			text := strings.TrimSpace(strings.ReplaceAll(c.FormValue(draftKey(i, "text")), "\r\n", "\n"))
			if b, over1 := boxTooLong(i, false, text); over1 {
				over = append(over, b)
			} else {
				changed = changed || text != d.text
				d.text = text
			}
		}
		note := c.FormValue(draftKey(i, "note"))
		if b, over1 := boxTooLong(i, true, note); over1 {
			over = append(over, b)
		} else {
			changed = changed || note != d.note
			d.note = note
		}
	}
	return over, changed
}

// keptDraftLen bounds what a job keeps of a draft's text or note as
// typed, in characters as people count them (chars.Count), and
// keptDraftBytes in bytes: past the longest copy the store takes, the
// text is refused at approve anyway (and says so), and a job is kept for
// an hour in memory. A longer box is refused as it is (syncDrafts), never
// cut: the page would show the cut box again as if it were what was
// typed.
const (
	keptDraftLen   = 2 * experiments.MaxCopyLen
	keptDraftBytes = chars.BytesEach * keptDraftLen
)

// clipChars cuts s to at most n characters (chars.Cut).
func clipChars(s string, n int) string { return chars.Cut(s, n) }

// draftBoxTooLong is a box of the drafts form that brought more than a
// job keeps (keptDraftLen characters or keptDraftBytes bytes): draft i's
// text, or its "Or say what to change" box (note), as typed, with its
// length in characters (n) and in bytes.
type draftBoxTooLong struct {
	i     int
	note  bool
	typed string
	n     int
}

// boxTooLong is draft i's text or note (typed) as a draftBoxTooLong, and
// whether it is more than a job keeps.
func boxTooLong(i int, note bool, typed string) (draftBoxTooLong, bool) {
	b := draftBoxTooLong{i: i, note: note, typed: typed, n: chars.Count(typed)}
	return b, b.n > keptDraftLen || b.bytes() > keptDraftBytes
}

func (b draftBoxTooLong) bytes() int { return len(b.typed) }

// message says beside the box what it is held to: the limit of a rewrite
// request (maxNoteLen, maxNoteBytes) or of a variant's copy
// (experiments.CopyError), which are lower than what a job keeps, and how
// long the box is. The count in characters comes first; a box within it
// was refused for its bytes.
func (b draftBoxTooLong) message() string {
	switch {
	case b.note && b.n > maxNoteLen:
		return noteTooLong(b.n)
	case b.note:
		return noteTooManyBytes(b.bytes())
	case b.n > experiments.MaxCopyLen:
		return fmt.Sprintf("Keep copy to at most %d characters (this is %d).", experiments.MaxCopyLen, b.n)
	}
	return experiments.CopyError(b.typed)
}

// sentence says it away from the box: in the notice beside the button an
// htmx request was sent by.
func (b draftBoxTooLong) sentence() string {
	switch {
	case b.note && b.n > maxNoteLen:
		return fmt.Sprintf("What to change in draft %d is %d characters long: keep the request to at most %d characters. Nothing was done.", b.i+1, b.n, maxNoteLen)
	case b.note:
		return fmt.Sprintf("What to change in draft %d takes %s bytes, and a request can take at most %s: remove the marks stacked on its letters. Nothing was done.",
			b.i+1, formatCount(int64(b.bytes())), formatCount(maxNoteBytes))
	case b.n > experiments.MaxCopyLen:
		return fmt.Sprintf("Draft %d is %d characters long: keep copy to at most %d characters. Nothing was done.", b.i+1, b.n, experiments.MaxCopyLen)
	}
	return fmt.Sprintf("Draft %d takes %s bytes, and copy can take at most %s: remove the marks stacked on its letters. Nothing was done.",
		b.i+1, formatCount(int64(b.bytes())), formatCount(experiments.MaxCopyBytes))
}

// noteTooLong says that a rewrite request of n characters is longer than
// maxNoteLen.
func noteTooLong(n int) string {
	return fmt.Sprintf("Keep the request to at most %d characters (this is %d).", maxNoteLen, n)
}

// noteTooManyBytes says that a rewrite request of n bytes, within
// maxNoteLen characters, is longer than maxNoteBytes: its letters carry
// stacks of marks.
func noteTooManyBytes(n int) string {
	return fmt.Sprintf("A request can take at most %s bytes, and this takes %s: remove the marks stacked on its letters.",
		formatCount(maxNoteBytes), formatCount(int64(n)))
}

// overlay shows the boxes of over that belong to draft card d as typed,
// each marked and described by its message.
func overlay(d *views.DraftCard, over []draftBoxTooLong) {
	for _, b := range over {
		if b.i != d.Index {
			continue
		}
		if b.note {
			d.Note, d.Message, d.Failed, d.NoteInvalid = b.typed, b.message(), true, true
			continue
		}
		d.Text = b.typed
		d.Errors = views.Errors{draftKey(b.i, "text"): b.message()}
	}
}

// refuseDraftBoxes answers a drafts form with boxes longer than a job
// keeps (syncDrafts took the rest), and does nothing else: no rewrite,
// no drafts added, no new brief. The boxes come back with every
// character typed, marked, beside the limit: without a script in the
// job's page itself (422), since a redirect would show the job's boxes,
// which do not hold them; with htmx, in the card of draft card when the
// boxes are its own (htmx swaps only 2xx answers, so 200), else in a 422
// whose sentence the page shows beside the button pressed (app.js),
// which leaves the boxes as typed in the browser.
func (a *App) refuseDraftBoxes(c *fiber.Ctx, e experiments.Experiment, j *genJob, over []draftBoxTooLong, card int) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isHTMX(c) {
		own := card >= 0
		for _, b := range over {
			own = own && b.i == card
		}
		if !own {
			b := over[0]
			field := draftKey(b.i, "text")
			if b.note {
				field = draftKey(b.i, "note")
			}
			return &httpError{Status: http.StatusUnprocessableEntity, Code: "too_long", Field: field, Message: b.sentence()}
		}
		v := a.cardView(c, e.ID, j, card)
		overlay(&v, over)
		return render(c, views.DraftCardView(v))
	}
	site, err := a.store.Site(c.UserContext(), e.SiteID)
	if err != nil {
		return a.experimentGone(c, err)
	}
	p := a.generatePage(c, e, site)
	p.Brief = jobForm(j)
	if c.Request().PostArgs().Has("current_copy") {
		p.Brief = readBriefForm(c) // a new brief came along: as typed
	}
	jv := a.jobView(c, e, j)
	for k := range jv.Drafts {
		overlay(&jv.Drafts[k], over)
	}
	p.Job = &jv
	return a.renderWorkspace(c, p, http.StatusUnprocessableEntity)
}

// syncPolledInclude takes draft i's tick from the poll of its card while
// it is rewritten: the card sends its checkbox along (drafts[i].include
// only when ticked, and drafts[i].include_shown always, to tell an
// untick from a request without the box), so that the card swapped in
// when the rewrite ends keeps the tick the person left, even an untick
// made between two polls.
func syncPolledInclude(c *fiber.Ctx, j *genJob, i int) {
	if c.Query(draftKey(i, "include_shown")) != "1" {
		return
	}
	on := c.Query(draftKey(i, "include")) == "on"
	j.mu.Lock()
	j.drafts[i].include = on
	j.mu.Unlock()
}

func draftKey(i int, name string) string { return "drafts[" + strconv.Itoa(i) + "]." + name }
