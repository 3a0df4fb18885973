package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// generateStatus answers GET /experiments/:id/generate/jobs/:job, the
// fragment htmx polls while a generation runs: the progress, then the
// drafts or the failure. A browser without htmx gets the job's page.
func (a *App) generateStatus(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return a.experimentGone(c, err)
	}
	if !isHTMX(c) {
		return c.Redirect(jobPageURL(e.ID, c.Params("job")), http.StatusSeeOther)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := personOf(sessionOf(c).user)
	j, ok := a.genJobs.get(c.Params("job"), e.ID, p)
	if !ok {
		// Polling must end even when the job is gone (expired, replaced,
		// or added from another tab): answer a final state, not a 404
		// htmx ignores. Previous drafts shown below its progress go too:
		// what took their place is on the generation page, where it
		// points.
		v := a.goneJob(c.Params("job"), e.ID, p)
		if c.Query("previous") != "" {
			v.PreviousEnd = views.PreviousReplaced
		}
		return render(c, views.GenerationStatus(v))
	}
	return render(c, views.GenerationStatus(a.polledJobView(c, e, j)))
}

// generateDraft answers GET /experiments/:id/generate/jobs/:job/drafts/:n,
// one draft's card, which htmx polls while the draft is rewritten.
func (a *App) generateDraft(c *fiber.Ctx) error {
	e, j, i, err := a.jobDraft(c)
	if err != nil {
		return a.draftGone(c, err)
	}
	if !isHTMX(c) {
		return c.Redirect(jobPageURL(e.ID, j.id), http.StatusSeeOther)
	}
	syncPolledInclude(c, j, i)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.DraftCardView(a.cardView(c, e.ID, j, i)))
}

// statusStopPolling is htmx's "stop polling" status: it swaps the answer
// as a 200, then polls no more.
const statusStopPolling = 286

// experimentGone answers an htmx request of the drafting page whose
// experiment was deleted (from another tab, by a teammate, with its
// site): the whole workspace becomes a sentence that says so, with a link
// to the list, and 286 ends any poll that asked. Other errors, and
// requests without htmx, go to the error handler (a 404 page).
func (a *App) experimentGone(c *fiber.Ctx, err error) error {
	if !isHTMX(c) || !errors.Is(err, experiments.ErrNotFound) {
		return err
	}
	c.Set("HX-Retarget", "#generate-workspace")
	c.Set("HX-Reswap", "innerHTML")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(statusStopPolling)
	return render(c, views.ExperimentGone())
}

// jobDraft loads the experiment, the job and the draft index of a draft's
// address. A job that is gone or not the user's is not found.
func (a *App) jobDraft(c *fiber.Ctx) (experiments.Experiment, *genJob, int, error) {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return e, nil, 0, err
	}
	j, ok := a.genJobs.get(c.Params("job"), e.ID, personOf(sessionOf(c).user))
	if !ok {
		return e, nil, 0, errJobGone
	}
	i, err := strconv.Atoi(c.Params("n"))
	j.mu.Lock()
	n := len(j.drafts)
	j.mu.Unlock()
	if err != nil || i < 0 || i >= n {
		return e, nil, 0, errNotFound
	}
	return e, j, i, nil
}

var errJobGone = newHTTPError(http.StatusNotFound, "job_gone", jobGoneAfterTTL+"Open the generation page to write new ones.")

// jobGoneText says why a generation's drafts may not be here, then next
// (what to do). The registry answers the same for a job that expired, one
// made before a restart and not kept, one of another person and an id
// that never was one, so that nobody learns another person's job exists;
// the sentence is true of each. Within genJobTTL of this process's start,
// a job it does not know may have been made before the start and not
// kept across it: jobs are kept that long after they were last looked
// at, across restarts too, but not those of a copylab that kept none,
// nor one whose write failed. The start is said as a start: copylab
// cannot tell a first start from a restart. Later, the job may have
// expired.
func (a *App) jobGoneText(next string) string {
	if up := a.now().Sub(a.started); up < genJobTTL {
		ago := "less than a minute ago"
		if m := int(up / time.Minute); m >= 1 {
			ago = itoaMinutes(m) + " ago"
		}
		return "These drafts are not here: they may have been made before copylab started " + ago +
			" and not kept across the restart, or by someone else. " + next
	}
	return jobGoneAfterTTL + next
}

// jobGoneAfterTTL starts jobGoneText's sentence once the process has run
// for genJobTTL.
const jobGoneAfterTTL = "These drafts are not here: they may have expired, as drafts are kept for an hour after they were last opened, or have been made by someone else. "

// goneJob is the status of a job the registry does not keep, swapped in
// place of its progress on a page that still shows it (a tab left open):
// the newer brief's generation is not on that page, so the sentence
// points to the generation page, which shows it.
func (a *App) goneJob(id, expID string, p genPerson) views.GenerateJob {
	code, msg := errJobGone.Code, a.jobGoneText("Open the generation page to write new ones.")
	if added, ok := a.genJobs.addedSentence(id, expID, p); ok {
		// The person's own drafts, added from this tab or another: they
		// were here, and the sentence says where they went.
		msg = "These drafts are no longer here. " + added + " Open the generation page to write new ones."
	} else if replaced, hadDrafts := a.genJobs.wasReplaced(id, expID, p); replaced {
		see := "Open the generation page to see it."
		if hadDrafts {
			see = "Open the generation page to see them."
		}
		code, msg = "job_replaced", replacedText(hadDrafts, see)
	}
	return views.GenerateJob{State: views.JobFailed, ErrorCode: code, Error: msg}
}

// jobGone is the answer about a job the registry does not keep, for the
// person, when they pressed a button of its drafts (Add, a rewrite):
// replaced by their newer brief (job_replaced), or gone for the reason
// jobGoneText gives (job_gone, as errJobGone). A job whose drafts were
// added is answered before (addedSentence).
//
// The answer sends them to the generation page (generateURL), where the
// message shows above the brief and the person's latest generation, so
// it says what is there: the newer brief's drafts, below, rather than
// "open the generation page" to someone looking at it. It also says
// that nothing of the old drafts was added: the press that brought them
// here may have been Add.
func (a *App) jobGone(id, expID string, p genPerson) *httpError {
	replaced, hadDrafts := a.genJobs.wasReplaced(id, expID, p)
	if !replaced {
		return newHTTPError(errJobGone.Status, errJobGone.Code, a.jobGoneText("Your brief is kept: write new ones below."))
	}
	var next string
	_, shown := a.genJobs.latest(expID, p)
	switch {
	case shown && hadDrafts:
		next = "They are below; nothing from the old drafts was added to the experiment."
	case shown:
		next = "It is below."
	case hadDrafts:
		// The newer drafts were added or expired since.
		next = "Nothing from the old drafts was added to the experiment. Your brief is kept: write new ones below."
	default:
		next = "Your brief is kept: write new ones below."
	}
	return newHTTPError(http.StatusNotFound, "job_replaced", replacedText(hadDrafts, next))
}

// replacedText says that the person's newer brief took the place of a
// job, of its drafts when it had some, then next (what to do).
func replacedText(hadDrafts bool, next string) string {
	if hadDrafts {
		return "These drafts were replaced by the drafts of your newer brief. " + next
	}
	return "You sent a newer brief, which took the place of this one. " + next
}
