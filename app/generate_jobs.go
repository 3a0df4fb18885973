package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// Generations started from the browser run in the background, so that no
// request waits for a model: the POST starts a job and the page polls its
// status. Jobs live in memory, and are kept in the database too as they
// change (keepOp), so that a restart brings back the drafts written and
// says of those it cut off that they were lost, offering their brief
// again (loadDraftJobs). A job keeps its drafts until they are added to
// the experiment, it expires, or a newer brief's drafts take their place
// (genRegistry.supersede): a newer brief that fails, or is still being
// written, leaves them as they were.
const (
	// genJobTTL is how long a job is kept after it was last looked at.
	genJobTTL = time.Hour
	// genJobMax bounds the jobs kept at once; the oldest finished ones go
	// first when it is reached.
	genJobMax = 200
	// genRunningMax bounds the model calls (generations and rewrites,
	// from the drafting page and the API) in flight at once in this
	// process.
	genRunningMax = 8
	// genPersonMax bounds the model calls one person has in flight at
	// once, generations and rewrites together, from the drafting page
	// and the API: a few rewrite buttons pressed in a row, or a set of
	// drafts and a couple of rewrites, are fine, but one person must not
	// hold most of genRunningMax. Three leaves five for everyone else, so
	// two people at their most still leave room for a third.
	genPersonMax = 3
	// genJobTimeout bounds one generation, including the library's
	// retries and its follow-up request for missing drafts, unless a long
	// --llm-timeout asks for more (genJobLimit).
	genJobTimeout = 3 * time.Minute
	// regenTimeout bounds one rewrite, likewise (regenLimit).
	regenTimeout = 2 * time.Minute
	// genUserMax bounds, within genPersonMax, the generations one person
	// has in flight at once, from the drafting page and the API
	// together. Two covers drafting two experiments side by side (two
	// tabs, or a script and a tab); a third at once is a script fanning
	// out over many draft experiments. A new brief for the same
	// experiment replaces the page's running generation, so sending one
	// again does not count twice.
	genUserMax = 2
)

// limitError is a refusal by one of the limits on model calls, given
// before any call: the answer, and the limit that gave it, which
// copylab_llm_refused_total counts it by.
type limitError struct {
	*httpError
	reason string // refusedPersonGenerations, refusedPersonCalls or refusedServerBusy
}

func (e *limitError) Unwrap() error { return e.httpError }

// The limits, as copylab_llm_refused_total names them.
const (
	refusedPersonGenerations = "person_generations" // genUserMax
	refusedPersonCalls       = "person_calls"       // genPersonMax
	refusedServerBusy        = "server_busy"        // genRunningMax
)

// errGenBusy is the answer when every one of the process's genRunningMax
// slots is taken: the server is busy, not the asker at fault, hence 503.
var errGenBusy = &limitError{reason: refusedServerBusy, httpError: &httpError{Status: http.StatusServiceUnavailable,
	Code: "generation_busy", RetryAfter: time.Minute,
	Message: "copylab is already writing several sets of drafts; try again in a minute."}}

// errGensBusy is the answer when the person already has genUserMax
// generations in flight: they are asking too often, hence 429. Their
// own generations take from seconds to a minute or two.
var errGensBusy = &limitError{reason: refusedPersonGenerations, httpError: &httpError{Status: http.StatusTooManyRequests,
	Code: "too_many_generations", RetryAfter: 30 * time.Second,
	Message: fmt.Sprintf("You already have %d sets of drafts being written; wait for one to finish, then try again.", genUserMax)}}

// errGenReplaced ends a generation when the same person sends a new brief
// for the same experiment before it is done: the page shows only the
// newest, so the older model call would cost money and a slot for
// nothing. It also ends a job whose drafts a newer brief's replaced.
var errGenReplaced = errors.New("a newer brief replaced this generation")

// errRewriteStopped ends the rewrites of the drafts a new brief may
// replace: the person has moved on to the new brief, and those calls
// would hold a slot the new one needs. The drafts themselves stay until
// the new brief's are there.
var errRewriteStopped = errors.New("a newer brief stopped this rewrite")

// personBusy is the answer when the person already has genPersonMax
// model calls in flight, gens generations, rewrites rewrites and tests
// connection tests: like errGensBusy, they are asking too often. rewrite
// says whether they asked for a rewrite (which they ask again for) or a
// generation.
func personBusy(gens, rewrites, tests int, rewrite bool) *limitError {
	var have string
	switch {
	case tests > 0:
		// Settings' connection tests (acquireTest) count too.
		have = counted(int64(gens+rewrites+tests), "call to the model", "calls to the model") +
			" running (drafts, rewrites and connection tests together), the most at once"
	case gens == 0:
		have = counted(int64(rewrites), "rewrite", "rewrites") + " running"
	case rewrites == 0:
		have = counted(int64(gens), "set of drafts", "sets of drafts") + " being written"
	default:
		have = counted(int64(gens), "set of drafts", "sets of drafts") + " and " + counted(int64(rewrites), "rewrite", "rewrites") +
			" being written, the most at once"
	}
	again := "try again."
	if rewrite {
		again = "ask again."
	}
	return &limitError{reason: refusedPersonCalls, httpError: &httpError{Status: http.StatusTooManyRequests,
		Code: errGensBusy.Code, RetryAfter: errGensBusy.RetryAfter,
		Message: "You already have " + have + "; wait for one to finish, then " + again}}
}

// countRefusal counts err on /metrics when a limit on model calls gave
// it; call is "generate", "rewrite" or "test" (Settings' connection test).
func (a *App) countRefusal(call string, err error) {
	var limit *limitError
	if errors.As(err, &limit) {
		a.metrics.refusedLLM(call, limit.reason)
	}
}

// Why a job ended other than by a newer brief (errGenReplaced): its
// model calls, the generation or any rewrite, stop with the cause.
var (
	errJobAdded      = errors.New("the drafts were added to the experiment")
	errJobExpired    = errors.New("the drafts expired")
	errJobExpDeleted = errors.New("the experiment was deleted")
	errJobUserGone   = errors.New("the user was removed")
)

// genDraft is one draft of a job: the candidate as generated, and what the
// marketer did with it since.
type genDraft struct {
	cand         variants.Candidate // as generated (or as last rewritten)
	text         string             // the current text, edits included
	include      bool
	note         string // the free-text rewrite request, as typed
	regenerating bool
	rev          int    // raised by each finished rewrite: a form sent before it is stale for this draft
	instruction  string // the rewrite running or last run
	message      string // the outcome of the last rewrite
	failed       bool
	noteProblem  bool         // message says what is wrong with note (empty, too long)
	errors       views.Errors // why it could not be added, after an approve
	// stop ends the running rewrite (with errRewriteStopped) and not the
	// job; nil when none has run.
	stop context.CancelCauseFunc
	// retry is the model call the running rewrite last waited to make
	// again, from retryAt (retryWait says it): without it the card says
	// only "Rewriting…" through the waits the model service asked for.
	retry   variants.Retry
	retryAt time.Time
}

// genPerson is whom a job, or a model call, belongs to: the user's id
// and the time their account was made. The id alone is not enough:
// SQLite gives a removed user's id to the next user added (users.id is
// an integer primary key without AUTOINCREMENT, so the largest id is
// taken again), and that newcomer must neither find the removed
// person's drafts nor be counted for their model calls still running.
type genPerson struct {
	id      int64
	created int64 // users.created_at, in Unix milliseconds as stored
}

// personOf is the genPerson of a signed-in user or an API token's user.
func personOf(u experiments.User) genPerson {
	return genPerson{id: u.ID, created: u.CreatedAt.UnixMilli()}
}

// genJob is one generation started from the browser.
type genJob struct {
	id      string
	seq     uint64 // the order of admission: a newer brief's job has a larger one
	expID   string
	person  genPerson
	brief   variants.Brief  // normalized
	form    views.BriefForm // the brief as typed, to show it again
	offline bool
	model   string // the model asked, for the progress text
	started time.Time
	// avoid is the experiment's copy when the job started, and for a
	// follow-up the copy the tests before it tried: a draft that repeats
	// the first could never be added, one that repeats the second would
	// test it again, so finish drops either with the reason, as the API
	// does, rather than offer it ticked.
	avoid avoidCopy
	done  chan struct{} // closed when the generation ends
	// life lasts as long as the job is kept: the generation's and the
	// rewrites' model calls run under it. cancel ends it, with the cause
	// (errGenReplaced when a newer brief takes its place, errJobAdded,
	// …), when the registry lets the job go: nobody can see what those
	// calls would write, so they stop rather than hold a slot and cost
	// money for minutes.
	life   context.Context
	cancel context.CancelCauseFunc
	// hold is the generation's place in the limits (genRegistry.admit),
	// given back when its model call ends.
	hold *genHold
	// approving is held through an approval, so that a second press of
	// the button (a double click, a resent form) waits for the first and
	// then finds the drafts added instead of adding them again.
	approving sync.Mutex

	mu         sync.Mutex
	state      string // jobRunning, jobDone or jobFailed
	touched    time.Time
	err        error
	answeredBy string // the model that answered
	drafts     []*genDraft
	dropped    []variants.Dropped
	notes      []string
	added      string // once approved: what was added, as the flash said it
	// retry is the model call copylab last waited to make again, from
	// retryAt: the progress says so while it waits (retryProgressLocked).
	retry   variants.Retry
	retryAt time.Time
	// ended is when the generation ended, on copylab's clock: a failure
	// the model service asked a wait after counts the wait from then
	// (retryLeft). Zero for a job restored after a restart, whose wait
	// the new process does not keep.
	ended time.Time
	// keptTouch is the last time the database was told the job was
	// looked at (genKeepTouchEvery).
	keptTouch time.Time
}

// endedJob is what the registry keeps, for genJobTTL, of a job that
// ended other than by expiring, so that its page, and what still points
// at it (a second approval, a tab left open, the browser's Back), say
// what became of it rather than that it expired. Either its drafts were
// added (sentence says what the approval added), or a newer brief took
// its place (replaced).
type endedJob struct {
	expID     string
	person    genPerson
	sentence  string
	replaced  bool
	hadDrafts bool // when replaced: drafts, rather than a failure or a generation stopped
	at        time.Time
}

// genRegistry holds the jobs of this process, and the limits on model
// calls that the drafting page and the API share: genRunningMax in all,
// genPersonMax per person, at most genUserMax of them generations.
//
// Lock order: r.mu before any genJob.mu. Code that holds a job's mu must
// let go of it before it calls a method that takes r.mu.
type genRegistry struct {
	mu    sync.Mutex
	seq   uint64 // the last genJob.seq given
	jobs  map[string]*genJob
	ended map[string]endedJob // by job id, at most genJobMax
	// waiting holds the API's generations, whose clients wait for the
	// answer: they are in no job, so forgetUser finds them here.
	waiting    map[*genHold]struct{}
	running    int
	generating map[genPerson]int // generations in flight, by person (also counted in running)
	rewriting  map[genPerson]int // rewrites in flight, by person (also counted in running)
	testing    map[genPerson]int // Settings' connection tests in flight, by person (also counted in running)
	now        func() time.Time

	// keeper keeps the jobs in the database across restarts (nil: it
	// does not, as in the registry's own tests); queue holds, in order,
	// the changes not yet written (keepOp), guarded by mu; keepMu is held
	// while they are written, so that they land in that order.
	keeper draftKeeper
	log    *slog.Logger
	queue  []keepOp
	keepMu sync.Mutex
}

func newGenRegistry() *genRegistry {
	return &genRegistry{jobs: map[string]*genJob{}, ended: map[string]endedJob{}, waiting: map[*genHold]struct{}{},
		generating: map[genPerson]int{}, rewriting: map[genPerson]int{}, testing: map[genPerson]int{}, now: time.Now}
}

// genHold is one generation's place in the limits: one of the process's
// slots until its model call ends, and one of its person's generations
// until then too, or until a newer brief replaces it or its job is let
// go (its call is being stopped, and nobody waits for it any more).
type genHold struct {
	person   genPerson
	personal bool // still counted in generating; guarded by genRegistry.mu
	// stop ends an API generation's model call when its person is
	// removed; nil for the page's, which stop with their job.
	stop context.CancelCauseFunc
}

// refuseLocked is the one check of a model call against the limits,
// for the page's generations (admit), the API's (acquireGeneration) and
// rewrites (acquireRewrite): the person's generations first
// (errGensBusy; generations only), then all the person's calls
// (personBusy), then the process's (errGenBusy). gensGoing and
// rewritesGoing are the person's counted calls that a new generation
// stops (a new brief replaces the page's generation for the same
// experiment, and the rewrites of its drafts). The caller holds r.mu.
func (r *genRegistry) refuseLocked(p genPerson, rewrite bool, gensGoing, rewritesGoing int) error {
	gens, rewrites := r.generating[p]-gensGoing, max(r.rewriting[p]-rewritesGoing, 0)
	tests := r.testing[p]
	switch {
	case !rewrite && gens >= genUserMax:
		return errGensBusy
	case gens+rewrites+tests >= genPersonMax:
		return personBusy(gens, rewrites, tests, rewrite)
	case r.running >= genRunningMax:
		return errGenBusy
	}
	return nil
}

// takeGenerationLocked checks a generation against the limits
// (refuseLocked) and takes its place. The caller holds r.mu.
func (r *genRegistry) takeGenerationLocked(p genPerson, gensGoing, rewritesGoing int) (*genHold, error) {
	if err := r.refuseLocked(p, false, gensGoing, rewritesGoing); err != nil {
		return nil, err
	}
	r.running++
	r.generating[p]++
	return &genHold{person: p, personal: true}, nil
}

// acquireGeneration takes a place for a generation by the person that
// replaces none: the API's, whose client waits for it. stop ends its
// model call, with errJobUserGone, if the person is removed meanwhile.
// releaseGeneration gives the place back.
func (r *genRegistry) acquireGeneration(p genPerson, stop context.CancelCauseFunc) (*genHold, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.takeGenerationLocked(p, 0, 0)
	if err != nil {
		return nil, err
	}
	h.stop = stop
	r.waiting[h] = struct{}{}
	return h, nil
}

// releaseGeneration gives back h's slot once its model call has ended,
// and its person's generation if it still holds one.
func (r *genRegistry) releaseGeneration(h *genHold) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.waiting, h)
	r.running--
	r.unpersonLocked(h)
}

// unpersonLocked stops counting h among its person's generations. The
// caller holds r.mu.
func (r *genRegistry) unpersonLocked(h *genHold) {
	if h == nil || !h.personal {
		return
	}
	h.personal = false
	if r.generating[h.person]--; r.generating[h.person] <= 0 {
		delete(r.generating, h.person)
	}
}

// acquireRewrite takes a slot for a rewrite by the person, checked
// against the limits (refuseLocked). releaseRewrite gives it back.
func (r *genRegistry) acquireRewrite(p genPerson) error { return r.acquireCall(p, r.rewriting) }

func (r *genRegistry) releaseRewrite(p genPerson) { r.releaseCall(p, r.rewriting) }

// acquireTest takes a place for Settings' connection test by the person:
// one model call, held to the limits as a rewrite is (refuseLocked), so
// that pressing Test connection over and over, or a script doing so,
// cannot hold the model past the person's share and copylab's.
// releaseTest gives the place back.
func (r *genRegistry) acquireTest(p genPerson) error { return r.acquireCall(p, r.testing) }

func (r *genRegistry) releaseTest(p genPerson) { r.releaseCall(p, r.testing) }

// acquireCall takes a place for one model call by the person, counted in
// calls (r.rewriting or r.testing) and in r.running, checked against the
// limits first. releaseCall gives it back.
func (r *genRegistry) acquireCall(p genPerson, calls map[genPerson]int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.refuseLocked(p, true, 0, 0); err != nil {
		return err
	}
	calls[p]++
	r.running++
	return nil
}

func (r *genRegistry) releaseCall(p genPerson, calls map[genPerson]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
	if calls[p]--; calls[p] <= 0 {
		delete(calls, p)
	}
}

// dropLocked forgets the job kept under id and stops its model calls
// with cause. The caller holds r.mu.
func (r *genRegistry) dropLocked(id string, j *genJob, cause error) {
	delete(r.jobs, id)
	r.queueLocked(keepOp{id: id})
	if j.cancel != nil {
		j.cancel(cause)
	}
	r.unpersonLocked(j.hold)
}

// admit takes the new job's place in the limits (takeGenerationLocked)
// and registers it, making room by dropping the oldest finished jobs
// when the registry is full, and stops the running jobs of the same
// person and experiment (errGenReplaced), which no longer count as the
// person's.
//
// The person's latest drafts for the experiment (previousLocked) stay,
// as they were last saved, until the new brief's drafts are there
// (supersede): a new brief that fails must not take them along. Only
// their running rewrites stop (errRewriteStopped). Their other finished
// jobs (failures, generations stopped) go: the person keeps at most one
// set of drafts per experiment besides the one being written.
func (r *genRegistry) admit(j *genJob) error {
	r.mu.Lock()
	defer r.unlock()
	now := r.now()
	r.pruneLocked(now)
	gensGoing, rewritesGoing := 0, 0
	for _, o := range r.jobs {
		if o.expID != j.expID || o.person != j.person {
			continue
		}
		if o.hold != nil && o.hold.personal {
			gensGoing++
		}
		o.mu.Lock()
		for _, d := range o.drafts {
			if d.regenerating {
				rewritesGoing++
			}
		}
		o.mu.Unlock()
	}
	hold, err := r.takeGenerationLocked(j.person, gensGoing, rewritesGoing)
	if err != nil {
		return err
	}
	keep := r.previousLocked(j.expID, j.person)
	for id, o := range r.jobs {
		if o.expID != j.expID || o.person != j.person {
			continue
		}
		o.mu.Lock()
		if o.state == jobRunning && o.cancel != nil {
			o.cancel(errGenReplaced)
		}
		if o == keep {
			for _, d := range o.drafts {
				if d.regenerating && d.stop != nil {
					d.stop(errRewriteStopped)
				}
			}
		}
		done := o.state != jobRunning
		o.mu.Unlock()
		r.unpersonLocked(o.hold)
		if done && o != keep {
			r.replaceLocked(id, o)
		}
	}
	if len(r.jobs) >= genJobMax {
		var done []*genJob
		for _, o := range r.jobs {
			o.mu.Lock()
			if o.state != jobRunning {
				done = append(done, o)
			}
			o.mu.Unlock()
		}
		sort.Slice(done, func(a, b int) bool { return done[a].lastTouched().Before(done[b].lastTouched()) })
		for _, o := range done {
			if len(r.jobs) < genJobMax {
				break
			}
			r.dropLocked(o.id, o, errJobExpired)
		}
		if len(r.jobs) >= genJobMax {
			r.running--
			r.unpersonLocked(hold)
			return errGenBusy
		}
	}
	j.hold = hold
	j.touched = now
	r.seq++
	j.seq = r.seq
	r.jobs[j.id] = j
	r.queueLocked(keepOp{id: j.id, job: j}) // its brief, should a restart cut it off
	return nil
}

// previousLocked is the person's newest job for the experiment with
// drafts to show, or nil. The caller holds r.mu.
func (r *genRegistry) previousLocked(expID string, p genPerson) *genJob {
	var best *genJob
	for _, o := range r.jobs {
		if o.expID != expID || o.person != p {
			continue
		}
		o.mu.Lock()
		drafts := o.state == jobDone && o.err == nil && len(o.drafts) > 0
		o.mu.Unlock()
		if drafts && (best == nil || o.seq > best.seq) {
			best = o
		}
	}
	return best
}

// previousOf is the person's drafts for the experiment that j, a newer
// brief's generation, has not replaced: kept while j runs, and still
// there after j failed or left out every draft. The caller must not hold
// j.mu.
func (r *genRegistry) previousOf(j *genJob) (*genJob, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.previousLocked(j.expID, j.person)
	if p == nil || p == j || p.seq > j.seq {
		return nil, false
	}
	return p, true
}

// supersede lets go of the person's older jobs for the experiment once j,
// a newer brief's, has drafts to show: the page shows only the newest
// drafts, and the older ones would only take room other people's jobs
// need. A job that ended with no drafts (every one left out) replaces
// nothing, nor does one a newer brief replaced in turn.
func (r *genRegistry) supersede(j *genJob) {
	j.mu.Lock()
	drafts := j.state == jobDone && j.err == nil && len(j.drafts) > 0
	j.mu.Unlock()
	if !drafts || context.Cause(j.life) != nil {
		return
	}
	r.mu.Lock()
	defer r.unlock()
	if r.jobs[j.id] != j {
		return // let go meanwhile (added, expired, its experiment deleted)
	}
	for id, o := range r.jobs {
		if o == j || o.expID != j.expID || o.person != j.person || o.seq > j.seq {
			continue
		}
		o.mu.Lock()
		running := o.state == jobRunning
		o.mu.Unlock()
		if !running {
			r.replaceLocked(id, o)
		}
	}
}

// replaceLocked drops the job o kept under id, a newer brief having
// taken its place, and remembers that for genJobTTL (endedJob). The
// caller holds r.mu.
func (r *genRegistry) replaceLocked(id string, o *genJob) {
	o.mu.Lock()
	had := len(o.drafts) > 0
	o.mu.Unlock()
	r.dropLocked(id, o, errGenReplaced)
	r.endLocked(id, endedJob{expID: o.expID, person: o.person, replaced: true, hadDrafts: had})
}

// endLocked remembers how the job with the id ended, for genJobTTL,
// making room by forgetting the oldest record when genJobMax are kept.
// The caller holds r.mu.
func (r *genRegistry) endLocked(id string, e endedJob) {
	if len(r.ended) >= genJobMax {
		oldest := ""
		for k, o := range r.ended {
			if oldest == "" || o.at.Before(r.ended[oldest].at) {
				oldest = k
			}
		}
		delete(r.ended, oldest)
		r.queueLocked(keepOp{id: oldest})
	}
	e.at = r.now()
	r.ended[id] = e
	r.queueLocked(keepOp{id: id, ended: true})
}

// endedLocked is the record of the job with the id if the person's
// experiment's job ended so. The caller holds r.mu.
func (r *genRegistry) endedLocked(id, expID string, p genPerson) (endedJob, bool) {
	r.pruneLocked(r.now())
	e, ok := r.ended[id]
	if !ok || e.expID != expID || e.person != p {
		return endedJob{}, false
	}
	return e, true
}

// wasReplaced reports whether a newer brief of the person took the place
// of the job with the id, and whether that job had drafts.
func (r *genRegistry) wasReplaced(id, expID string, p genPerson) (replaced, hadDrafts bool) {
	r.mu.Lock()
	defer r.unlock()
	e, ok := r.endedLocked(id, expID, p)
	return ok && e.replaced, e.replaced && e.hadDrafts
}

// get returns the job with the id if it belongs to the experiment and the
// person, and marks it as looked at.
func (r *genRegistry) get(id, expID string, p genPerson) (*genJob, bool) {
	r.mu.Lock()
	defer r.unlock()
	now := r.now()
	r.pruneLocked(now)
	j, ok := r.jobs[id]
	if !ok || j.expID != expID || j.person != p {
		return nil, false
	}
	r.touchLocked(j, now)
	return j, true
}

// latest returns the newest job of the person for the experiment that a
// newer brief did not replace, and marks it as looked at. Newest is by
// admission (seq), as previousLocked and supersede take it: two jobs may
// start within the same clock tick. Added jobs are
// gone from r.jobs, so it is running, done or failed.
func (r *genRegistry) latest(expID string, p genPerson) (*genJob, bool) {
	r.mu.Lock()
	defer r.unlock()
	now := r.now()
	r.pruneLocked(now)
	var best *genJob
	for _, j := range r.jobs {
		if j.expID != expID || j.person != p {
			continue
		}
		j.mu.Lock()
		replaced := errors.Is(j.err, errGenReplaced)
		j.mu.Unlock()
		if replaced {
			continue
		}
		if best == nil || j.seq > best.seq {
			best = j
		}
	}
	if best == nil {
		return nil, false
	}
	r.touchLocked(best, now)
	return best, true
}

// markAdded forgets the drafts of a job that were added to the
// experiment, and keeps the sentence that says so for genJobTTL. The
// caller holds j.approving.
func (r *genRegistry) markAdded(j *genJob, sentence string) {
	j.mu.Lock()
	j.added = sentence
	j.mu.Unlock()
	r.mu.Lock()
	defer r.unlock()
	r.dropLocked(j.id, j, errJobAdded)
	r.endLocked(j.id, endedJob{expID: j.expID, person: j.person, sentence: sentence})
}

// addedSentence says what the approval of the job with the id added, if
// its drafts were added to the experiment by the person.
func (r *genRegistry) addedSentence(id, expID string, p genPerson) (string, bool) {
	r.mu.Lock()
	defer r.unlock()
	e, ok := r.endedLocked(id, expID, p)
	if !ok || e.replaced {
		return "", false
	}
	return e.sentence, true
}

// addedSentence is what the job's approval added, or "" before one.
func (j *genJob) addedSentence() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.added
}

// forgetUser drops a removed user's jobs, and stops their model calls
// and the API generations they wait for: nobody who is still here would
// see those drafts, and the calls would hold slots for minutes. (The
// jobs and limits are by genPerson, so a newcomer given the same id
// would not find them anyway.)
func (r *genRegistry) forgetUser(userID int64) {
	r.forget(errJobUserGone, func(_ string, user int64) bool { return user == userID })
	r.mu.Lock()
	defer r.mu.Unlock()
	for h := range r.waiting {
		if h.person.id == userID {
			h.stop(errJobUserGone)
			r.unpersonLocked(h)
		}
	}
}

// forgetExperiment drops the jobs of a deleted experiment, stopping their
// model calls: nothing they write could be added any more.
func (r *genRegistry) forgetExperiment(expID string) {
	r.forget(errJobExpDeleted, func(exp string, _ int64) bool { return exp == expID })
}

// forget drops, with reason, the jobs and the records of ended ones
// (endedJob) whose experiment and user match.
func (r *genRegistry) forget(reason error, match func(expID string, userID int64) bool) {
	r.mu.Lock()
	defer r.unlock()
	for id, j := range r.jobs {
		if match(j.expID, j.person.id) {
			r.dropLocked(id, j, reason)
		}
	}
	for id, e := range r.ended {
		if match(e.expID, e.person.id) {
			delete(r.ended, id)
			r.queueLocked(keepOp{id: id})
		}
	}
}

// experimentIDs are the experiments the kept jobs are for.
func (r *genRegistry) experimentIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, j := range r.jobs {
		if !seen[j.expID] {
			seen[j.expID] = true
			out = append(out, j.expID)
		}
	}
	return out
}

// forgetDeletedExperiments drops the jobs whose experiment is no longer
// in the store. A site's deletion calls it: the site takes its
// experiments with it, and may take some even when it is refused.
func (a *App) forgetDeletedExperiments(ctx context.Context) {
	for _, id := range a.genJobs.experimentIDs() {
		_, err := a.store.Experiment(ctx, id)
		switch {
		case errors.Is(err, experiments.ErrNotFound):
			a.genJobs.forgetExperiment(id)
		case err != nil:
			a.log.Warn("generate: check a job's experiment", "experiment", id, "error", err)
		}
	}
}

// prune forgets the jobs not looked at for genJobTTL, and deletes from
// the database those it holds no longer: the ones a start left there,
// past the genJobMax it reads back, or whose delete failed. Those in
// memory may have been looked at up to genKeepTouchEvery after the
// database last heard of it, so they are given that much longer there.
func (r *genRegistry) prune() {
	r.mu.Lock()
	now := r.now()
	r.pruneLocked(now)
	r.unlock()
	if r.keeper == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), genKeepTimeout)
	defer cancel()
	n, err := r.keeper.DeleteDraftJobsBefore(ctx, now.Add(-genJobTTL-genKeepTouchEvery))
	if err != nil || n > 0 {
		r.keeper.NoteWrite(err)
	}
	if err != nil {
		r.log.Warn("generate: delete expired drafting jobs", "error", err)
	}
}

func (r *genRegistry) pruneLocked(now time.Time) {
	for id, j := range r.jobs {
		if now.Sub(j.lastTouched()) > genJobTTL {
			r.dropLocked(id, j, errJobExpired)
		}
	}
	for id, e := range r.ended {
		if now.Sub(e.at) > genJobTTL {
			delete(r.ended, id)
			r.queueLocked(keepOp{id: id})
		}
	}
}

// Job states; the views use the same words.
const (
	jobRunning = views.JobRunning
	jobDone    = views.JobDone
	jobFailed  = views.JobFailed
)

func (j *genJob) lastTouched() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.touched
}

// finish records the outcome of the generation, which ended at at.
func (j *genJob) finish(res variants.Result, err error, at time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	defer close(j.done)
	j.ended = at
	j.answeredBy = res.Model
	j.dropped = slices.Clone(res.Dropped)
	j.notes = slices.Clone(res.Notes)
	if err != nil {
		j.state, j.err = jobFailed, err
		return
	}
	j.state = jobDone
	var left leftOut
	for _, c := range res.Variants {
		// The offline generator writes the same drafts for the same brief,
		// so asking again, or on a duplicated experiment or a follow-up,
		// brings back copy the experiment already has or the tests
		// before it tried.
		if reason, rule := j.avoid.reason(c.Text); reason != "" {
			left.count(rule)
			if !slices.ContainsFunc(j.dropped, func(d variants.Dropped) bool { return d.Text == c.Text }) {
				j.dropped = append(j.dropped, variants.Dropped{Text: c.Text, Reason: reason})
			}
			continue
		}
		j.drafts = append(j.drafts, &genDraft{cand: c, text: c.Text, include: len(j.drafts) < defaultTicked})
	}
	// The page shows every draft that is not a repeat, so all the
	// library's drafts count as written.
	j.notes = draftNotes(res, len(j.drafts), j.brief.N, len(res.Variants), left)
}

// draftNotes is the library's notes as the drafting page and the API show
// them. When copylab left out repeats of the experiment's copy, or of
// the copy the tests before a follow-up tried (left), the library's note
// on missing drafts (res.Shortfall), which counts them among the drafts
// written, gives way to shortfallNote, which counts the shown drafts:
// those on the page, or those the API added. written is how many of the
// library's drafts met every rule (the API also leaves out drafts against
// copylab's own rules for copy; the page shows them, and says so when
// they are added).
func draftNotes(res variants.Result, shown, asked, written int, left leftOut) []string {
	notes := slices.Clone(res.Notes)
	if left.repeats+left.tried == 0 {
		return notes
	}
	if res.Shortfall != "" {
		notes = slices.DeleteFunc(notes, func(n string) bool { return n == res.Shortfall })
	}
	return append(notes, shortfallNote(shown, asked, written, left, res.Offline))
}

// defaultTicked is how many drafts start ticked: every variant added
// splits the test's visitors further, so the default is a three-way test
// (the original and two drafts), and the page shows the split as the
// person ticks more. The page's script tells the ticks the person chose
// from these (views.DefaultTicked), so both read the one number.
const defaultTicked = views.DefaultTicked

// wait waits at most d for the generation to end.
func (j *genJob) wait(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-j.done:
	case <-t.C:
	}
}

// waitDraft waits at most d for a rewrite of draft i to end.
func (j *genJob) waitDraft(i int, d time.Duration) {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		j.mu.Lock()
		busy := j.drafts[i].regenerating
		j.mu.Unlock()
		if !busy {
			return
		}
	}
}

// startGeneration registers the job and writes its drafts in the
// background. Nothing in the goroutine touches the request or the store.
func (a *App) startGeneration(j *genJob) error {
	j.done = make(chan struct{})
	j.life, j.cancel = context.WithCancelCause(context.Background())
	if err := a.genJobs.admit(j); err != nil {
		j.cancel(nil)
		a.countRefusal("generate", err)
		return err
	}
	go func() {
		ctx, cancel := context.WithTimeout(j.life, a.genJobLimit())
		ctx = variants.WithRetryNotice(ctx, a.noteRetry(j))
		res, err := a.safeGenerate(ctx, j.brief)
		cancel()
		// The slot goes back before the drafts show (finish): a person
		// who sees them and sends another brief at once is not refused
		// by a slot still counted for a call that has ended.
		a.genJobs.releaseGeneration(j.hold)
		if ended := context.Cause(j.life); ended != nil {
			// Replaced or let go, even if the answer came just then: not
			// a failure of the model (not logged), and no drafts to show.
			err = ended
		} else if err != nil {
			a.logLLMFailure("generate", j.expID, err)
		}
		j.finish(res, err, a.now())
		a.genJobs.supersede(j)
		a.genJobs.keep(j) // its drafts, or its failure
	}()
	return nil
}

// safeGenerate runs the generator, turning a panic into an error so that a
// bug in one job fails that job and not the process.
func (a *App) safeGenerate(ctx context.Context, b variants.Brief) (res variants.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("app: generate: panic: %v", p)
		}
	}()
	return a.gen.Generate(a.countLLM(ctx, "generate"), b)
}

// startRegeneration rewrites draft i of the job in the background, as
// one of the user's rewrites (acquireRewrite). The new draft must differ
// from kept (the experiment's copy), from the other drafts, and from
// tried (for a follow-up, the copy the tests before it tried). The
// rewrite stops when the job ends (j.life), and leaves the draft's tick
// as it is: the person may untick it meanwhile, and their choice stands.
//
// Rewrites of one page's drafts may run at once, each avoiding the other
// drafts as they were when it started; so two "different angle" rewrites
// would both take the first offline line of the angle no draft used.
// The new text is therefore checked against the other drafts again
// under j.mu, in the same critical section that saves it, and one that
// repeats a draft written meanwhile is asked for again (rewriteTries).
func (a *App) startRegeneration(j *genJob, i int, kept, tried []string, instruction string) error {
	if j.life.Err() != nil {
		return errJobGone
	}
	j.mu.Lock()
	d := j.drafts[i]
	if d.regenerating {
		j.mu.Unlock()
		return nil
	}
	// Claimed at once, under the same lock as the check: a double click
	// starts one rewrite, not two. A new brief may stop it (d.stop) as
	// soon as it is claimed.
	d.regenerating = true
	life, stop := context.WithCancelCause(j.life)
	d.stop = stop
	current := d.text
	j.mu.Unlock()
	if err := a.genJobs.acquireRewrite(j.person); err != nil {
		stop(nil)
		a.countRefusal("rewrite", err)
		j.mu.Lock()
		d.regenerating = false
		j.mu.Unlock()
		return err
	}
	j.mu.Lock()
	d.instruction, d.message, d.failed, d.noteProblem = instruction, "", false, false
	d.retry, d.retryAt = variants.Retry{}, time.Time{}
	tries := rewriteTries(j.offline, len(j.drafts))
	j.mu.Unlock()
	// The edits the form brought (syncDrafts), and that a restart would
	// cut this rewrite off (restoredJob).
	a.genJobs.keep(j)

	go func() {
		defer a.genJobs.releaseRewrite(j.person)
		defer stop(nil)
		defer a.genJobs.keep(j) // the new text, or why there is none
		ctx, cancel := context.WithTimeout(life, a.regenLimit())
		defer cancel()
		ctx = variants.WithRetryNotice(ctx, func(r variants.Retry) {
			j.mu.Lock()
			d.retry, d.retryAt = r, a.now()
			j.mu.Unlock()
		})
		var err error
		for try := 1; ; try++ {
			j.mu.Lock()
			others := append(j.otherDraftsLocked(i), kept...)
			j.mu.Unlock()
			var c variants.Candidate
			c, err = a.safeRegenerate(ctx, j.brief, others, tried, current, instruction)
			if err != nil {
				break
			}
			j.mu.Lock()
			if k := j.repeatedDraftLocked(i, c.Text); k >= 0 {
				j.mu.Unlock()
				if try < tries {
					continue
				}
				err = &repeatError{draft: k}
				break
			}
			d.regenerating = false
			d.cand, d.text, d.note = c, c.Text, ""
			d.rev++
			d.message = rewriteDone(instruction, c.Source == variants.SourceOffline)
			j.mu.Unlock()
			return
		}
		var repeat *repeatError
		stopped := errors.Is(context.Cause(life), errRewriteStopped)
		if context.Cause(j.life) == nil && !stopped && !errors.As(err, &repeat) {
			a.logLLMFailure("regenerate", j.expID, err)
		}
		j.mu.Lock()
		defer j.mu.Unlock()
		d.regenerating = false
		d.failed = true
		if stopped {
			d.message = "The rewrite stopped when you sent a newer brief; ask again if you still want it."
			return
		}
		d.message = "The rewrite did not work: " + genLowerFirst(failureSentence(err))
		// As a failed set of drafts says it (views.generationFailed).
		_, _, wait := failureParts(err)
		if note := views.RetryAfterNote(d.message, wait); note != "" {
			d.message += " " + note
		}
	}()
	return nil
}

// retryWait is what a page says while copylab waits to ask the model
// service again, after the notice r heard at at: why it waits, and the
// wait left at now; ok is false when no wait is running. A set of
// drafts (genJob.retry) and a rewrite (genDraft.retry) say it alike, the
// wait left in an element with data-retry-ms that generate.js counts
// down between polls, so the progress can stay as it is, and is not
// redrawn, through the wait.
func retryWait(r variants.Retry, at, now time.Time) (why string, left time.Duration, ok bool) {
	left = at.Add(r.Wait).Sub(now)
	if r.Wait <= 0 || left <= 0 {
		return "", 0, false
	}
	why = "The model service asked to wait"
	if r.Code != variants.CodeRateLimited {
		why = "The model service failed"
	}
	return why, left, true
}

// rewriteTries is how many times a rewrite asks for a text that repeats
// no other draft (startRegeneration). The offline generator's pick costs
// nothing and, asked again, avoids the draft written meanwhile, so it may
// be asked once for each other draft and once more. A model's answer
// costs money and a minute, and repeats a draft written meanwhile only
// when two rewrites of one page race: it is asked again once.
func rewriteTries(offline bool, drafts int) int {
	if offline {
		return drafts + 1
	}
	return 2
}

// repeatError is a rewrite whose text repeats a draft rewritten or
// edited meanwhile, after rewriteTries.
type repeatError struct{ draft int }

func (e *repeatError) Error() string {
	return fmt.Sprintf("It came back the same as draft %d, written meanwhile; ask again.", e.draft+1)
}

func (a *App) safeRegenerate(ctx context.Context, b variants.Brief, others, tried []string, current, instruction string) (c variants.Candidate, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("app: regenerate: panic: %v", p)
		}
	}()
	return a.gen.RegenerateAvoiding(a.countLLM(ctx, "rewrite"), b, others, tried, current, instruction)
}

// logLLMFailure logs a failed model call: the library's errors carry no
// key, and a warning is enough, since the marketer sees the sentence.
func (a *App) logLLMFailure(op, expID string, err error) {
	a.log.Warn("copy generation failed", "op", op, "experiment", expID, "error", err.Error())
}

// failureSentence is the sentence a marketer sees for a failed
// generation or rewrite.
func failureSentence(err error) string {
	var ve *variants.Error
	var fe variants.FieldErrors
	var limit *limitError
	var repeat *repeatError
	switch {
	case errors.As(err, &ve):
		return ve.Message
	case errors.As(err, &fe) && len(fe) > 0:
		return fe[0].Message
	case errors.Is(err, context.DeadlineExceeded):
		return "The model did not answer in time; try again."
	case errors.Is(err, errGenReplaced):
		return "copylab stopped writing these drafts when you sent a newer brief."
	case errors.As(err, &limit):
		return limit.Message // the limits on model calls
	case errors.As(err, &repeat):
		return repeat.Error()
	}
	return "Something went wrong on our side while writing the drafts. It has been logged; please try again."
}

// rewriteDone says what a finished rewrite did. The offline generator
// follows the buttons but not a request in the marketer's words: it picks
// the next template that fits, and says so.
func rewriteDone(instruction string, offline bool) string {
	switch instruction {
	case variants.InstructionShorter:
		return "Rewritten shorter."
	case variants.InstructionDifferentAngle:
		return "Rewritten with a different angle."
	case variants.InstructionMoreLikeThis:
		return "Rewritten in the same spirit."
	case "":
		return "Rewritten."
	}
	if offline {
		return "Replaced with another offline template: the offline generator cannot follow written requests."
	}
	return "Rewritten as asked."
}

func genLowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && strings.ToUpper(string(r[1])) == string(r[1]) && r[1] != ' ' {
		return s // an acronym such as "HTTP": leave it
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// newJobID is the random, unguessable id of a job.
func newJobID() string { return experiments.RandomToken(20) }

// Keeping the jobs across restarts.
//
// A restart empties the registry, and with it the drafts the marketer
// has not added yet, so each job is also kept in the database
// (experiments.DraftJob) as it changes: when it is admitted (its brief,
// which a job cut off by a restart offers again), when its drafts are
// written or it fails, when a rewrite of one of its drafts starts and
// ends, and every genKeepTouchEvery while it is looked at. A job let go
// is deleted there, or becomes the record of how it ended (endedJob).
// loadDraftJobs reads them back when copylab starts.
//
// Changes are queued under r.mu, in the order they happen, and written
// once it is let go (unlock): the registry is never held while the
// database writes. keepMu keeps the writes in the order of the queue,
// and a job's row is written as the job is at that time.
const (
	// genKeepTouchEvery is how often the database hears that a job is
	// still looked at: a job restored after a restart expires at most
	// this much sooner than it would have.
	genKeepTouchEvery = 5 * time.Minute
	// genKeepTimeout bounds one round of writes.
	genKeepTimeout = 10 * time.Second
)

// The states of a kept job (experiments.DraftJob.State).
const (
	keptRunning  = "running"  // being written: a restart cuts it off (errJobLost)
	keptDone     = "done"     // jobDone
	keptFailed   = "failed"   // jobFailed
	keptAdded    = "added"    // an endedJob: its drafts were added
	keptReplaced = "replaced" // an endedJob: a newer brief took its place
)

// draftKeeper is what the registry needs of the database to keep its
// jobs (experiments.Store).
type draftKeeper interface {
	SaveDraftJob(ctx context.Context, j experiments.DraftJob) error
	TouchDraftJob(ctx context.Context, id string, at time.Time) error
	DeleteDraftJob(ctx context.Context, id string) error
	DeleteDraftJobsBefore(ctx context.Context, before time.Time) (int64, error)
	NoteWrite(err error)
}

// keepOp is one change to write: the job kept under id (job), saved as
// it is when written if the registry still holds it; the record of how
// it ended (ended), likewise; that it was looked at (touch); or, with
// none of those, that it is gone.
type keepOp struct {
	id    string
	job   *genJob
	ended bool
	touch time.Time
}

// queueLocked queues a change to write at the next unlock. The caller
// holds r.mu.
func (r *genRegistry) queueLocked(op keepOp) {
	if r.keeper != nil {
		r.queue = append(r.queue, op)
	}
}

// unlock lets go of r.mu, then writes the changes queued meanwhile.
func (r *genRegistry) unlock() {
	pending := len(r.queue) > 0
	r.mu.Unlock()
	if pending {
		r.flush()
	}
}

// touchLocked marks j as looked at, at now, and tells the database every
// genKeepTouchEvery. The caller holds r.mu.
func (r *genRegistry) touchLocked(j *genJob, now time.Time) {
	j.mu.Lock()
	j.touched = now
	tell := now.Sub(j.keptTouch) >= genKeepTouchEvery
	if tell {
		j.keptTouch = now
	}
	j.mu.Unlock()
	if tell {
		r.queueLocked(keepOp{id: j.id, touch: now})
	}
}

// keep writes j as it is now, if the registry still holds it: its
// drafts once written, a rewrite started or ended. The caller must not
// hold j.mu.
func (r *genRegistry) keep(j *genJob) {
	r.mu.Lock()
	if r.jobs[j.id] == j {
		r.queueLocked(keepOp{id: j.id, job: j})
	}
	r.unlock()
}

// flush writes the queued changes, in order. A failed write is logged
// and the job stays as it is in memory: only a restart would miss it.
func (r *genRegistry) flush() {
	r.keepMu.Lock()
	defer r.keepMu.Unlock()
	type write struct {
		id    string
		save  *experiments.DraftJob
		touch time.Time
	}
	r.mu.Lock()
	ops := r.queue
	r.queue = nil
	writes := make([]write, 0, len(ops))
	for i, op := range ops {
		w := write{id: op.id, touch: op.touch}
		switch {
		case op.job != nil:
			// A job let go since has its delete later in the queue, or
			// written already; one saved again just after is written
			// then, as it is now either way.
			if r.jobs[op.id] != op.job || i+1 < len(ops) && ops[i+1].job == op.job {
				continue
			}
			row := op.job.kept()
			w.save = &row
		case op.ended:
			e, ok := r.ended[op.id]
			if !ok {
				continue
			}
			row := e.kept(op.id)
			w.save = &row
		}
		writes = append(writes, w)
	}
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), genKeepTimeout)
	defer cancel()
	for _, w := range writes {
		var err error
		switch {
		case w.save != nil:
			err = r.keeper.SaveDraftJob(ctx, *w.save)
		case !w.touch.IsZero():
			err = r.keeper.TouchDraftJob(ctx, w.id, w.touch)
		default:
			err = r.keeper.DeleteDraftJob(ctx, w.id)
		}
		if errors.Is(err, experiments.ErrNotFound) {
			continue // its experiment or its person is gone, and the job with them
		}
		if err != nil || w.save != nil {
			// A delete or a touch that found nothing wrote nothing, and
			// says nothing of the space (NoteWrite).
			r.keeper.NoteWrite(err)
		}
		if err != nil {
			r.log.Warn("generate: keep a drafting job across restarts", "job", w.id, "error", err)
		}
	}
}

// keptJob is the JSON of a kept job (experiments.DraftJob.Data): what
// its page shows. Its own type, rather than the types it is made of, so
// that what a restart reads back does not change with them unnoticed.
type keptJob struct {
	Brief      variants.Brief  `json:"brief"`
	Form       views.BriefForm `json:"form"` // the brief as typed
	Offline    bool            `json:"offline,omitempty"`
	Model      string          `json:"model,omitempty"`
	Started    time.Time       `json:"started"`
	AnsweredBy string          `json:"answered_by,omitempty"`
	Drafts     []keptDraft     `json:"drafts,omitempty"`
	Dropped    []keptDropped   `json:"dropped,omitempty"`
	Notes      []string        `json:"notes,omitempty"`
	Failure    *keptFailure    `json:"failure,omitempty"`
	// An endedJob's.
	Sentence  string `json:"sentence,omitempty"`
	HadDrafts bool   `json:"had_drafts,omitempty"`
}

// keptDraft is a genDraft as kept.
type keptDraft struct {
	// The candidate as generated or last rewritten.
	Text          string    `json:"text"`
	Angle         string    `json:"angle,omitempty"`
	Rationale     string    `json:"rationale,omitempty"`
	Source        string    `json:"source,omitempty"`
	Model         string    `json:"model,omitempty"`
	PromptVersion string    `json:"prompt_version,omitempty"`
	Created       time.Time `json:"created"`
	// What the marketer made of it.
	Current     string `json:"current"` // edits included
	Include     bool   `json:"include,omitempty"`
	Note        string `json:"note,omitempty"`
	Rev         int    `json:"rev,omitempty"`
	Instruction string `json:"instruction,omitempty"`
	Message     string `json:"message,omitempty"`
	Failed      bool   `json:"failed,omitempty"`
	NoteProblem bool   `json:"note_problem,omitempty"`
	Rewriting   bool   `json:"rewriting,omitempty"`
}

type keptDropped struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
	Rule   string `json:"rule,omitempty"`
}

// keptFailure is a failed job's failure as its page said it
// (failureParts).
type keptFailure struct {
	Message    string `json:"message"`
	Code       string `json:"code,omitempty"`
	RetryAfter int    `json:"retry_after,omitempty"` // seconds
}

// kept is j as the database keeps it. It takes j.mu.
func (j *genJob) kept() experiments.DraftJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	k := keptJob{Brief: j.brief, Form: j.form, Offline: j.offline, Model: j.model, Started: j.started,
		AnsweredBy: j.answeredBy, Notes: j.notes}
	k.Form.Errors = nil
	for _, d := range j.drafts {
		k.Drafts = append(k.Drafts, keptDraft{Text: d.cand.Text, Angle: d.cand.Angle, Rationale: d.cand.Rationale,
			Source: d.cand.Source, Model: d.cand.Model, PromptVersion: d.cand.PromptVersion, Created: d.cand.CreatedAt,
			Current: d.text, Include: d.include, Note: d.note, Rev: d.rev, Instruction: d.instruction,
			Message: d.message, Failed: d.failed, NoteProblem: d.noteProblem, Rewriting: d.regenerating})
	}
	for _, d := range j.dropped {
		k.Dropped = append(k.Dropped, keptDropped{Text: d.Text, Reason: d.Reason, Rule: d.Rule})
	}
	state := keptDone
	switch j.state {
	case jobRunning:
		state = keptRunning
	case jobFailed:
		state = keptFailed
		msg, code, retry := failureParts(j.err)
		k.Failure = &keptFailure{Message: msg, Code: code, RetryAfter: retry}
	}
	j.keptTouch = j.touched
	return experiments.DraftJob{ID: j.id, ExperimentID: j.expID, UserID: j.person.id, UserCreated: j.person.created,
		Seq: int64(j.seq), State: state, Touched: j.touched, Data: mustKeptJSON(k)}
}

// kept is the record of how the job with the id ended, as the database
// keeps it.
func (e endedJob) kept(id string) experiments.DraftJob {
	state := keptAdded
	if e.replaced {
		state = keptReplaced
	}
	return experiments.DraftJob{ID: id, ExperimentID: e.expID, UserID: e.person.id, UserCreated: e.person.created,
		State: state, Touched: e.at, Data: mustKeptJSON(keptJob{Sentence: e.sentence, HadDrafts: e.hadDrafts})}
}

// mustKeptJSON is k as JSON, which strings, numbers and times always
// make.
func mustKeptJSON(k keptJob) []byte {
	b, err := json.Marshal(k)
	if err != nil {
		panic(fmt.Sprintf("app: a drafting job as JSON: %v", err))
	}
	return b
}

// errJobLost is the failure of a job that was being written when copylab
// restarted: its model call ended with the process, and its brief is
// there to send again ("Write drafts again").
var errJobLost = &variants.Error{Code: "job_lost",
	Message: "copylab restarted while these drafts were being written, so they were lost."}

// rewriteLost is what a draft says whose rewrite a restart cut off.
const rewriteLost = "copylab restarted while this draft was being rewritten, so the rewrite was lost; ask again."

// loadDraftJobs reads back the jobs kept from before the start, the
// newest genJobMax of each kind, and deletes those that expired
// meanwhile. From now on the registry keeps its jobs in the database.
func (a *App) loadDraftJobs(ctx context.Context) error {
	r := a.genJobs
	r.keeper, r.log = a.store, a.log
	since := a.now().Add(-genJobTTL)
	n, err := a.store.DeleteDraftJobsBefore(ctx, since)
	if err != nil || n > 0 {
		a.store.NoteWrite(err)
	}
	if err != nil {
		// Not a reason to refuse to start: the housekeeping tries again.
		a.log.Warn("generate: delete expired drafting jobs", "error", err)
	}
	rows, err := a.store.DraftJobs(ctx, since, 2*genJobMax)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, row := range rows {
		var k keptJob
		if err := json.Unmarshal(row.Data, &k); err != nil {
			a.log.Warn("generate: a kept drafting job could not be read", "job", row.ID, "error", err)
			continue
		}
		person := genPerson{id: row.UserID, created: row.UserCreated}
		switch row.State {
		case keptAdded, keptReplaced:
			if len(r.ended) < genJobMax {
				r.ended[row.ID] = endedJob{expID: row.ExperimentID, person: person, sentence: k.Sentence,
					replaced: row.State == keptReplaced, hadDrafts: k.HadDrafts, at: row.Touched}
			}
		case keptRunning, keptDone, keptFailed:
			if len(r.jobs) < genJobMax {
				r.jobs[row.ID] = restoredJob(row, person, k)
				r.seq = max(r.seq, uint64(row.Seq))
			}
		}
	}
	return nil
}

// restoredJob is a kept job as it was before the restart; one that was
// being written is lost (errJobLost), and so is a rewrite that was
// running (rewriteLost).
func restoredJob(row experiments.DraftJob, p genPerson, k keptJob) *genJob {
	j := &genJob{id: row.ID, seq: uint64(row.Seq), expID: row.ExperimentID, person: p, brief: k.Brief, form: k.Form,
		offline: k.Offline, model: k.Model, started: k.Started, done: make(chan struct{}), state: jobDone,
		touched: row.Touched, keptTouch: row.Touched, answeredBy: k.AnsweredBy, notes: k.Notes}
	close(j.done)
	j.life, j.cancel = context.WithCancelCause(context.Background())
	for _, d := range k.Drafts {
		gd := &genDraft{cand: variants.Candidate{Text: d.Text, Angle: d.Angle, Rationale: d.Rationale, Source: d.Source,
			Model: d.Model, PromptVersion: d.PromptVersion, CreatedAt: d.Created},
			text: d.Current, include: d.Include, note: d.Note, rev: d.Rev, instruction: d.Instruction,
			message: d.Message, failed: d.Failed, noteProblem: d.NoteProblem}
		if d.Rewriting {
			gd.message, gd.failed, gd.noteProblem = rewriteLost, true, false
		}
		j.drafts = append(j.drafts, gd)
	}
	for _, d := range k.Dropped {
		j.dropped = append(j.dropped, variants.Dropped{Text: d.Text, Reason: d.Reason, Rule: d.Rule})
	}
	switch {
	case row.State == keptRunning:
		j.state, j.err = jobFailed, errJobLost
	case row.State == keptFailed && k.Failure != nil && k.Failure.Code == "job_replaced":
		j.state, j.err = jobFailed, errGenReplaced
	case row.State == keptFailed && k.Failure != nil:
		j.state = jobFailed
		j.err = &variants.Error{Code: k.Failure.Code, Message: k.Failure.Message,
			RetryAfter: time.Duration(k.Failure.RetryAfter) * time.Second}
	case row.State == keptFailed:
		j.state, j.err = jobFailed, &variants.Error{Message: failureSentence(nil)}
	}
	return j
}
