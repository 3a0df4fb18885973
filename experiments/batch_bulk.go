package experiments

import (
	"database/sql"
	"fmt"
	"strings"
)

// The writer's bulk statements. A batch of page views touches each event
// and each visitor once, and one statement per event and per visitor spent
// more time in database/sql and cgo than in SQLite. So before the batch is
// counted, preload stores all of its new events with multi-row inserts and
// reads the rows of all its visitors with one query per chunk; flush writes
// the visitors back the same way. The counting itself (batch.apply) runs
// unchanged on what was preloaded.
//
// The new events are inserted with the seqs the batch gives them, after the
// largest stored one, and an event received before (its site and id on the
// unique index) is left out by the insert itself (on conflict do nothing).
// The connection's count of changed rows, read before and after, says
// whether every row went in, which is nearly always; only when some did not
// does the batch read back which seqs were taken. Asking first which ids
// were stored cost a query per chunk of ids on every batch, for the rare
// resend. An INSERT … RETURNING would answer directly, but SQLite gathers
// RETURNING rows in an ephemeral table whose page cache it creates and
// tears down on every execution: that cost more than the insert itself (5%
// of the process under load). The writer is the only one that writes,
// inside an immediate transaction, so nothing can come between the reads
// and the insert.
//
// Each statement exists for 1, 2, 4, … bulkMaxRows rows, prepared once with
// the others; a run of n rows is sent as the fewest such chunks.
const bulkMaxRows = 64

const (
	eventColumns = `seq, site_id, id, experiment_id, type, visitor, variant, goal, url,
		received_at, client_ts, matched, swap_ms, bot, country, device, browser, ref_domain, utm_source`
	eventParams = 19
)

// maxSeqSQL is where the batch's seqs start (after the largest stored), and
// the connection's count of changed rows so far; changesSQL reads that
// count again after the inserts.
const (
	maxSeqSQL  = `/* Ingester.write */ select coalesce(max(seq), 0), total_changes() from events`
	changesSQL = `/* Ingester.write */ select total_changes()`
	takenSQL   = `/* Ingester.write */ select seq from events where seq > ?`
)

func bulkInsertEventsSQL(n int) string {
	return `/* Ingester.write */ insert into events (` + eventColumns + `) values ` +
		placeholders(n, "("+strings.Repeat("?, ", eventParams-1)+"?)") + ` on conflict (site_id, id) do nothing`
}

func bulkVisitorsSQL(n int) string {
	return `/* Ingester.write */ select visitor, variant, state, first_at, first_seq, coalesce(converted_at, 0)
		from experiment_visitors where experiment_id = ? and visitor in (` + placeholders(n, "?") + `)`
}

func bulkPutVisitorsSQL(n int) string {
	return `/* Ingester.write */ insert into experiment_visitors (experiment_id, visitor, variant, state, first_at, first_seq, converted_at)
		values ` + placeholders(n, "(?, ?, ?, ?, ?, ?, nullif(?, 0))") + `
		on conflict (experiment_id, visitor) do update set variant = excluded.variant, state = excluded.state,
			first_at = excluded.first_at, first_seq = excluded.first_seq, converted_at = excluded.converted_at`
}

func bulkAddSegmentsSQL(n int) string {
	return `/* Ingester.write */ insert into variant_segments (experiment_id, dimension, value, variant, exposures, conversions) values ` +
		placeholders(n, "(?, ?, ?, ?, ?, ?)") + `
		on conflict (experiment_id, dimension, value, variant) do update set exposures = exposures + excluded.exposures,
			conversions = conversions + excluded.conversions`
}

func bulkAddSwapsSQL(n int) string {
	return `/* Ingester.write */ insert into variant_swap_ms (experiment_id, variant, bucket, n) values ` +
		placeholders(n, "(?, ?, ?, ?)") + `
		on conflict (experiment_id, variant, bucket) do update set n = n + excluded.n`
}

func placeholders(n int, one string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// bulkSizes are the row counts each bulk statement is prepared for.
var bulkSizes = func() []int {
	var s []int
	for n := 1; n <= bulkMaxRows; n *= 2 {
		s = append(s, n)
	}
	return s
}()

// bulkStmts are the bulk statements, indexed like bulkSizes.
type bulkStmts struct {
	maxSeq, changes, taken                                     *sql.Stmt
	insertEvents, visitors, putVisitors, addSwaps, addSegments []*sql.Stmt
}

func (st *bulkStmts) prepare(db *sql.DB) error {
	for _, k := range []struct {
		dst   **sql.Stmt
		query string
	}{{&st.maxSeq, maxSeqSQL}, {&st.changes, changesSQL}, {&st.taken, takenSQL}} {
		s, err := db.Prepare(k.query)
		if err != nil {
			return fmt.Errorf("experiments: ingest: prepare: %w", err)
		}
		*k.dst = s
	}
	for _, k := range []struct {
		dst   *[]*sql.Stmt
		query func(int) string
	}{{&st.insertEvents, bulkInsertEventsSQL}, {&st.visitors, bulkVisitorsSQL},
		{&st.putVisitors, bulkPutVisitorsSQL}, {&st.addSwaps, bulkAddSwapsSQL}, {&st.addSegments, bulkAddSegmentsSQL}} {
		for _, n := range bulkSizes {
			s, err := db.Prepare(k.query(n))
			if err != nil {
				return fmt.Errorf("experiments: ingest: prepare: %w", err)
			}
			*k.dst = append(*k.dst, s)
		}
	}
	return nil
}

func (st *bulkStmts) close() error {
	var first error
	for _, s := range []**sql.Stmt{&st.maxSeq, &st.changes, &st.taken} {
		if *s != nil {
			if err := (*s).Close(); err != nil && first == nil {
				first = err
			}
			*s = nil
		}
	}
	for _, list := range []*[]*sql.Stmt{&st.insertEvents, &st.visitors, &st.putVisitors, &st.addSwaps, &st.addSegments} {
		for _, s := range *list {
			if err := s.Close(); err != nil && first == nil {
				first = err
			}
		}
		*list = nil
	}
	return first
}

// chunk returns the largest prepared size not above n (n ≥ 1) and the
// index of its statement.
func chunk(n int) (size, index int) {
	size, index = 1, 0
	for index+1 < len(bulkSizes) && bulkSizes[index+1] <= n {
		index++
		size = bulkSizes[index]
	}
	return size, index
}

// eventKey identifies a stored event: ids are unique per site.
type eventKey struct {
	site string
	id   [16]byte
}

// pending is an event of a request that preload will store.
type pending struct {
	r *request
	e *event
}

// preload stores every new event of the batch that has somewhere to go (its
// experiment exists and it is not a recording), in request order, and reads
// the rows of the visitors the counting will look at. It fills b.inserted
// (the seq of each newly stored event, taken by insert) and b.visitors.
func (b *batch) preload(reqs []*request) error {
	b.inserted = map[eventKey]int64{}
	var evs []pending
	visitors := map[string][]any{} // experiment → visitors to read
	for _, r := range reqs {
		for i := range r.events {
			e := &r.events[i]
			x, err := b.exp(e.experiment)
			if err != nil {
				return err
			}
			if !x.exists || e.rec != nil {
				continue
			}
			k := eventKey{r.siteID, e.id}
			if _, seen := b.inserted[k]; seen {
				continue // the same id twice in the batch: the first is stored
			}
			b.inserted[k] = 0 // not stored yet; the insert below gives it its seq
			evs = append(evs, pending{r, e})
			// The counting reads the visitors of a running experiment, and
			// those a bot's event marks while it is not (whileNotRunning).
			vk := visitorKey{e.experiment, r.visitor}
			if _, seen := b.visitors[vk]; (x.running || x.flagsWhileNotRunning(r, e)) && !seen {
				b.visitors[vk] = nil // no row, unless the query finds one
				visitors[e.experiment] = append(visitors[e.experiment], r.visitor)
			}
		}
	}

	if len(evs) == 0 {
		return b.readVisitors(visitors)
	}
	var seq, before int64
	if err := b.tx.Stmt(b.bulk.maxSeq).QueryRowContext(b.ctx).Scan(&seq, &before); err != nil {
		return fmt.Errorf("experiments: ingest: insert events: %w", err)
	}
	first := seq
	rows := make([]any, 0, len(evs)*eventParams)
	for _, p := range evs {
		r, e := p.r, p.e
		typ, matched, bot := EventConversion, any(nil), r.bot
		country, device, browser := "", "", ""
		if e.exposure {
			typ, matched, bot = EventExposure, e.matched, r.bot || r.uaBot
			country, device, browser = r.country, r.device, r.browser
		}
		seq++
		b.inserted[eventKey{r.siteID, e.id}] = seq
		rows = append(rows, seq, r.siteID, e.id[:], e.experiment, typ, r.visitor, e.variant, e.goal, e.url,
			r.at, optional(e.clientTS), matched, optional(e.swapMS), bot, country, device, browser, e.refDomain, e.utm)
	}
	if err := b.execRows(b.bulk.insertEvents, eventParams, rows); err != nil {
		return fmt.Errorf("experiments: ingest: insert events: %w", err)
	}
	var after int64
	if err := b.tx.Stmt(b.bulk.changes).QueryRowContext(b.ctx).Scan(&after); err != nil {
		return fmt.Errorf("experiments: ingest: insert events: %w", err)
	}
	if after-before < int64(len(evs)) {
		if err := b.dropReceivedBefore(evs, first); err != nil {
			return err
		}
	}
	return b.readVisitors(visitors)
}

// dropReceivedBefore finds the events of evs the insert left out, having
// received them before, by the seqs that were not taken (after first), and
// forgets their seqs: takeSeq answers 0 for them, so they are not counted.
func (b *batch) dropReceivedBefore(evs []pending, first int64) error {
	taken := map[int64]bool{}
	rows, err := b.tx.Stmt(b.bulk.taken).QueryContext(b.ctx, first)
	if err != nil {
		return fmt.Errorf("experiments: ingest: insert events: %w", err)
	}
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return fmt.Errorf("experiments: ingest: insert events: %w", err)
		}
		taken[seq] = true
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("experiments: ingest: insert events: %w", err)
	}
	for _, p := range evs {
		k := eventKey{p.r.siteID, p.e.id}
		if !taken[b.inserted[k]] {
			delete(b.inserted, k)
		}
	}
	return nil
}

// readVisitors reads into b.visitors the rows of the given visitors, listed
// by experiment; the caller has put a nil entry for each (no row), which
// a row found replaces.
func (b *batch) readVisitors(visitors map[string][]any) error {
	for exp, list := range visitors {
		err := b.queryIn(b.bulk.visitors, exp, list, func(rows *sql.Rows) error {
			var visitor string
			v := &visitorState{}
			if err := rows.Scan(&visitor, &v.variant, &v.state, &v.firstAt, &v.firstSeq, &v.convAt); err != nil {
				return err
			}
			b.visitors[visitorKey{exp, visitor}] = v
			return nil
		})
		if err != nil {
			return fmt.Errorf("experiments: ingest: visitors: %w", err)
		}
	}
	return nil
}

// queryIn runs a bulk query whose first argument is lead and whose IN list
// holds vals, in the fewest prepared chunks, and hands each row to scan.
func (b *batch) queryIn(stmts []*sql.Stmt, lead any, vals []any, scan func(*sql.Rows) error) error {
	args := make([]any, 0, 1+min(len(vals), bulkMaxRows))
	for len(vals) > 0 {
		n, idx := chunk(len(vals))
		args = append(append(args[:0], lead), vals[:n]...)
		rows, err := b.tx.Stmt(stmts[idx]).QueryContext(b.ctx, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}

// takeSeq returns the seq preload stored an event under, or 0 when the
// event was not new: stored by an earlier batch, or by an earlier event of
// this one with the same id (the first to ask takes it).
func (b *batch) takeSeq(site string, id [16]byte) int64 {
	k := eventKey{site, id}
	seq := b.inserted[k]
	if seq != 0 {
		delete(b.inserted, k)
	}
	return seq
}

// putVisitors writes back every visitor row the batch changed.
func (b *batch) putVisitors() error {
	var args []any
	for k, v := range b.visitors {
		if v != nil && v.dirty {
			args = append(args, k.exp, k.visitor, v.variant, v.state, v.firstAt, v.firstSeq, v.convAt)
		}
	}
	if err := b.execRows(b.bulk.putVisitors, 7, args); err != nil {
		return fmt.Errorf("experiments: ingest: put visitors: %w", err)
	}
	return nil
}

// execRows runs a bulk statement over args, rows of width values each, in
// the fewest prepared chunks.
func (b *batch) execRows(stmts []*sql.Stmt, width int, args []any) error {
	for len(args) > 0 {
		n, idx := chunk(len(args) / width)
		if err := execFused(b.ctx, b.tx.Stmt(stmts[idx]), args[:n*width]...); err != nil {
			return err
		}
		args = args[n*width:]
	}
	return nil
}

// putSwaps adds the batch's swap-time histogram counts: a page view's swap
// time lands in one of some 330 buckets, so a batch of page views touches
// dozens of rows.
func (b *batch) putSwaps() error {
	args := make([]any, 0, len(b.swaps)*4)
	for k, c := range b.swaps {
		args = append(args, k.exp, k.variant, k.bucket, c)
	}
	if err := b.execRows(b.bulk.addSwaps, 4, args); err != nil {
		return fmt.Errorf("experiments: ingest: swap times: %w", err)
	}
	return nil
}
