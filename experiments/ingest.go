package experiments

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Event types.
const (
	EventExposure   = "exposure"
	EventConversion = "conversion"
)

// RequestMeta is what the HTTP layer knows about the sender of events.
type RequestMeta struct {
	UserAgent  string
	IP         string // client IP (after trusted-proxy handling); not stored
	Country    string // ISO 3166-1 alpha-2 from a trusted header, or ""
	ReceivedAt time.Time
	// Clock, when set, gives the server time instead of ReceivedAt, read
	// when the request joins the writer's queue and never earlier than the
	// request before it: requests are written in queue order, so their
	// times then follow that order, and the counts agree with the stored
	// times (a request stamped on arrival could be overtaken by a later
	// one while it was parsed). The HTTP layer sets it.
	Clock func() time.Time
	// Admit, when set, is asked once the request's site is known (by its
	// id) and before its events are parsed; an error it returns rejects the
	// request as it is. The HTTP layer's per-site rate limit.
	Admit func(siteID string) *IngestError
}

// IngestError is a rejected or deferred event request. Status is the HTTP
// status to answer (400, 404, 413, 422 or 503; see the Code constants),
// Code a short machine code, Message one sentence for the developer reading
// the network panel, Field the offending field ("events[2].id") when there
// is one. RetryAfter is set on 503s: the sender should retry after it, and
// may resend the same event ids safely.
type IngestError struct {
	Status     int
	Code       string
	Message    string
	Field      string
	RetryAfter time.Duration
}

func (e *IngestError) Error() string { return e.Code + ": " + e.Message }

// IngestResult says what happened to the events of one accepted request.
// Every event of an accepted request is on disk when Ingest returns: Stored
// ones now, Duplicates by an earlier request with the same ids; except the
// Skipped ones, which are never stored.
type IngestResult struct {
	Stored     int // newly committed
	Duplicates int // already stored before (same id); not counted again
	// Ignored counts the events not counted, for the Reasons given: newly
	// stored ones, and ones dropped because their experiment was deleted
	// while they waited (ReasonDeleted, the one reason whose events are not
	// stored).
	Ignored int
	Reasons []string // distinct Reason codes of the ignored events, sorted
	// ReasonCounts[i] is how many of the Ignored events had Reasons[i]: a
	// request may mix a deleted test's events, which are not stored, with
	// ones stored and not counted, and the metrics count events per reason.
	ReasonCounts []int
	// Skipped holds a Skip reason (SkipSessionTooLong, …) per event left
	// out of the request, in the body's order: "recording" events whose
	// session or replay, which a script on the page chose, cannot be used;
	// and events for an experiment the site does not have, sent beside
	// events for ones it has (SkipUnknownExperiment: a test deleted since
	// the page loaded). They are not stored, and not in Stored or
	// Duplicates.
	Skipped []string
	// ReplaysDropped holds a Skip reason (SkipReplayTooLong or
	// SkipReplayInvalid) per "recording" event kept without the replay URL
	// it came with, in the body's order: the session id alone links to
	// the recording (recorders.NeedsReplay). The event is in Stored or
	// Duplicates.
	ReplaysDropped []string
	// SessionsDropped holds a Skip reason (SkipSessionTooLong or
	// SkipSessionInvalid) per "recording" event kept without the session
	// id it came with, in the body's order: the replay URL alone links to
	// the recording (recorders.NeedsReplay). The event is in Stored or
	// Duplicates.
	SessionsDropped []string
}

// IngestOptions tunes the group-commit writer. Zero fields take defaults.
type IngestOptions struct {
	MaxBatch   int                         // events per transaction (default 500)
	MaxDelay   time.Duration               // how long a batch may wait to fill (default and negative: no wait; see next)
	QueueSize  int                         // events waiting for the writer before 503 queue_full (default 20,000)
	MaxBody    int                         // bytes (default 64 KiB)
	MaxEvents  int                         // events per request (default 100)
	BotChecker func(userAgent string) bool // default IsBot
	Logger     *slog.Logger                // default slog.Default()
}

func (o IngestOptions) withDefaults() IngestOptions {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 500
	}
	if o.MaxDelay == 0 {
		// No linger: requests that arrive while a batch commits form the
		// next one, so batches grow with the load by themselves. A 2 ms
		// linger capped ingest at 20k events/s in process (64 in flight).
		o.MaxDelay = -1
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 20_000
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = DefaultMaxEvents
	}
	if o.BotChecker == nil {
		o.BotChecker = IsBot
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Ingester validates event requests and commits them through one writer
// goroutine (group commit): requests queue up, the writer takes up to
// MaxBatch events at a time, applies them in one immediate transaction on the
// store's writer handle, and answers each request once that transaction has
// committed. A batch is all or nothing; if it fails, every request in it is
// answered 503 and the writer goes on with the next batch.
type Ingester struct {
	s    *Store
	o    IngestOptions
	log  *slog.Logger
	refs refCache
	uas  uaCache
	w    *batchWriter

	mu     sync.Mutex
	queue  []*request
	queued int   // events in queue
	lastAt int64 // the latest server time given at queueing (RequestMeta.Clock)
	closed bool
	wake   chan struct{} // capacity 1: the writer has something to look at
	done   chan struct{} // closed when the writer has stopped

	batches, events, failed atomic.Int64
	lastFailed              atomic.Bool
	observer                atomic.Pointer[func(BatchInfo)]

	// testFail, when set (tests only), runs inside each batch transaction
	// before commit; an error or panic there fails the batch.
	testFail atomic.Pointer[func() error]
}

// NewIngester starts the writer. Call Close to drain and stop it, before
// closing the Store.
func NewIngester(s *Store, o IngestOptions) *Ingester {
	o = o.withDefaults()
	in := &Ingester{
		s:    s,
		o:    o,
		log:  o.Logger,
		refs: refCache{s: s, now: time.Now, sites: map[string]siteRef{}, exps: map[string]expRef{}},
		uas:  uaCache{max: uaCacheMax},
		w:    newBatchWriter(s),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	go in.run()
	return in
}

// Ingest parses, validates and stores one POST /e body. It returns only
// after the events are committed, or with an *IngestError: 4xx when the body
// is malformed or names unknown things (nothing of it is stored), 503 when
// the sender should retry later (also when ctx ends first: the events may or
// may not be written, and a resend is deduplicated). A "recording" event
// whose session or replay cannot be used is not a malformed body: it is
// skipped (IngestResult.Skipped), or kept without its replay URL
// (IngestResult.ReplaysDropped) or its session id
// (IngestResult.SessionsDropped), and the rest is stored. It keeps no
// reference to body or meta after it returns.
//
// Counting rules (../shared/spec/statistics.md), as applied here:
//   - Server time (meta.Clock when the request is queued, else
//     meta.ReceivedAt, or now) is the time of every event of
//     the request; ts is kept as metadata. Exposures, and bots'
//     conversions (which only mark the visitor), are applied before the
//     other conversions of the same millisecond, in one request or
//     several, in one batch or several: a conversion sent just before its
//     exposure, in the same millisecond, counts, and one sent just before
//     a second variant's exposure or a bot's event does not. Counts and
//     stored reasons do not depend on the batching; a request answered in
//     an earlier batch than a later event of its millisecond keeps the
//     answer it got (no_exposure, say).
//   - A visitor's variant is that of their first matched exposure; a second
//     variant moves them out of the first and into the multiple-variants
//     count (taking their conversion with them).
//   - A conversion counts once per visitor, for the experiment's goal
//     (click → "click", pageview → "pageview", event → its name), at or after
//     the first exposure. Conversions without an exposure are stored only.
//   - Bots (a "bot": true body, or an exposure whose user agent the
//     BotChecker flags) are stored and counted only in Bots; a counted
//     visitor later flagged as a bot is moved out of their variant. Any
//     such event flags the visitor, a conversion or matched:false exposure
//     too, and a visitor once flagged is never counted in the experiment,
//     even when they had no exposure yet (Bots counts them from their first
//     matched exposure).
//   - Exposures with "matched": false are health telemetry (Missed) only.
//   - Draft experiments reject events (422 experiment_not_running). Events for
//     paused or stopped experiments are stored but not counted, ignored with
//     reason experiment_not_running; the status is read when the batch is
//     written, so nothing arriving after a stop is counted. A bot's event
//     that comes while the experiment is paused (before any stop) still
//     marks the visitor as a bot, as while it runs; a person's leaves no
//     trace, and nothing after a stop changes anything.
func (in *Ingester) Ingest(ctx context.Context, body []byte, meta RequestMeta) (IngestResult, error) {
	r, ierr := in.parse(ctx, body, meta)
	if ierr != nil {
		return IngestResult{}, ierr
	}
	if len(r.events) == 0 {
		// Every event was a skipped recording: nothing to write.
		return IngestResult{Skipped: r.skipped}, nil
	}
	r.ctx = ctx
	r.done = make(chan outcome, 1)
	r.enqueued = time.Now()
	in.mu.Lock()
	switch {
	case in.closed:
		in.mu.Unlock()
		return IngestResult{}, &IngestError{Status: http.StatusServiceUnavailable, Code: CodeShuttingDown, RetryAfter: 2 * time.Second,
			Message: "The server is shutting down; send the events again in a moment."}
	case in.queued > 0 && in.queued+len(r.events) > in.o.QueueSize:
		// An empty queue takes any request, so a QueueSize below MaxEvents
		// cannot refuse a request for ever.
		in.mu.Unlock()
		return IngestResult{}, &IngestError{Status: http.StatusServiceUnavailable, Code: CodeQueueFull, RetryAfter: time.Second,
			Message: "Too many events are waiting to be written; send them again in a second."}
	}
	if meta.Clock != nil {
		r.at = max(meta.Clock().UnixMilli(), in.lastAt)
		in.lastAt = r.at
	}
	in.queue = append(in.queue, r)
	in.queued += len(r.events)
	signal := len(in.queue) == 1 || in.queued >= in.o.MaxBatch
	in.mu.Unlock()
	if signal {
		select {
		case in.wake <- struct{}{}:
		default:
		}
	}
	select {
	case o := <-r.done:
		if o.err == nil {
			o.res.Skipped = r.skipped
		}
		return o.res, o.err
	case <-ctx.Done():
		// The events may still be written; a resend is deduplicated.
		return IngestResult{}, &IngestError{Status: http.StatusServiceUnavailable, Code: CodeTimeout, RetryAfter: time.Second,
			Message: "The events were not written in time; send them again."}
	}
}

// Close stops accepting, drains the queue and stops the writer. It returns
// ctx's error if the writer has not finished by then.
func (in *Ingester) Close(ctx context.Context) error {
	in.mu.Lock()
	in.closed = true
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
	select {
	case <-in.done:
		return in.w.close()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the writer goroutine.
func (in *Ingester) run() {
	defer close(in.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		batch, stop := in.next(timer)
		if len(batch) > 0 {
			in.commit(batch)
		}
		if stop {
			return
		}
	}
}

// next waits for requests and takes a batch of them: whole requests, up to
// MaxBatch events (at least one request). With a positive MaxDelay and fewer
// events waiting, it first waits until the oldest has waited that long.
// stop is true once the ingester is closed and the queue is empty.
func (in *Ingester) next(timer *time.Timer) (batch []*request, stop bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.queue) == 0 {
		if in.closed {
			return nil, true
		}
		in.mu.Unlock()
		<-in.wake
		in.mu.Lock()
	}
	for in.queued < in.o.MaxBatch && !in.closed {
		wait := in.o.MaxDelay - time.Since(in.queue[0].enqueued)
		if wait <= 0 {
			break
		}
		timer.Reset(wait)
		in.mu.Unlock()
		select {
		case <-in.wake:
		case <-timer.C:
		}
		timer.Stop()
		in.mu.Lock()
	}
	n, events := 0, 0
	for n < len(in.queue) && (n == 0 || events+len(in.queue[n].events) <= in.o.MaxBatch) {
		events += len(in.queue[n].events)
		n++
	}
	batch = make([]*request, 0, n)
	for _, r := range in.queue[:n] {
		// A request whose sender gave up was answered 503 already; leaving
		// it out keeps the answer true.
		if r.ctx.Err() == nil {
			batch = append(batch, r)
		}
	}
	clear(in.queue[:n])
	in.queue = in.queue[n:]
	in.queued -= events
	if len(in.queue) == 0 {
		in.queue = nil // let the backing array go after a burst
	}
	return batch, false
}

// commit writes one batch and answers its requests.
func (in *Ingester) commit(batch []*request) {
	var fail func() error
	if f := in.testFail.Load(); f != nil {
		fail = *f
	}
	start := time.Now()
	results, err := in.w.write(batch, fail)
	in.batches.Add(1)
	in.lastFailed.Store(err != nil)
	if f := in.observer.Load(); f != nil {
		n := 0
		for _, r := range batch {
			n += len(r.events)
		}
		(*f)(BatchInfo{Requests: len(batch), Events: n, Took: time.Since(start), Err: err})
	}
	if err != nil {
		in.failed.Add(1)
		for _, r := range batch {
			r.done <- outcome{err: batchError(err)}
		}
		if IsStorageFull(err) {
			// The disk filling is logged once, when the store is marked
			// full (Store.OnStorageFull), and once when it has room again:
			// a line per batch, beside one per request, wrote thousands a
			// minute while the disk stayed full.
			in.log.Debug("ingest: batch failed", "requests", len(batch), "err", err)
			return
		}
		in.log.Error("ingest: batch failed", "requests", len(batch), "err", err)
		return
	}
	for i, r := range batch {
		in.events.Add(int64(len(r.events)))
		r.done <- outcome{res: results[i]}
	}
	// Each answer above made its request's goroutine runnable on this
	// processor. Left there, they wait while the writer goes straight back
	// into SQLite, a cgo call that holds the processor until the runtime
	// takes it back (a wake-up of another thread per batch); yielding lets
	// them run now and puts the writer in the global queue instead. In
	// paired runs of scripts/loadtest.sh this gave about 10% more events/s.
	runtime.Gosched()
}

// batchError is the answer to each request of a batch that failed with
// err. A full disk is told apart, in the words and with the wait of the
// web app's other writes on a full disk (its storage_full): retrying in a
// second, as after a lock held too long, only adds to the load until
// someone makes room.
func batchError(err error) *IngestError {
	if IsStorageFull(err) {
		return &IngestError{Status: http.StatusServiceUnavailable, Code: CodeStorageFull, RetryAfter: time.Minute,
			Message: "copylab's disk is full: nothing new can be saved until someone who runs copylab makes room on its server. Send the events again later."}
	}
	return &IngestError{Status: http.StatusServiceUnavailable, Code: CodeWriteFailed, RetryAfter: time.Second,
		Message: "The events could not be written; send them again."}
}

// IngestStats count the writer's work since NewIngester.
type IngestStats struct {
	Batches    int64 // transactions attempted
	Failed     int64 // of those, rolled back (their requests answered 503)
	Events     int64 // events in committed batches, duplicates included
	Queued     int   // events waiting for the writer now
	QueueSize  int   // events that may wait before requests are refused
	Closed     bool  // Close was called: new requests are refused
	LastFailed bool  // the latest batch was rolled back
}

// Stats returns the writer's counters, for metrics and health checks.
func (in *Ingester) Stats() IngestStats {
	in.mu.Lock()
	queued, closed := in.queued, in.closed
	in.mu.Unlock()
	return IngestStats{Batches: in.batches.Load(), Failed: in.failed.Load(), Events: in.events.Load(), Queued: queued,
		QueueSize: in.o.QueueSize, Closed: closed, LastFailed: in.lastFailed.Load()}
}

// BatchInfo describes one batch the writer attempted.
type BatchInfo struct {
	Requests, Events int
	Took             time.Duration // from the start of the transaction to its commit or rollback
	Err              error         // nil when committed
}

// SetBatchObserver has f called by the writer after every batch, committed
// or not (nil removes it). f runs on the writer goroutine: it must be quick.
func (in *Ingester) SetBatchObserver(f func(BatchInfo)) {
	if f == nil {
		in.observer.Store(nil)
		return
	}
	in.observer.Store(&f)
}

// addReason records one ignored event in a result.
func (res *IngestResult) addReason(reason string) {
	res.Ignored++
	i := sort.SearchStrings(res.Reasons, reason)
	if i < len(res.Reasons) && res.Reasons[i] == reason {
		res.ReasonCounts[i]++
		return
	}
	res.Reasons = slices.Insert(res.Reasons, i, reason)
	res.ReasonCounts = slices.Insert(res.ReasonCounts, i, 1)
}

// InjectFault has every batch run f inside its transaction, just before the
// commit; an error or a panic in f rolls the batch back as a real failure
// would. It exists for fault tests of the layers above (a disk that fills
// up, a writer that panics); nil removes it.
func (in *Ingester) InjectFault(f func() error) {
	if f == nil {
		in.testFail.Store(nil)
		return
	}
	in.testFail.Store(&f)
}
