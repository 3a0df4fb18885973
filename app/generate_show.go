package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/variants"
	"copylab/views"
)

// generateShow answers GET /experiments/:id/generate[?job=ID]: the brief
// form, filled in from the brief saved with the experiment (without one,
// from what the site's latest brief says of the site: startFromSite), the
// control's text and the site's brand voice; with a job, its progress or
// drafts.
// Without one, the user's latest generation for the experiment shows, if
// it is still kept.
func (a *App) generateShow(c *fiber.Ctx) error {
	e, site, err := a.generationTarget(c)
	if err != nil {
		return err
	}
	p := a.generatePage(c, e, site)
	b := briefFor(e, site)
	from := ""
	if !p.Locked {
		if from, err = a.startFromSite(c.UserContext(), e, &b); err != nil {
			return err
		}
	}
	p.Brief = briefForm(b)
	if p.Brief.Goal == "" {
		p.Brief.Goal = briefGoal(e.Goal)
	}
	person := personOf(sessionOf(c).user)
	show := func(j *genJob) {
		jv := a.jobView(c, e, j)
		p.Job = &jv
		p.Brief = jobForm(j)
	}
	if id := c.Query("job"); id != "" {
		if j, ok := a.genJobs.get(id, e.ID, person); ok {
			if n, ok := a.runningOver(j); ok {
				// Back, or a reload of a page left open, while a newer
				// brief of theirs is written: its progress, with these
				// drafts below it (jobView), which its drafts will replace,
				// rather than these alone as if nothing were coming.
				show(n)
			} else {
				show(j)
			}
		} else if added, ok := a.genJobs.addedSentence(id, e.ID, person); ok {
			p.Added = added
		} else if replaced, hadDrafts := a.genJobs.wasReplaced(id, e.ID, person); replaced {
			// The browser's Back, or a tab left open: the newer brief's
			// generation is what the person is after.
			if j, ok := a.genJobs.latest(e.ID, person); ok {
				show(j)
				below := "It is below."
				if hadDrafts {
					below = "They are below."
				}
				p.Error = replacedText(hadDrafts, below)
			} else {
				p.Error = replacedText(hadDrafts, "Your brief is kept: write new ones below.")
			}
		} else {
			p.Error = a.jobGoneText("Your brief is kept: write new ones below.")
		}
	} else if j, ok := a.genJobs.latest(e.ID, person); ok {
		// The page opened again from the experiment (the marketer left
		// while the drafts were written, as the progress says they may):
		// the latest generation is still theirs to finish.
		show(j)
	}
	if from != "" && p.Job == nil {
		p.Flash = withNote(p.Flash, "Started from the brief of ‘"+from+"’ on this site; change anything.")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Generate(p))
}

// startFromSite fills in what a brief says of the whole site from the
// brief saved most recently with another experiment of e's site, when e
// has no brief of its own: the product, audience, tone, language, banned
// words and length limit, so that a marketer does not type the site's
// banned words again for each test. What belongs to e stays e's: its
// current copy and goal, its element, and what its copy must say. It
// returns the name of the experiment the brief came from, or "" when
// nothing came.
func (a *App) startFromSite(ctx context.Context, e experiments.Experiment, b *variants.Brief) (string, error) {
	if !briefEmpty(savedBrief(e)) {
		return "", nil
	}
	sb, ok, err := a.store.LatestSiteBrief(ctx, e.SiteID, e.ID)
	if err != nil || !ok {
		return "", err
	}
	src := savedBrief(experiments.Experiment{Brief: sb.Brief})
	if src.Product == "" && src.Audience == "" && src.Tone == "" && src.Language == "" &&
		len(src.MustNotSay) == 0 && src.MaxLength <= 0 {
		return "", nil
	}
	b.Product, b.Audience, b.Tone, b.Language = src.Product, src.Audience, src.Tone, src.Language
	b.MustNotSay, b.MaxLength = src.MustNotSay, max(src.MaxLength, 0)
	return sb.ExperimentName, nil
}

// briefEmpty reports whether a saved brief says nothing: the experiment
// has none of its own.
func briefEmpty(b variants.Brief) bool {
	return b.Product == "" && b.Audience == "" && b.Goal == "" && b.CurrentCopy == "" && b.ElementKind == "" &&
		b.Tone == "" && b.Language == "" && len(b.MustSay) == 0 && len(b.MustNotSay) == 0 && b.MaxLength == 0 &&
		b.BrandVoice == "" && b.N == 0
}

// withNote adds a sentence to the page's notice: after the one an action
// left ("Draft saved. …"), or alone. A failure's notice stays as it is,
// not mixed with news.
func withNote(f views.Flash, note string) views.Flash {
	switch {
	case f.Text == "":
		return views.Flash{Kind: "ok", Text: note}
	case f.Kind == "error":
		return f
	}
	f.Text += " " + note
	return f
}

// generationTarget loads the experiment of the request and its site.
func (a *App) generationTarget(c *fiber.Ctx) (experiments.Experiment, experiments.Site, error) {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return e, experiments.Site{}, err
	}
	site, err := a.store.Site(ctx, e.SiteID)
	return e, site, err
}

// generatePage is the frame of the generation page, without the brief.
func (a *App) generatePage(c *fiber.Ctx, e experiments.Experiment, site experiments.Site) views.GeneratePage {
	p := views.GeneratePage{
		Page:      a.page(c, views.NavExperiments),
		ID:        e.ID,
		Name:      e.Name,
		SiteName:  site.Name,
		Status:    string(e.Status),
		Locked:    e.Status != experiments.StatusDraft,
		Room:      roomFor(e),
		Existing:  max(len(e.Variants)-1, 0),
		PostURL:   generateURL(e.ID),
		ScriptURL: a.assets.url("js/generate.js"),
		StyleURL:  a.assets.url("css/generate.css"),
		Help:      briefHelp(),
		LLM:       a.llmInfo(),
	}
	p.Title = "Draft copy: " + e.Name
	return p
}

func generateURL(expID string) string { return "/experiments/" + expID + "/generate" }

func jobURL(expID, jobID string) string { return generateURL(expID) + "/jobs/" + jobID }

func jobPageURL(expID, jobID string) string { return generateURL(expID) + "?job=" + jobID }

// jobForm is the brief form of a job, as it was typed.
func jobForm(j *genJob) views.BriefForm {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.form
}

// jobView is a job as the page shows it. Errors of the approve form come
// separately (approveErrors).
//
// A running brief comes with the drafts it will replace (Previous),
// which the registry keeps until its drafts are there: the page shows
// them below the progress, labelled, and the progress's poll carries
// their id (previousPollURL), so that its last answer says what became
// of them (polledJobView). The registry's lock comes before j.mu
// (genRegistry), so it is asked for after jobViewOf let go of j.mu.
func (a *App) jobView(c *fiber.Ctx, e experiments.Experiment, j *genJob) views.GenerateJob {
	v := a.jobViewOf(c, e, j)
	a.endedView(e, j, &v)
	if v.State == jobRunning {
		if p, ok := a.genJobs.previousOf(j); ok {
			pv := a.jobViewOf(c, e, p)
			v.Previous = &pv
			v.StatusURL = previousPollURL(v.StatusURL, p.id)
		}
	}
	return v
}

// polledJobView is j as its progress's poll answers it. It asks the
// registry nothing while j runs (a poll a second would queue behind its
// lock), and keeps the id of the previous drafts the page shows below
// the progress (the poll's ?previous=) for the next poll. Once j is
// done, it says what became of those drafts (PreviousEnd): they go when
// j's drafts took their place, or when they are gone otherwise (added
// from another tab, or j was itself replaced by a newer brief, whose
// page is where they now show); else they stay, and say why, and the
// failure's way back to them (PreviousURL) is not offered: they are
// right below.
func (a *App) polledJobView(c *fiber.Ctx, e experiments.Experiment, j *genJob) views.GenerateJob {
	v := a.jobViewOf(c, e, j)
	prev := c.Query("previous")
	if v.State == jobRunning {
		if prev != "" {
			v.StatusURL = previousPollURL(v.StatusURL, prev)
		}
		return v
	}
	a.endedView(e, j, &v)
	if prev == "" {
		return v
	}
	_, kept := a.genJobs.get(prev, e.ID, j.person)
	if !kept || v.State == jobDone && len(v.Drafts) > 0 || v.ErrorCode == "job_replaced" {
		// j's drafts replace them (supersede, which may not have run
		// yet when this poll came), or they are gone.
		v.PreviousEnd = views.PreviousReplaced
	} else {
		v.PreviousEnd, v.PreviousURL, v.Replaces = views.PreviousKept, "", nil
	}
	return v
}

// endedView adds to the view v of j, once j is done, the way back to the
// drafts it did not replace: a brief that failed, or that ended with no
// draft to show (each one repeated copy the experiment has), replaced
// nothing (genRegistry.supersede), and offers them, also when "Draft
// copy with AI" opens it as the latest.
func (a *App) endedView(e experiments.Experiment, j *genJob, v *views.GenerateJob) {
	if v.State == jobFailed || v.State == jobDone && len(v.Drafts) == 0 {
		v.PreviousURL, v.Replaces = a.previousDrafts(e.ID, j)
	}
}

// previousPollURL is the progress's poll address statusURL, saying that
// the page shows the drafts of the job prevID below the progress.
func previousPollURL(statusURL, prevID string) string {
	return statusURL + "?previous=" + url.QueryEscape(prevID)
}

// runningOver is the person's newer brief being written over j, when j
// holds the drafts that brief's will replace (previousOf).
func (a *App) runningOver(j *genJob) (*genJob, bool) {
	n, ok := a.genJobs.latest(j.expID, j.person)
	if !ok || n == j {
		return nil, false
	}
	n.mu.Lock()
	running := n.state == jobRunning
	n.mu.Unlock()
	if !running {
		return nil, false
	}
	if p, ok := a.genJobs.previousOf(n); !ok || p != j {
		return nil, false
	}
	return n, true
}

// jobViewOf is jobView without the way back to earlier drafts.
func (a *App) jobViewOf(c *fiber.Ctx, e experiments.Experiment, j *genJob) views.GenerateJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := views.GenerateJob{
		ID:          j.id,
		State:       j.state,
		Progress:    progressText(j.brief.N, j.offline, j.model),
		StatusURL:   jobURL(e.ID, j.id),
		PageURL:     jobPageURL(e.ID, j.id),
		ApproveURL:  jobURL(e.ID, j.id) + "/approve",
		Offline:     j.offline,
		Model:       j.answeredBy,
		Started:     j.started,
		Elapsed:     max(a.now().Sub(j.started), 0),
		Limit:       a.genJobLimit(),
		AnswerLimit: a.gen.Describe().Timeout,
		CustomSplit: customSplit(e), // experiment_transition.go
		Notes:       j.notes,
		Room:        roomFor(e),
		Existing:    max(len(e.Variants)-1, 0),
	}
	// The brief left the element to guess: the page says what the guess
	// was (j.brief is normalized, with the kind guessed), since it sets
	// the drafts' length limit.
	if strings.TrimSpace(j.form.ElementKind) == "" {
		v.GuessedKind = j.brief.ElementKind
	}
	if s := sessionOf(c); s != nil {
		v.CSRF = s.csrf
	}
	if v.Model == "" {
		v.Model = j.model
	}
	a.retryProgressLocked(j, &v)
	for _, d := range j.dropped {
		v.Dropped = append(v.Dropped, views.DroppedDraft{Text: d.Text, Reason: d.Reason})
	}
	if j.err != nil {
		v.Error, v.ErrorCode, v.RetryAfter = failureParts(j.err)
		v.TryAgainLeft = tryAgainLeft(v.RetryAfter, j.ended, a.now())
		v.WaitOver = v.RetryAfter > 0 && v.TryAgainLeft <= 0
	}
	now := a.now()
	for i := range j.drafts {
		v.Drafts = append(v.Drafts, cardViewLocked(e.ID, j, i, v.CSRF, now))
	}
	return v
}

// previousDraftsURL is the page of the drafts j's brief has not replaced,
// or "": a failed new brief leaves them as they were, and the failure
// offers the way back to them. The caller must not hold j.mu.
func (a *App) previousDraftsURL(expID string, j *genJob) string {
	u, _ := a.previousDrafts(expID, j)
	return u
}

// previousDrafts is previousDraftsURL, with what the server knows of
// those drafts (replacedDrafts), or nil.
func (a *App) previousDrafts(expID string, j *genJob) (string, *views.ReplacedDrafts) {
	if p, ok := a.genJobs.previousOf(j); ok {
		return jobPageURL(expID, p.id), replacedDrafts(p)
	}
	return "", nil
}

// failureParts is what the page says of a failed generation: the
// sentence, the code, and how long the model service asked to wait.
func failureParts(err error) (msg, code string, retryAfter int) {
	msg = failureSentence(err)
	if errors.Is(err, errGenReplaced) {
		return msg, "job_replaced", 0
	}
	if ve, ok := asLLMError(err); ok {
		code = ve.Code
		if ve.Code == variants.CodeRateLimited && ve.RetryAfter > 0 {
			retryAfter = retryAfterSeconds(ve)
		}
	}
	return msg, code, retryAfter
}

// tryAgainLeft is what is left at now of the wait of retryAfter seconds
// a failure that ended at ended asked for (failureParts), or 0. The
// generator refuses a set of drafts until the wait is over (variants'
// askAfter), counted from the same moment, so the failure's Try again
// waits it out on the page. A job restored after a restart has no end
// time: the new process keeps no wait, and there is none to show.
func tryAgainLeft(retryAfter int, ended, now time.Time) time.Duration {
	if retryAfter <= 0 || ended.IsZero() {
		return 0
	}
	return max(ended.Add(time.Duration(retryAfter)*time.Second).Sub(now), 0)
}

// cardView is draft i of a job as a card.
func (a *App) cardView(c *fiber.Ctx, expID string, j *genJob, i int) views.DraftCard {
	csrf := ""
	if s := sessionOf(c); s != nil {
		csrf = s.csrf
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return cardViewLocked(expID, j, i, csrf, a.now())
}

// cardViewLocked is cardView for a caller that holds j.mu. now is the
// time on copylab's clock (App.now), which a rewrite's wait to ask the
// model again was noted by.
func cardViewLocked(expID string, j *genJob, i int, csrf string, now time.Time) views.DraftCard {
	d := j.drafts[i]
	base := jobURL(expID, j.id) + "/drafts/" + strconv.Itoa(i)
	c := views.DraftCard{
		Index:         i,
		Text:          d.text,
		Original:      d.cand.Text,
		Angle:         d.cand.Angle,
		Rationale:     d.cand.Rationale,
		Source:        d.cand.Source,
		Model:         d.cand.Model,
		PromptVersion: d.cand.PromptVersion,
		Created:       d.cand.CreatedAt,
		MaxLength:     j.brief.MaxLength,
		Include:       d.include,
		Regenerating:  d.regenerating,
		Rev:           d.rev,
		Instruction:   d.instruction,
		Note:          d.note,
		Message:       d.message,
		Failed:        d.failed,
		NoteInvalid:   d.noteProblem,
		URL:           base,
		RegenerateURL: base + "/regenerate",
		CSRF:          csrf,
		Errors:        d.errors,
		Offline:       j.offline,
	}
	if why, left, ok := retryWait(d.retry, d.retryAt, now); ok && d.regenerating {
		c.RetryWhy, c.RetryLeft, c.RetryTry = why, left, d.retry.Try
	}
	return c
}

// briefGoal starts the brief's goal, when no brief has said one yet,
// from the experiment's goal in the words its page uses ("A click on
// #signup"): what counts is known, what it means to the visitor is not,
// so nothing is made up. A goal too long for the field is left out.
func briefGoal(g experiments.Goal) string {
	if g.Value() == "" {
		return ""
	}
	// The experiment page's goalSentence, without its pointer to the
	// snippet's API, which means nothing to a model.
	s := goalSentence(g)
	if g.Type == experiments.GoalEvent {
		s = `the custom event "` + g.Name + `"`
	}
	if chars.Count(s) > maxBriefGoalLen {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// maxBriefGoalLen is the longest goal the brief takes, in characters
// (variants' maxShortField).
const maxBriefGoalLen = 300

// noteRetry is the generation's notice of a model call it waits to make
// again (variants.WithRetryNotice), kept for the progress.
func (a *App) noteRetry(j *genJob) func(variants.Retry) {
	return func(r variants.Retry) {
		j.mu.Lock()
		j.retry, j.retryAt = r, a.now()
		j.mu.Unlock()
	}
}

// retryProgressLocked adds to the progress v of j the wait to ask the
// model service again, while copylab waits: without it the page says
// only "Writing 5 drafts…" through waits the service asked for. The page
// counts the wait left down (generate.js); the wait as it was asked and
// the try it is for key the poll (views.GenerateJob.PollKey), so the page
// redraws the progress only when a wait starts and ends. The caller
// holds j.mu.
func (a *App) retryProgressLocked(j *genJob, v *views.GenerateJob) {
	why, left, ok := retryWait(j.retry, j.retryAt, a.now())
	if j.state != jobRunning || !ok {
		return
	}
	v.RetryWhy, v.RetryLeft, v.RetryWait, v.RetryTry = why, left, j.retry.Wait, j.retry.Try
}

// progressText is the line shown while a generation runs.
func progressText(n int, offline bool, model string) string {
	if offline {
		return fmt.Sprintf("Writing %d offline %s…", n, genPlural(n, "suggestion", "suggestions"))
	}
	return fmt.Sprintf("Writing %d %s with %s…", n, genPlural(n, "draft", "drafts"), model)
}
