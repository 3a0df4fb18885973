package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// quickWait is how long a request that starts a model call waits for it
// before answering with the progress: the offline generator and fast
// models are done by then, and the page skips a round of polling.
const quickWait = 300 * time.Millisecond

// generateStart answers POST /experiments/:id/generate: it checks the
// brief, saves it (and the brand voice, on the site), and starts writing
// the drafts in the background. With htmx it answers the workspace (the
// form and the progress, which then polls); without, it redirects to the
// job's page. An invalid brief comes back with every error beside its
// field, as typed; one whose drafts would replace the marketer's edits
// or ticks comes back with a question (replaceRefusal).
func (a *App) generateStart(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, site, err := a.generationTarget(c)
	if err != nil {
		return a.experimentGone(c, err)
	}
	if e.Status != experiments.StatusDraft {
		return a.redirectHX(c, "/experiments/"+e.ID, "error", "This experiment has started, so its copy is fixed; drafts can be added only to a draft experiment.")
	}
	p := a.generatePage(c, e, site)
	person := personOf(sessionOf(c).user)
	// The drafts on screen come along with the brief (job, and the drafts
	// form's fields): their edits are saved first, so that they are kept
	// as typed while the new brief is written, and after it if it fails.
	prev, hasPrev := a.genJobs.get(c.FormValue("job"), e.ID, person)
	if dj, ok := a.draftsOnPage(c, e.ID, person, prev); ok {
		if over := a.syncDrafts(c, dj); len(over) > 0 {
			return a.refuseDraftBoxes(c, e, dj, over, -1)
		}
	}
	if !hasPrev {
		prev, hasPrev = a.genJobs.latest(e.ID, person)
	}
	// A brief sent back with its errors, or refused by a limit, starts
	// nothing: the workspace it swaps in still shows the current drafts.
	showPrev := func() {
		if hasPrev {
			jv := a.jobView(c, e, prev)
			p.Job = &jv
		}
	}
	f := readBriefForm(c)
	p.Brief = f
	b, own := parseBriefForm(f)
	b.Selector = e.Selector // the element is the experiment's, whatever the form carried
	if fe := checkBrief(b, p.Room); len(fe) > 0 || len(own) > 0 {
		p.Brief.Errors = briefErrors(own, fe)
		showPrev()
		return a.renderWorkspace(c, p, http.StatusUnprocessableEntity)
	}
	// Nor does one whose drafts would replace the marketer's edits or
	// ticks, until they say so: the refusal offers Replace the drafts.
	// Nothing is saved, so the brief and the drafts stay as they were.
	if msg := a.replaceRefusal(c, e.ID, person); msg != "" {
		p.Brief.Errors = views.Errors{"replace": msg}
		showPrev()
		return a.renderWorkspace(c, p, http.StatusConflict)
	}

	// The brand voice belongs to the site: save it there when it changed,
	// so the next brief for any of the site's pages starts with it.
	// Only the voice is written, so that a teammate's edit of the site's
	// other settings since this page was read is kept.
	if b.BrandVoice != site.BrandVoice {
		if err := a.store.SetBrandVoice(ctx, site.ID, b.BrandVoice); err != nil {
			if errs, ok := formErrors(err, nil); ok && errs.Has("brand_voice") {
				p.Brief.Errors = views.Errors{"brand_voice": errs.Get("brand_voice")}
				showPrev()
				return a.renderWorkspace(c, p, http.StatusUnprocessableEntity)
			}
			return err
		}
	}
	if err := a.store.SaveBrief(ctx, e.ID, briefJSON(b)); err != nil {
		return err
	}
	avoid, err := a.copyToAvoid(ctx, e)
	if err != nil {
		return err
	}

	desc := a.gen.Describe()
	j := &genJob{
		id:      newJobID(),
		expID:   e.ID,
		person:  person,
		brief:   b.Normalize(),
		form:    f,
		offline: a.llmInfo().Offline,
		model:   desc.Model,
		started: a.now(),
		state:   jobRunning,
		avoid:   avoid,
	}
	if err := a.startGeneration(j); err != nil {
		// The limits on model calls, the same the API answers with:
		// the person's own (429) or the process's (503).
		var busy *limitError
		if !errors.As(err, &busy) {
			return err
		}
		p.Error = busy.Message
		showPrev()
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ceilSeconds(busy.RetryAfter)))
		return a.renderWorkspace(c, p, busy.Status)
	}
	j.wait(quickWait)

	if !isHTMX(c) {
		return c.Redirect(jobPageURL(e.ID, j.id), http.StatusSeeOther)
	}
	// The address bar gets the job's page, so a reload shows the drafts.
	c.Set("HX-Push-Url", jobPageURL(e.ID, j.id))
	jv := a.jobView(c, e, j)
	p.Job = &jv
	return a.renderWorkspace(c, p, http.StatusOK)
}

// draftsOnPage is the job whose drafts form came along with a brief: the
// one the form names (drafts_job), which below a newer brief's progress
// or failure is the previous drafts' (views' previousDrafts), not shown,
// the job the brief names. A form that names none is shown's, as an
// older page's is; one whose job is gone is nobody's: its fields fit no
// other set of drafts.
func (a *App) draftsOnPage(c *fiber.Ctx, expID string, p genPerson, shown *genJob) (*genJob, bool) {
	id := c.FormValue("drafts_job")
	if id == "" || shown != nil && id == shown.id {
		return shown, shown != nil
	}
	return a.genJobs.get(id, expID, p)
}

// renderWorkspace answers with the brief form and the generation: the
// fragment for htmx, else the whole page. htmx swaps only 2xx answers, so
// a failure's status goes to full pages only; the fragment says it in
// words.
func (a *App) renderWorkspace(c *fiber.Ctx, p views.GeneratePage, status int) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isHTMX(c) {
		return render(c, views.GenerateWorkspace(p))
	}
	c.Status(status)
	return render(c, views.Generate(p))
}

// isHTMX reports whether htmx made the request (and will swap the answer
// into the page) rather than the browser itself.
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && !strings.EqualFold(c.Get("HX-Boosted"), "true")
}

// redirectHX sends the browser to another page with a flash message; an
// htmx request gets an HX-Redirect, which htmx follows with a full load.
func (a *App) redirectHX(c *fiber.Ctx, to, kind, text string) error {
	if !isHTMX(c) {
		return a.redirectWithFlash(c, to, kind, text)
	}
	a.setFlash(c, kind, text)
	c.Set("HX-Redirect", to)
	return c.SendStatus(http.StatusOK)
}
