package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
)

// msPerDay turns server milliseconds into UTC days since 1970-01-01.
const msPerDay = 86_400_000

// Visitor states in experiment_visitors.state.
//
// A visitor seen as a bot before any matched exposure (a "bot": true
// conversion, a bot's matched:false exposure, or any bot event while the
// experiment is paused) gets a visitorBot row with no variant (""), so that
// nothing they send later is counted: a bot is a bot for the whole
// experiment. Such a row is not in the Bots count, which counts visitors
// with a counted matched exposure, until one arrives; the row then takes
// that exposure's variant. Every reader that leaves bots out (state
// 2) leaves these rows out too, and no variant key is "" (validate.go), so
// they need no state or migration of their own.
const (
	visitorCounted  = 0
	visitorMultiple = 1
	visitorBot      = 2
)

// The statements of one batch, prepared once on the writer connection.
// They run with context.Background(): go-sqlite3 starts a goroutine per
// statement to watch a cancellable context, and a batch is never cancelled
// halfway anyway.
//
// Events are inserted and visitor rows read and written back in bulk, by
// the statements of batch_bulk.go.
var batchSQL = struct {
	markIgnored, experiment, visitor, addVariant, addDay, addExcluded string
}{
	markIgnored: `/* Ingester.write */ update events set ignored = ? where seq = ?`,
	experiment:  `/* Ingester.write */ select status, goal_type, goal_value, coalesce(ended_at, 0) from experiments where id = ?`,
	visitor: `/* Ingester.write */ select variant, state, first_at, first_seq, coalesce(converted_at, 0)
		from experiment_visitors where experiment_id = ? and visitor = ?`,
	addVariant: `/* Ingester.write */ insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed)
		values (?, ?, ?, ?, ?, ?)
		on conflict (experiment_id, variant) do update set exposures = exposures + excluded.exposures,
			conversions = conversions + excluded.conversions, applied = applied + excluded.applied, missed = missed + excluded.missed`,
	addDay: `/* Ingester.write */ insert into variant_days (experiment_id, day, variant, exposures, conversions)
		values (?, ?, ?, ?, ?)
		on conflict (experiment_id, day, variant) do update set exposures = exposures + excluded.exposures,
			conversions = conversions + excluded.conversions`,
	addExcluded: `/* Ingester.write */ insert into experiment_excluded (experiment_id, multiple_variants, bots)
		values (?, ?, ?)
		on conflict (experiment_id) do update set multiple_variants = multiple_variants + excluded.multiple_variants,
			bots = bots + excluded.bots`,
}

// batchWriter owns the prepared statements of the writer goroutine.
type batchWriter struct {
	s     *Store
	stmts struct {
		markIgnored, experiment, visitor, addVariant, addDay, addExcluded *sql.Stmt
	}
	seg      segmentStmts   // segments and health days (segments.go)
	rec      recordingStmts // recorded sessions (recordings.go)
	bulk     bulkStmts      // multi-row statements (batch_bulk.go)
	segSets  segValueSets   // values kept per dimension (segments.go)
	ties     tieConvs       // the conversions of the last batch's last millisecond
	prepared bool
}

// tieConvs are a person's conversions of the latest millisecond of server
// time the writer has applied, by visitor, with the reasons stored for them.
// Within a millisecond, exposures (and bots' marks) come before
// conversions (batch.count); an exposure or mark of that same millisecond
// in a later batch belongs before them too. So when one comes, the batch
// takes back what the visitor's held conversions did, applies it, and then
// counts them again (batch.takeBackTies, redoTies), as if all had come in
// one batch: a conversion sent just before its exposure counts, and one
// counted just before its visitor's second variant or bot's mark of the
// same millisecond does not. With server time read at queueing
// (RequestMeta.Clock), later requests never have an earlier time, so only
// the latest millisecond can still change; this holds the conversions of
// one millisecond at most.
type tieConvs map[visitorKey]*tieConv

type tieConv struct {
	at    int64
	convs []heldConv // in the order stored
}

// heldConv is one conversion of a tieConv: its seq, and the reason stored
// for it ("" counted).
type heldConv struct {
	seq    int64
	reason string
}

// clone returns a copy of t that shares nothing with it.
func (t tieConvs) clone() tieConvs {
	c := make(tieConvs, len(t))
	for k, tc := range t {
		c[k] = &tieConv{at: tc.at, convs: slices.Clone(tc.convs)}
	}
	return c
}

func newBatchWriter(s *Store) *batchWriter { return &batchWriter{s: s} }

func (w *batchWriter) prepare() error {
	if w.prepared {
		return nil
	}
	st := &w.stmts
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.markIgnored, batchSQL.markIgnored}, {&st.experiment, batchSQL.experiment},
		{&st.visitor, batchSQL.visitor}, {&st.addVariant, batchSQL.addVariant},
		{&st.addDay, batchSQL.addDay}, {&st.addExcluded, batchSQL.addExcluded},
	} {
		s, err := w.s.w.Prepare(p.q)
		if err != nil {
			w.close()
			return fmt.Errorf("experiments: ingest: prepare: %w", err)
		}
		*p.dst = s
	}
	if err := w.seg.prepare(w.s.w); err != nil {
		w.close()
		return err
	}
	if err := w.rec.prepare(w.s.w); err != nil {
		w.close()
		return err
	}
	if err := w.bulk.prepare(w.s.w); err != nil {
		w.close()
		return err
	}
	w.prepared = true
	return nil
}

func (w *batchWriter) close() error {
	var errs []error
	st := &w.stmts
	for _, s := range []**sql.Stmt{&st.markIgnored, &st.experiment, &st.visitor,
		&st.addVariant, &st.addDay, &st.addExcluded} {
		if *s != nil {
			errs = append(errs, (*s).Close())
			*s = nil
		}
	}
	errs = append(errs, w.seg.close(), w.rec.close(), w.bulk.close())
	w.prepared = false
	return errors.Join(errs...)
}

// write applies a batch of requests in one immediate transaction and returns
// one result per request. On any error or panic nothing of the batch is kept.
// fail, when not nil, runs just before the commit (a test hook).
func (w *batchWriter) write(reqs []*request, fail func() error) (results []IngestResult, err error) {
	if err := w.prepare(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	tx, err := w.s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("experiments: ingest: begin: %w", err)
	}
	// The ties as earlier, committed batches left them: a failed batch
	// puts them back (its own conversions were never committed, and the
	// earlier ones' exposure may still come in their millisecond).
	tiesBefore := w.ties.clone()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("experiments: ingest: panic: %v\n%s", p, debug.Stack())
		}
		if err != nil {
			tx.Rollback()
			results = nil
			clear(w.segSets) // it may hold values of the rolled-back batch
			w.ties = tiesBefore
		}
	}()
	b := w.newBatch(tx)
	if w.segSets == nil {
		w.segSets = segValueSets{}
	}
	b.segSets = w.segSets
	if w.ties == nil {
		w.ties = tieConvs{}
	}
	b.ties, b.lastAt = w.ties, reqs[len(reqs)-1].at
	if err := b.preload(reqs); err != nil {
		return nil, err
	}
	results = make([]IngestResult, len(reqs))
	// Requests of one server millisecond are applied together (apply), so
	// that their exposures come before their conversions (count).
	for start := 0; start < len(reqs); {
		end := start + 1
		for end < len(reqs) && reqs[end].at == reqs[start].at {
			end++
		}
		if err := b.apply(reqs[start:end], results[start:end]); err != nil {
			return nil, err
		}
		start = end
	}
	if err := b.flush(); err != nil {
		return nil, err
	}
	b.keepTies()
	if fail != nil {
		if err := fail(); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("experiments: ingest: commit: %w", err)
	}
	return results, nil
}

// newBatch returns an empty batch on tx, with the writer's statements
// bound to it. (A recount, recount.go, runs its batches on its own
// transaction.)
func (w *batchWriter) newBatch(tx *sql.Tx) *batch {
	b := &batch{
		ctx:      context.Background(),
		exps:     map[string]*batchExp{},
		visitors: map[visitorKey]*visitorState{},
		variants: map[variantKey]*variantDelta{},
		days:     map[dayKey]*dayDelta{},
		excluded: map[string]*excludedDelta{},
		swaps:    map[swapKey]int64{},
	}
	st := &w.stmts
	b.markIgnored, b.experiment, b.visitor = tx.Stmt(st.markIgnored), tx.Stmt(st.experiment), tx.Stmt(st.visitor)
	b.addVariant, b.addDay, b.addExcluded = tx.Stmt(st.addVariant), tx.Stmt(st.addDay), tx.Stmt(st.addExcluded)
	b.seg = w.seg.bind(tx)
	b.recording = w.rec.bind(tx)
	b.bulk, b.tx = &w.bulk, tx
	return b
}

type visitorKey struct{ exp, visitor string }

type variantKey struct{ exp, variant string }

type dayKey struct {
	exp     string
	day     int64
	variant string
}

type swapKey struct {
	exp, variant string
	bucket       int
}

// visitorState is one experiment_visitors row as the batch sees it.
type visitorState struct {
	variant  string
	state    int
	firstAt  int64
	firstSeq int64
	convAt   int64 // 0 until a conversion counted
	dirty    bool
	// Segments (segments.go): the first exposure's values when this batch
	// saw it (else nil, looked up by firstSeq when needed), and the net
	// change this batch makes to the visitor's segment counts.
	seg             *segValues
	segExp, segConv int64
}

type variantDelta struct{ exposures, conversions, applied, missed int64 }

type dayDelta struct{ exposures, conversions int64 }

type excludedDelta struct{ multiple, bots int64 }

type batchExp struct {
	exists  bool
	running bool
	endedAt int64 // server time of the stop, ms; 0 until it stops
	goal    Goal
}

// flagsWhileNotRunning tells whether an event that came while its
// experiment was not running still marks its visitor as a bot
// (batch.whileNotRunning): it is a bot's event, exactly as countExposure
// and countConversion judge one (a "bot": true body; for an exposure also
// a bot's user agent), and its server time is before the stop, if any. A
// stop is final: no count can follow it for a mark to keep clean, so a
// mark after it would only rewrite the final results. The event's time
// decides, not the status its batch read, so that a recount decides alike
// from what was stored: an event received before the stop and written
// after it marks its bot, as it would have a moment earlier.
func (x *batchExp) flagsWhileNotRunning(r *request, e *event) bool {
	if x.endedAt != 0 && r.at >= x.endedAt {
		return false
	}
	return r.bot || (e.exposure && r.uaBot)
}

// batch is the state of one transaction: visitor rows read so far (written
// back once at the end) and the deltas for the aggregate tables.
type batch struct {
	ctx context.Context

	markIgnored, experiment, visitor, addVariant, addDay, addExcluded *sql.Stmt

	exps      map[string]*batchExp
	visitors  map[visitorKey]*visitorState // nil value: no row
	variants  map[variantKey]*variantDelta
	days      map[dayKey]*dayDelta
	excluded  map[string]*excludedDelta
	swaps     map[swapKey]int64
	seg       *segmentBatch
	recording recordingBatch // stores recorded sessions (recordings.go)

	// Bulk work (batch_bulk.go): the statements, and the seq of each event
	// preload stored, until insert takes it.
	bulk     *bulkStmts
	tx       *sql.Tx
	inserted map[eventKey]int64
	segSets  segValueSets
	// counted are the visitors this batch counted by their first exposure,
	// in the order counted (that of their first_seq): flushSegments gives
	// their values rows in that order (segments.go).
	counted []countedVisitor

	// ties are the writer's (batchWriter.ties), and lastAt the server time
	// of the batch's last request.
	ties   tieConvs
	lastAt int64

	// marks, when not nil, collects why each event was not counted (by
	// seq, "" counted) instead of storing it: a recount writes only the
	// reasons that changed.
	marks map[int64]string
	// notRunning, in a recount, holds the seqs of the events stored as
	// experiment_not_running, which it replays as such; the writer leaves
	// it nil and goes by the experiment's status.
	notRunning map[int64]bool
}

// apply stores the events of requests that share one server time and
// counts the new ones (count); results are the requests' results, in order.
func (b *batch) apply(reqs []*request, results []IngestResult) error {
	n := 0
	for _, r := range reqs {
		n += len(r.events)
	}
	seqs := make([]int64, n) // per event of reqs, in order; 0: not newly stored
	at := 0
	for k, r := range reqs {
		res := &results[k]
		for i := range r.events {
			e := &r.events[i]
			x, err := b.exp(e.experiment)
			if err != nil {
				return err
			}
			if !x.exists {
				// Deleted after the request was validated: nothing to store it
				// under, and nothing would ever show it.
				res.addReason(ReasonDeleted)
				continue
			}
			if e.rec != nil {
				// A recorded session goes to its own table, never counted.
				if err := b.record(r, e, res); err != nil {
					return err
				}
				continue
			}
			seq, err := b.insert(r, e)
			if err != nil {
				return err
			}
			if seq == 0 {
				res.Duplicates++
				continue
			}
			res.Stored++
			seqs[at+i] = seq
		}
		at += len(r.events)
	}
	return b.count(reqs, seqs, results)
}

// count counts the newly stored events of requests that share one server
// time, seqs[i] being the seq of their i-th event (0: not newly stored), in
// two passes: first every exposure and every bot's conversion, then every
// other conversion, each in the order sent. A conversion counts at or after
// the visitor's first exposure (statistics.md), so one sent in the same
// millisecond as that exposure counts whichever came first, within one
// request or across requests. A bot's conversion is never counted: it only
// marks its visitor, and it does so where it came, among the exposures, so
// that what an exposure is stored as never depends on which batch brought
// a mark of its millisecond. The conversions of this millisecond that
// earlier batches counted (tieConvs) are taken back before the first pass
// and counted again before the second, as if they had come in this batch.
func (b *batch) count(reqs []*request, seqs []int64, results []IngestResult) error {
	redo, err := b.takeBackTies(reqs, seqs)
	if err != nil {
		return err
	}
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			if err := b.redoTies(redo); err != nil {
				return err
			}
		}
		at := 0
		for k, r := range reqs {
			for i := range r.events {
				e, seq := &r.events[i], seqs[at+i]
				if seq == 0 || firstPass(r, e) != (pass == 0) {
					continue
				}
				var reason string
				var err error
				switch x := b.exps[e.experiment]; {
				case !x.running || b.notRunning[seq]:
					reason, err = ReasonNotRunning, b.whileNotRunning(r, e, x, seq)
				case e.exposure:
					reason, err = b.countExposure(r, e, seq)
				default:
					reason, err = b.countConversion(r, e, x, seq)
				}
				if err != nil {
					return err
				}
				if reason != "" {
					results[k].addReason(reason)
					if err := b.mark(seq, reason); err != nil {
						return err
					}
				}
			}
			at += len(r.events)
		}
	}
	return nil
}

// firstPass tells whether count takes an event in its first pass: an
// exposure, or a bot's conversion, which only marks its visitor.
func firstPass(r *request, e *event) bool { return e.exposure || r.bot }

// mark stores why the event at seq was not counted ("": it was).
func (b *batch) mark(seq int64, reason string) error {
	if b.marks != nil {
		b.marks[seq] = reason
		return nil
	}
	if err := execFused(b.ctx, b.markIgnored, reason, seq); err != nil {
		return fmt.Errorf("experiments: ingest: mark ignored: %w", err)
	}
	return nil
}

// insert returns the seq an event was stored under by preload, or 0 when
// its id was already stored for the site.
func (b *batch) insert(r *request, e *event) (int64, error) {
	return b.takeSeq(r.siteID, e.id), nil
}

func optional(v int64) any {
	if v < 0 {
		return nil
	}
	return v
}

func (b *batch) exp(id string) (*batchExp, error) {
	if x, ok := b.exps[id]; ok {
		return x, nil
	}
	var status, goalType, goalValue string
	var endedAt int64
	err := b.experiment.QueryRowContext(b.ctx, id).Scan(&status, &goalType, &goalValue, &endedAt)
	x := &batchExp{exists: err == nil, running: Status(status) == StatusRunning, endedAt: endedAt, goal: GoalOf(goalType, goalValue)}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("experiments: ingest: experiment %s: %w", id, err)
	}
	b.exps[id] = x
	return x, nil
}

// loadVisitor returns the visitor's row, or nil when they have none.
func (b *batch) loadVisitor(exp, visitor string) (*visitorState, error) {
	k := visitorKey{exp, visitor}
	if v, ok := b.visitors[k]; ok {
		return v, nil
	}
	v := &visitorState{}
	err := b.visitor.QueryRowContext(b.ctx, exp, visitor).Scan(&v.variant, &v.state, &v.firstAt, &v.firstSeq, &v.convAt)
	if errors.Is(err, sql.ErrNoRows) {
		v, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("experiments: ingest: visitor: %w", err)
	}
	b.visitors[k] = v
	return v, nil
}

func (b *batch) newVisitor(exp, visitor string, v *visitorState) {
	v.dirty = true
	b.visitors[visitorKey{exp, visitor}] = v
}

func (b *batch) variant(exp, key string) *variantDelta {
	k := variantKey{exp, key}
	d := b.variants[k]
	if d == nil {
		d = &variantDelta{}
		b.variants[k] = d
	}
	return d
}

func (b *batch) day(exp string, at int64, key string) *dayDelta {
	k := dayKey{exp, at / msPerDay, key}
	d := b.days[k]
	if d == nil {
		d = &dayDelta{}
		b.days[k] = d
	}
	return d
}

func (b *batch) excl(exp string) *excludedDelta {
	d := b.excluded[exp]
	if d == nil {
		d = &excludedDelta{}
		b.excluded[exp] = d
	}
	return d
}

// moveOut takes a counted visitor out of their variant: their exposure (on
// the day of their first exposure) and their conversion (on its day).
func (b *batch) moveOut(exp string, v *visitorState) {
	b.variant(exp, v.variant).exposures--
	b.day(exp, v.firstAt, v.variant).exposures--
	v.segExp--
	if v.convAt != 0 {
		b.variant(exp, v.variant).conversions--
		b.day(exp, v.convAt, v.variant).conversions--
		v.segConv--
	}
}

// flagBot marks a visitor with a row as a bot, moving them out of whatever
// they were counted in.
func (b *batch) flagBot(exp string, v *visitorState) {
	switch v.state {
	case visitorBot:
		return
	case visitorCounted:
		b.moveOut(exp, v)
	case visitorMultiple:
		b.excl(exp).multiple--
	}
	b.excl(exp).bots++
	v.state = visitorBot
	v.dirty = true
}

// seenBot applies an event that shows the visitor is a bot but is not a
// matched exposure (a bot's conversion or matched:false exposure): a visitor
// with a row is flagged, and one without gets a bot row with no variant yet
// (see visitorBot), so that they are never counted later.
func (b *batch) seenBot(r *request, exp string, seq int64) error {
	v, err := b.loadVisitor(exp, r.visitor)
	if err != nil {
		return err
	}
	if v == nil {
		b.newVisitor(exp, r.visitor, &visitorState{state: visitorBot, firstAt: r.at, firstSeq: seq})
		return nil
	}
	b.flagBot(exp, v)
	return nil
}

// firstExposure gives a bot row without a variant (see visitorBot) its
// first matched exposure, which puts the visitor in the Bots count.
func (b *batch) firstExposure(r *request, e *event, seq int64, v *visitorState) {
	v.variant, v.firstAt, v.firstSeq, v.dirty = e.variant, r.at, seq, true
	b.excl(e.experiment).bots++
}

// whileNotRunning applies a newly stored event that came while its
// experiment was paused or stopped. It is never counted (ReasonNotRunning),
// but a bot's event before the stop marks the visitor as a bot, as it would
// while the experiment runs (seenBot: a counted visitor is taken out, one
// without a row gets a bot row without a variant), so that a bot seen only
// during a pause is not counted once the experiment resumes. A person's
// events leave no trace: an exposure during a pause must not make a variant
// theirs, nor make a visitor who sees another one later "multiple".
func (b *batch) whileNotRunning(r *request, e *event, x *batchExp, seq int64) error {
	if !x.flagsWhileNotRunning(r, e) {
		return nil
	}
	return b.seenBot(r, e.experiment, seq)
}

// countExposure applies a newly stored exposure of a running experiment
// and returns why it was not counted, or "".
func (b *batch) countExposure(r *request, e *event, seq int64) (string, error) {
	if r.bot || r.uaBot {
		if !e.matched {
			return ReasonBot, b.seenBot(r, e.experiment, seq)
		}
		v, err := b.loadVisitor(e.experiment, r.visitor)
		if err != nil {
			return "", err
		}
		switch {
		case v == nil:
			b.newVisitor(e.experiment, r.visitor, &visitorState{variant: e.variant, state: visitorBot, firstAt: r.at, firstSeq: seq})
			b.excl(e.experiment).bots++
		case v.state == visitorBot && v.variant == "":
			b.firstExposure(r, e, seq, v)
		default:
			b.flagBot(e.experiment, v)
		}
		return ReasonBot, nil
	}
	vd := b.variant(e.experiment, e.variant)
	if !e.matched {
		vd.missed++
		b.healthDay(e.experiment, r.at, e.variant).missed++
		return ReasonNotMatched, nil
	}
	vd.applied++
	b.healthDay(e.experiment, r.at, e.variant).applied++
	if e.swapMS >= 0 {
		b.swaps[swapKey{e.experiment, e.variant, swapBucket(e.swapMS)}]++
	}
	v, err := b.loadVisitor(e.experiment, r.visitor)
	if err != nil {
		return "", err
	}
	switch {
	case v == nil:
		v = &visitorState{variant: e.variant, state: visitorCounted, firstAt: r.at, firstSeq: seq, seg: segValuesOf(r, e), segExp: 1}
		b.newVisitor(e.experiment, r.visitor, v)
		b.counted = append(b.counted, countedVisitor{e.experiment, v})
		vd.exposures++
		b.day(e.experiment, r.at, e.variant).exposures++
	case v.state == visitorBot:
		if v.variant == "" {
			b.firstExposure(r, e, seq, v)
		}
		return ReasonBot, nil
	case v.state == visitorMultiple:
		return ReasonMultipleVariants, nil
	case v.variant != e.variant:
		b.moveOut(e.experiment, v)
		b.excl(e.experiment).multiple++
		v.state = visitorMultiple
		v.dirty = true
		return ReasonMultipleVariants, nil
	}
	return "", nil
}

// countConversion applies a newly stored conversion of the running
// experiment x and returns why it was not counted, or "".
func (b *batch) countConversion(r *request, e *event, x *batchExp, seq int64) (string, error) {
	if r.bot {
		return ReasonBot, b.seenBot(r, e.experiment, seq)
	}
	if !goalMatches(x.goal, e.goal) {
		return ReasonGoalMismatch, nil
	}
	v, err := b.loadVisitor(e.experiment, r.visitor)
	if err != nil {
		return "", err
	}
	reason := b.convert(e.experiment, v, r.at)
	if r.at == b.lastAt && reason != ReasonBot {
		// A later batch may bring an exposure or a mark of this same
		// millisecond (tieConvs). A bot is a bot for good: nothing can
		// change what its conversion is stored as.
		k := visitorKey{e.experiment, r.visitor}
		t := b.ties[k]
		if t == nil {
			t = &tieConv{at: r.at}
			b.ties[k] = t
		}
		t.convs = append(t.convs, heldConv{seq, reason})
	}
	return reason, nil
}

// convert applies a person's conversion of the experiment's goal at server
// time at to the visitor's row v (nil: none) and returns why it was not
// counted, or "".
func (b *batch) convert(exp string, v *visitorState, at int64) string {
	switch {
	case v == nil:
		return ReasonNoExposure
	case v.state == visitorBot:
		return ReasonBot
	case v.state == visitorMultiple:
		return ReasonMultipleVariants
	case at < v.firstAt:
		return ReasonBeforeExposure
	case v.convAt != 0:
		return ReasonAlreadyConverted
	}
	v.convAt = at
	v.dirty = true
	v.segConv++
	b.variant(exp, v.variant).conversions++
	b.day(exp, at, v.variant).conversions++
	return ""
}

// takeBackTies finds the visitors that the first pass of count will
// touch (by an exposure or a bot's conversion) and that have conversions
// of the same millisecond held from earlier batches (tieConvs), and takes
// back the conversion that counted, if one did: in one batch, it would
// have come after this millisecond's exposures and marks. It returns those
// visitors, for redoTies. It costs nothing unless conversions of this
// millisecond are held.
func (b *batch) takeBackTies(reqs []*request, seqs []int64) ([]visitorKey, error) {
	if len(b.ties) == 0 {
		return nil, nil
	}
	at := reqs[0].at
	held := false
	for _, t := range b.ties {
		if t.at == at {
			held = true
			break
		}
	}
	if !held {
		return nil, nil
	}
	var redo []visitorKey
	seen := map[visitorKey]bool{}
	i := 0
	for _, r := range reqs {
		for j := range r.events {
			e, seq := &r.events[j], seqs[i+j]
			if seq == 0 || !firstPass(r, e) {
				continue
			}
			k := visitorKey{e.experiment, r.visitor}
			t := b.ties[k]
			if t == nil || t.at != at || seen[k] {
				continue
			}
			seen[k] = true
			redo = append(redo, k)
			if !slices.ContainsFunc(t.convs, func(c heldConv) bool { return c.reason == "" }) {
				continue
			}
			v, err := b.loadVisitor(k.exp, k.visitor)
			if err != nil {
				return nil, err
			}
			// Nothing but this millisecond's first pass comes between the
			// held conversions and now, and it has not begun.
			if v != nil && v.state == visitorCounted && v.convAt == at {
				v.convAt = 0
				v.dirty = true
				v.segConv--
				b.variant(k.exp, v.variant).conversions--
				b.day(k.exp, at, v.variant).conversions--
			}
		}
		i += len(r.events)
	}
	return redo, nil
}

// redoTies counts again, in the order stored, the held conversions of the
// visitors takeBackTies took them back from, once the millisecond's first
// pass is over, and stores the reasons that changed. Their requests were
// answered already.
func (b *batch) redoTies(redo []visitorKey) error {
	for _, k := range redo {
		t := b.ties[k]
		v, err := b.loadVisitor(k.exp, k.visitor)
		if err != nil {
			return err
		}
		for i := range t.convs {
			c := &t.convs[i]
			reason := b.convert(k.exp, v, t.at)
			if reason == c.reason {
				continue
			}
			if err := b.mark(c.seq, reason); err != nil {
				return err
			}
			c.reason = reason
		}
		if v != nil && v.state == visitorBot {
			delete(b.ties, k) // a bot for good: nothing changes them again
		}
	}
	return nil
}

// keepTies keeps, after the batch, only the conversions of its last
// millisecond: later batches can no longer bring an exposure or a mark at
// or before the others.
func (b *batch) keepTies() {
	for k, t := range b.ties {
		if t.at != b.lastAt {
			delete(b.ties, k)
		}
	}
}

// goalMatches tells whether a conversion's goal is the experiment's: the
// snippet sends "click" for a click goal and "pageview" for a page goal (it
// knows the goal's selector and URL), and the event's name for custom goals.
func goalMatches(g Goal, sent string) bool {
	switch g.Type {
	case GoalClick:
		return sent == GoalClick
	case GoalPageview:
		return sent == GoalPageview
	default:
		return sent == g.Name
	}
}

// flush writes the touched visitor rows and the aggregate deltas.
func (b *batch) flush() error {
	if err := b.putVisitors(); err != nil {
		return err
	}
	for k, d := range b.variants {
		if *d == (variantDelta{}) {
			continue
		}
		if err := execFused(b.ctx, b.addVariant, k.exp, k.variant, d.exposures, d.conversions, d.applied, d.missed); err != nil {
			return fmt.Errorf("experiments: ingest: variant counts: %w", err)
		}
	}
	for k, d := range b.days {
		if *d == (dayDelta{}) {
			continue
		}
		if err := execFused(b.ctx, b.addDay, k.exp, k.day, k.variant, d.exposures, d.conversions); err != nil {
			return fmt.Errorf("experiments: ingest: day counts: %w", err)
		}
	}
	for exp, d := range b.excluded {
		if *d == (excludedDelta{}) {
			continue
		}
		if err := execFused(b.ctx, b.addExcluded, exp, d.multiple, d.bots); err != nil {
			return fmt.Errorf("experiments: ingest: excluded counts: %w", err)
		}
	}
	if err := b.putSwaps(); err != nil {
		return err
	}
	return b.flushSegments()
}

// execFused runs a statement that returns no rows through Query rather
// than Exec: go-sqlite3 binds a query's arguments and takes its first step
// in one cgo crossing, while Exec crosses once per argument, and a
// multi-row insert of 64 events has 1,216 of them. (In process this cut
// the writer's CPU per event by about a fifth.)
func execFused(ctx context.Context, st *sql.Stmt, args ...any) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
