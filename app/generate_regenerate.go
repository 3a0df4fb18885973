package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// maxNoteLen bounds a free-text rewrite request, as the library does.
const maxNoteLen = 300

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
	a.syncDrafts(c, j)

	instruction := strings.TrimSpace(c.Query("instruction"))
	problem, noteProblem := "", false
	switch instruction {
	case variants.InstructionShorter, variants.InstructionDifferentAngle, variants.InstructionMoreLikeThis:
	case "custom":
		j.mu.Lock()
		instruction = strings.TrimSpace(j.drafts[i].note)
		j.mu.Unlock()
		switch {
		case instruction == "":
			problem = "Say what to change first, such as “mention the free trial”."
		case utf8.RuneCountInString(instruction) > maxNoteLen:
			// The box has no maxlength, which would cut a longer paste
			// without a word: the words are kept and the card says so.
			problem = fmt.Sprintf("Keep the request to at most %d characters (this is %d).", maxNoteLen, utf8.RuneCountInString(instruction))
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
// latest form has their latest choice.
func (a *App) syncDrafts(c *fiber.Ctx, j *genJob) {
	args := c.Request().PostArgs()
	if !args.Has(draftKey(0, "text")) {
		return // not the drafts form (an API client, a bare button)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for i, d := range j.drafts {
		if !args.Has(draftKey(i, "text")) {
			continue
		}
		d.include = c.FormValue(draftKey(i, "include")) == "on"
		if rev := c.FormValue(draftKey(i, "rev")); rev != "" && rev != strconv.Itoa(d.rev) {
			continue // the page had not shown the rewrite yet
		}
		if !d.regenerating {
			d.text = clipRunes(strings.TrimSpace(strings.ReplaceAll(c.FormValue(draftKey(i, "text")), "\r\n", "\n")), keptDraftRunes)
		}
		d.note = clipRunes(c.FormValue(draftKey(i, "note")), keptDraftRunes)
	}
}

// keptDraftRunes bounds what a job keeps of a draft's text or note as
// typed: past the longest copy the store takes, the text is refused at
// approve anyway (and says so), and a job is kept for an hour in memory.
const keptDraftRunes = 2 * experiments.MaxCopyLen

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
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
