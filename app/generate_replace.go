package app

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// A new brief's drafts take the place of the person's latest set for the
// experiment (genRegistry.supersede), hand edits and ticks included. The
// page asks before that happens (generate.js puts the question on the
// brief's button, app.js asks it), and the server refuses a brief that
// would replace edits or ticks unless it says replace=1: the question's
// answer, or the Replace the drafts button of the refusal. That also
// holds without JavaScript, where the brief form cannot carry the drafts
// below it, and for a brief from a page that does not show the drafts at
// all (a failed brief's Try again, a restart's Write drafts again), which
// asks whatever the server knows of them: the drafts a failed brief did
// not replace stay as the marketer left them, theirs again, and their
// latest edits may be in the browser only.

// draftStake is what a set of drafts holds of the marketer's work: the
// drafts they changed (edited by hand, or rewritten with a draft's
// buttons), the drafts whose rewrite they asked for and is still running
// (a new brief stops it: genRegistry.admit), and the drafts they ticked
// themselves, beyond those a set starts with (defaultTicked). The ticks a
// set starts with are not theirs, and unticking is not counted: a new set
// starts with its own ticks anyway.
type draftStake struct {
	drafts    int
	edited    int // drafts whose text the marketer changed or had rewritten
	rewriting int // drafts being rewritten, counted here and not as edited
	ticked    int // drafts ticked that the set did not start with ticked
}

// stakeOf is the stake of j's drafts as last saved.
func stakeOf(j *genJob) draftStake {
	j.mu.Lock()
	defer j.mu.Unlock()
	s := draftStake{drafts: len(j.drafts)}
	for i, d := range j.drafts {
		// As the page marks a draft edited (views.DraftCard.Edited, and
		// generate.js, which trims): the text differs from the one
		// written. A finished rewrite (rev) is work of theirs as much,
		// though its text is the one written, by the rewrite. A draft
		// being rewritten is counted as that: the rewrite takes the
		// place of its text anyway.
		switch {
		case d.regenerating:
			s.rewriting++
		case d.rev > 0 || strings.TrimSpace(d.text) != strings.TrimSpace(d.cand.Text):
			s.edited++
		}
		if d.include && i >= defaultTicked {
			s.ticked++
		}
	}
	return s
}

// replacedDrafts is j's drafts as a page that does not show them says
// what the server knows of them (views.ReplacedDrafts), by the rules of
// stakeOf: generate.js adds what the browser keeps of their edits.
func replacedDrafts(j *genJob) *views.ReplacedDrafts {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := &views.ReplacedDrafts{Job: j.id, Drafts: make([]views.ReplacedDraft, 0, len(j.drafts))}
	for _, d := range j.drafts {
		r.Drafts = append(r.Drafts, views.ReplacedDraft{Rev: d.rev, Original: d.cand.Text,
			Edited: strings.TrimSpace(d.text) != strings.TrimSpace(d.cand.Text), Include: d.include, Rewriting: d.regenerating})
	}
	return r
}

// lost reports whether replacing the drafts loses the marketer's work:
// an edit or a rewrite, done or running, or a tick of their own.
func (s draftStake) lost() bool { return s.edited > 0 || s.rewriting > 0 || s.ticked > 0 }

// sentence names what replacing the drafts loses, in the words of
// generate.js's question (lossText there; change both together): "Your
// edits to 2 drafts and your tick on 1 draft will be replaced. 1 draft is
// still being rewritten, and its rewrite will be lost."
func (s draftStake) sentence() string {
	out := s.replaced()
	if s.rewriting > 0 {
		rewriting := strconv.Itoa(s.rewriting) + genPlural(s.rewriting,
			" draft is still being rewritten, and its rewrite will be lost.",
			" drafts are still being rewritten, and their rewrites will be lost.")
		out = strings.TrimSpace(out + " " + rewriting)
	}
	return out
}

// replaced is the sentence's first part: the edits and ticks that the
// new drafts replace, "" when there are none.
func (s draftStake) replaced() string {
	var parts []string
	if s.edited > 0 {
		parts = append(parts, "edits to "+strconv.Itoa(s.edited)+" "+genPlural(s.edited, "draft", "drafts"))
	}
	if s.ticked > 0 {
		tick := genPlural(s.ticked, "tick on ", "ticks on ") + strconv.Itoa(s.ticked) + " " + genPlural(s.ticked, "draft", "drafts")
		if len(parts) > 0 {
			tick = "your " + tick
		}
		parts = append(parts, tick)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Your " + strings.Join(parts, " and ") + " will be replaced."
}

// replaceThen is how the refusal ends: what to do about it.
const replaceThen = " To keep them, add them to the experiment first; to write new drafts anyway, press Replace the drafts."

// replaceRefusal is why a new brief starts nothing yet, or "" when it
// may go ahead: it does not say replace=1, and the person's drafts it
// would replace are not known to hold nothing of theirs. They are known
// only when the brief brought their form along (carriesDrafts: its page
// shows them, with JavaScript), saved first (syncDrafts): then it is
// refused only if they hold edits or ticks. From a page that shows them
// without their fields (a browser without JavaScript: the drafts' page,
// or a newer brief's progress with the drafts below it), the page may
// hold edits the server has not seen. From a page that does not show
// them at all (a newer brief's failure or Try again, a restart's Write
// drafts again, a page opened before the drafts were written), the
// browser may hold them, or another tab, and a restart may have taken
// what the server had: the brief asks, edits or not.
func (a *App) replaceRefusal(c *fiber.Ctx, expID string, p genPerson) string {
	if c.FormValue("replace") == "1" {
		return ""
	}
	j, ok := a.genJobs.previous(expID, p)
	if !ok {
		return ""
	}
	s := stakeOf(j)
	switch {
	case a.carriesDrafts(c, expID, p, j):
		if s.lost() {
			return s.sentence() + replaceThen
		}
		return ""
	case a.showsBelow(c.FormValue("job"), expID, p, j):
		if s.lost() {
			return s.sentence() + replaceThen
		}
		return "New drafts replace the " + strconv.Itoa(s.drafts) + " " + genPlural(s.drafts, "draft", "drafts") +
			" below, with any edits and ticks you made to them." + replaceThen
	}
	return s.unseen() + replaceThen
}

// unseen is the question before a brief replaces the drafts from a page
// that does not show them: "New drafts replace the 5 drafts of your
// previous brief, with any edits you made to them.", or, when the server
// knows of some, naming them. generate.js asks it in words of its own
// (replacesQuestion there), adding what the browser keeps of the drafts.
func (s draftStake) unseen() string {
	set := "New drafts replace the " + strconv.Itoa(s.drafts) + " " + genPlural(s.drafts, "draft", "drafts") + " of your previous brief"
	if s.lost() {
		return set + ". " + s.sentence()
	}
	return set + ", with any edits you made to them."
}

// carriesDrafts reports whether a brief brought j's drafts form along
// (hx-include): the form its page shows them in, on their own page, or
// below a newer brief's progress or failure (draftsOnPage).
func (a *App) carriesDrafts(c *fiber.Ctx, expID string, p genPerson, j *genJob) bool {
	if !c.Request().PostArgs().Has(draftKey(0, "text")) {
		return false
	}
	shown, _ := a.genJobs.get(c.FormValue("job"), expID, p)
	dj, ok := a.draftsOnPage(c, expID, p, shown)
	return ok && dj == j
}

// showsBelow reports whether the page of the job with the id, the one a
// brief came from, shows the drafts of j: j's own page, or the progress
// of a newer brief, with j's drafts below it (jobView).
func (a *App) showsBelow(id, expID string, p genPerson, j *genJob) bool {
	if id == j.id {
		return true
	}
	shown, ok := a.genJobs.get(id, expID, p)
	if !ok || shown.seq < j.seq {
		return false
	}
	shown.mu.Lock()
	running := shown.state == jobRunning
	shown.mu.Unlock()
	return running
}

// previous is the person's newest set of drafts for the experiment, the
// one a new brief's drafts replace (admit keeps it until then), if any.
func (r *genRegistry) previous(expID string, p genPerson) (*genJob, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.previousLocked(expID, p)
	return j, j != nil
}
