package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A recount rebuilds an experiment's counting tables from its stored
// events, with the counting rules of today: data counted before a rule
// changed (a visitor flagged a bot before their exposure, a conversion in
// its exposure's millisecond) is counted as new data is.
//
// It replays the events through the writer's own counting code (batch.count
// and batch.flush), not a second implementation of the rules, in order of
// server time and then of seq (the order they were stored in, which is
// the same wherever the server's clock never went back). Events are fed in
// chunks that never split a millisecond, and every millisecond's exposures
// and bots' marks are applied before its other conversions, so a conversion
// in its exposure's millisecond counts whichever came first, exactly: the
// writer's carrying of a millisecond's conversions from one batch to the
// next (tieConvs), which gives the same counts and reasons as one batch
// would, is not needed.
//
// What the recount reads from each event is what the writer stored: its
// bot flag (the user agent is not kept, so bot patterns added since are not
// applied), and its experiment_not_running reason, which records that the
// experiment was paused or stopped when it came. Such events stay not
// counted and are replayed as the writer applies them
// (batch.whileNotRunning): a bot's event from before the stop marks the
// visitor as a bot, and the others are passed over. Every other reason is
// decided again. Past MaxSegmentValues values of one dimension, a value
// that had a row of its own keeps it, with the counts of today's rules, and
// the other values get one in the order their visitors are first counted,
// as the writer gives them (segValueSets): a recount of what the writer
// counted gives every value the row the writer gave it.

// recountChunk is about how many events one chunk of the replay counts
// before its deltas are written: it bounds the memory of a recount.
const recountChunk = 5000

// RecountOptions choose what Recount does.
type RecountOptions struct {
	Experiment string // the id of the one experiment to recount; "" for every started one
	DryRun     bool   // count and report, but write nothing
	// OnCopy, when set, is told of the copy a dry run counts while a
	// server uses the database (Recount), before the first report.
	OnCopy func(BackupInfo)
	// OnUpgrade, when set, is told that a recount (never a dry run)
	// migrated the database before counting, from schema version from
	// to to, before the first report: the older copylab that wrote it
	// refuses it now.
	OnUpgrade func(from, to int)
}

// RecountCounts are a variant's counted visitors and conversions.
type RecountCounts struct{ Visitors, Conversions int64 }

// RecountVariant is one variant's counts before and after a recount.
type RecountVariant struct {
	Key           string
	Before, After RecountCounts
}

// RecountReport says what a recount changed (or, in a dry run, would
// change) in one experiment's counts.
type RecountReport struct {
	ID, Name, Site string
	Variants       []RecountVariant // in the experiment's variant order
	// Visitors excluded as bots and for seeing several variants.
	BotsBefore, BotsAfter         int64
	MultipleBefore, MultipleAfter int64
	// Events is how many stored events are counted differently: their
	// reason for not being counted (events.ignored) changed.
	Events int64
	// Visitors is how many visitors' records changed (variant, exclusion,
	// first exposure or conversion).
	Visitors int64
	// Also lists the other figures that changed: "the daily chart",
	// "the segments", "the snippet's health", "the swap times".
	Also   []string
	DryRun bool
}

// Changed tells whether the recount changed anything.
func (r RecountReport) Changed() bool {
	for _, v := range r.Variants {
		if v.Before != v.After {
			return true
		}
	}
	return r.BotsBefore != r.BotsAfter || r.MultipleBefore != r.MultipleAfter || r.Events > 0 || r.Visitors > 0 ||
		len(r.Also) > 0
}

// String says what changed in one line: "Hero (Shop, ID): control 1,204 →
// 1,198 visitors; 3 more bots excluded; 12 events counted differently."
func (r RecountReport) String() string {
	head := fmt.Sprintf("%s (%s, %s): ", r.Name, r.Site, r.ID)
	if !r.Changed() {
		return head + "unchanged."
	}
	var parts []string
	for _, v := range r.Variants {
		var p []string
		if v.Before.Visitors != v.After.Visitors {
			p = append(p, arrow(v.Before.Visitors, v.After.Visitors, "visitors"))
		}
		if v.Before.Conversions != v.After.Conversions {
			p = append(p, arrow(v.Before.Conversions, v.After.Conversions, "conversions"))
		}
		if len(p) > 0 {
			parts = append(parts, v.Key+" "+strings.Join(p, ", "))
		}
	}
	if d := r.BotsAfter - r.BotsBefore; d != 0 {
		parts = append(parts, moreOrFewer(d, "bot", "bots")+" excluded")
	}
	if d := r.MultipleAfter - r.MultipleBefore; d != 0 {
		parts = append(parts, moreOrFewer(d, "visitor", "visitors")+" excluded for seeing several variants")
	}
	if r.Events > 0 {
		parts = append(parts, plural(r.Events, "event", "events")+" counted differently")
	}
	if len(parts) == 0 && r.Visitors > 0 {
		parts = append(parts, plural(r.Visitors, "visitor's record", "visitors' records")+" corrected")
	}
	if len(r.Also) > 0 {
		also := strings.Join(r.Also, ", ")
		if n := len(r.Also); n > 1 {
			also = strings.Join(r.Also[:n-1], ", ") + " and " + r.Also[n-1]
		}
		if len(parts) == 0 {
			parts = append(parts, "changes in "+also) // "…: changes in the daily chart."
		} else {
			parts = append(parts, "also in "+also)
		}
	}
	return head + strings.Join(parts, "; ") + "."
}

func arrow(before, after int64, what string) string {
	return thousands(before) + " → " + thousands(after) + " " + what
}

func moreOrFewer(d int64, one, many string) string {
	if d > 0 {
		return thousands(d) + " more " + pick(d, one, many)
	}
	return thousands(-d) + " fewer " + pick(-d, one, many)
}

func plural(n int64, one, many string) string { return thousands(n) + " " + pick(n, one, many) }

func pick(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Thousands writes n with a comma between thousands: 1,204.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Recount rebuilds the counting tables of the database at path from the
// stored events (see the comment at the top of recount.go), every started
// experiment or the one o names, while no copylab serves path: it takes
// the serve lock, so a server cannot start meanwhile either. Each experiment is
// recounted in one transaction, so one interrupted is left as it was, and
// the ones before it stay recounted. report is called after each
// experiment, in the order of their sites' names, then of their creation.
// A dry run while copylab serves path counts a copy of it instead
// (recountCopy); any other holder of the lock refuses it.
//
// A file that holds no copylab database yet, an empty one included, is
// refused as it is: a recount has nothing to count there, and its user
// gave the wrong path. A dry run writes nothing at all: it refuses with
// a *SchemaBehindError, before writing to it, a database that needs
// migrations (migrated, it would be refused by the older copylab that
// wrote it), and it removes the lock file it made. A recount migrates
// such a database, and says so (OnUpgrade).
func Recount(ctx context.Context, path string, o RecountOptions, report func(RecountReport)) error {
	if err := sourceFile(path, "database"); err != nil {
		return fmt.Errorf("recount: %w", err)
	}
	// The lock file stays after a recount, as after a server: the next
	// holder reuses it. A dry run's, or a refused recount's, is removed,
	// unless it was there before (undo).
	release, undo, err := lockDBUndo(path, HolderRecount)
	if err != nil {
		var inUse *InUseError
		if errors.As(err, &inUse) {
			if o.DryRun && inUse.Holder == HolderServe {
				return recountCopy(ctx, path, o, report)
			}
			return fmt.Errorf("recount: %s", inUse.message("stop it first"))
		}
		return fmt.Errorf("recount: %w", err)
	}
	s, err := OpenWith(ctx, path, OpenOptions{Existing: true, CopylabOnly: true, NoMigrations: o.DryRun})
	if err != nil {
		undo() // refused as it was: no lock file made for it either
		return fmt.Errorf("recount: %w", err)
	}
	if o.DryRun {
		release = undo
	}
	defer release()
	defer s.Close()
	if from, to := s.Migrated(); from != to && o.OnUpgrade != nil {
		o.OnUpgrade(from, to)
	}
	return s.Recount(ctx, o, report)
}

// recountCopy is a dry run while copylab serves the database at path. A
// recount writes its new counts in transactions on the writer, even when
// it then rolls them back, which would hold up the server's events; so it
// counts a consistent copy instead (Backup, which reads one snapshot
// without holding up the writer), taken now in a folder beside the
// database and removed afterwards. Events that arrive meanwhile are not in
// it, which a dry run's report does not need.
//
// The copy shares the disk with the server's database and its write-ahead
// log: a copy that filled the disk would make the server refuse events.
// So the dry run goes ahead only with room for the copy (at most the
// database's size, with its log) and a margin left over, and otherwise
// says how much it needs.
//
// The copy's folder holds a lock of its own while the dry run lasts: a
// dry run that was killed leaves its folder unlocked, and the next one
// removes it (removeStaleCopies) before it measures the room.
func recountCopy(ctx context.Context, path string, o RecountOptions, report func(RecountReport)) error {
	removeStaleCopies(filepath.Dir(absPath(path)))
	if need, free, ok := copyRoom(path); !ok {
		return fmt.Errorf("recount: not enough free space beside %s for the dry run's copy (it needs about %s, and %s is free): free some space, or stop copylab and run the dry run on the file itself",
			path, ByteSize(need), ByteSize(free))
	}
	dir, err := os.MkdirTemp(filepath.Dir(absPath(path)), dryRunCopies)
	if err != nil {
		return fmt.Errorf("recount: a place for the dry run's copy: %w", err)
	}
	defer os.RemoveAll(dir)
	release, err := lockDB(filepath.Join(dir, "copylab.db"), HolderRecount)
	if err != nil {
		return fmt.Errorf("recount: a place for the dry run's copy: %w", err)
	}
	defer release()
	info, err := Backup(ctx, path, filepath.Join(dir, "copylab.db"))
	if err != nil {
		return fmt.Errorf("recount: the dry run's copy: %w", err)
	}
	if o.OnCopy != nil {
		o.OnCopy(info)
	}
	s, err := Open(ctx, info.Path)
	if err != nil {
		return fmt.Errorf("recount: %w", err)
	}
	defer s.Close()
	return s.Recount(ctx, o, report)
}

// dryRunCopies matches the folders of dry runs' copies in a database's
// folder (recountCopy).
const dryRunCopies = ".copylab-dry-run-*"

// staleCopyAge is how old a copy's folder must be before another dry run
// may take it for a killed one's: a new folder is not locked yet.
const staleCopyAge = 10 * time.Minute

// removeStaleCopies removes from dir the folders of dry runs that did not
// finish (killed, or the machine stopped): each older than staleCopyAge
// whose copy no process holds. Where files cannot be locked, it leaves
// them all.
func removeStaleCopies(dir string) {
	if !canLockFiles {
		return
	}
	found, _ := filepath.Glob(filepath.Join(dir, dryRunCopies))
	for _, d := range found {
		info, err := os.Lstat(d)
		if err != nil || !info.IsDir() || time.Since(info.ModTime()) < staleCopyAge {
			continue
		}
		release, err := lockDB(filepath.Join(d, "copylab.db"), HolderRecount)
		if err != nil {
			continue // a dry run is counting it now
		}
		release()
		os.RemoveAll(d)
	}
}

// Recount is the package's Recount on an open store. The caller makes
// sure that no events are being written meanwhile (no Ingester on the
// database, in this process or another).
func (s *Store) Recount(ctx context.Context, o RecountOptions, report func(RecountReport)) error {
	type target struct{ id, site string }
	var targets []target
	query := `/* Store.Recount */ select e.id, s.name from experiments e join sites s on s.id = e.site_id
		where e.status != 'draft' order by s.name, e.created_at, e.id`
	args := []any{}
	if o.Experiment != "" {
		query = `/* Store.Recount */ select e.id, s.name from experiments e join sites s on s.id = e.site_id where e.id = ?`
		args = append(args, o.Experiment)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("recount: %w", err)
	}
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.id, &t.site); err != nil {
			rows.Close()
			return fmt.Errorf("recount: %w", err)
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("recount: %w", err)
	}
	if o.Experiment != "" && len(targets) == 0 {
		return fmt.Errorf("recount: no experiment has the id %q", o.Experiment)
	}

	// The writer's statements are prepared before any transaction: the
	// writer handle has one connection, which a transaction holds.
	w := newBatchWriter(s)
	if err := w.prepare(); err != nil {
		return fmt.Errorf("recount: %w", err)
	}
	defer w.close()
	for _, t := range targets {
		if ctx.Err() != nil {
			return errors.New("recount: interrupted: the experiments not listed above keep their old counts")
		}
		e, err := s.Experiment(ctx, t.id)
		if err != nil {
			return fmt.Errorf("recount: %w", err)
		}
		rep, err := s.recount(ctx, w, e, o.DryRun)
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("recount: interrupted: %s (%s) and the experiments after it keep their old counts", e.Name, e.ID)
		}
		if err != nil {
			return fmt.Errorf("recount: %s (%s) and the experiments after it keep their old counts: %w", e.Name, e.ID, err)
		}
		rep.Site = t.site
		if report != nil {
			report(rep)
		}
	}
	return nil
}

// derivedTable is one of the tables the writer derives from the events,
// besides experiment_visitors: its key columns (after experiment_id) and
// value columns, and what the results page calls it.
type derivedTable struct{ name, keys, values, label string }

var derivedTables = []derivedTable{
	{"variant_counts", "variant", "exposures, conversions, applied, missed", ""},
	{"experiment_excluded", "''", "multiple_variants, bots", ""},
	{"variant_days", "day, variant", "exposures, conversions", "the daily chart"},
	{"variant_segments", "dimension, value, variant", "exposures, conversions", "the segments"},
	{"variant_health_days", "day, variant", "applied, missed", "the snippet's health"},
	{"variant_swap_ms", "variant, bucket", "n", "the swap times"},
}

// derivedRows are an experiment's rows of one derived table: its key
// columns, joined by NUL, to its values. A row of zeros is left out: the
// readers take it as no row, and the writer leaves one behind when it
// takes back what it counted.
type derivedRows map[string][]int64

// readDerived reads an experiment's rows of every derivedTables table.
func readDerived(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, exp string) ([]derivedRows, error) {
	out := make([]derivedRows, len(derivedTables))
	for i, t := range derivedTables {
		nk, nv := strings.Count(t.keys, ",")+1, strings.Count(t.values, ",")+1
		rows, err := q.QueryContext(ctx, `/* Store.Recount */ select `+t.keys+`, `+t.values+` from `+t.name+` where experiment_id = ?`, exp)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		m := derivedRows{}
		keys, vals := make([]string, nk), make([]int64, nv)
		dst := make([]any, 0, nk+nv)
		for k := range keys {
			dst = append(dst, &keys[k])
		}
		for k := range vals {
			dst = append(dst, &vals[k])
		}
		for rows.Next() {
			if err := rows.Scan(dst...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", t.name, err)
			}
			if slices.ContainsFunc(vals, func(v int64) bool { return v != 0 }) {
				m[strings.Join(keys, "\x00")] = slices.Clone(vals)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		out[i] = m
	}
	return out, nil
}

// recount recounts one experiment in one transaction, committed unless
// dryRun. The events and the counts as they were are read in a read
// transaction on the read pool, begun once the write transaction holds the
// database: it sees the database as it was before the recount, all along.
func (s *Store) recount(ctx context.Context, w *batchWriter, e Experiment, dryRun bool) (RecountReport, error) {
	rep := RecountReport{ID: e.ID, Name: e.Name, DryRun: dryRun}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	old, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("begin: %w", err)
	}
	defer old.Rollback()
	before, err := readDerived(ctx, old, e.ID)
	if err != nil {
		return rep, err
	}

	for _, t := range append([]string{"experiment_visitors"}, tableNames()...) {
		q := `/* Store.Recount */ delete from ` + t + ` where experiment_id = ?`
		if t == "variant_segments" {
			// Zeroed, not deleted: a value that has a row keeps it
			// (segValueSets), as it would have had the writer gone on.
			q = `/* Store.Recount */ update variant_segments set exposures = 0, conversions = 0 where experiment_id = ?`
		}
		if _, err := tx.ExecContext(ctx, q, e.ID); err != nil {
			return rep, fmt.Errorf("clear %s: %w", t, err)
		}
	}
	rp := &replay{w: w, tx: tx, exp: e, segSets: segValueSets{},
		x: batchExp{exists: true, running: true, goal: e.Goal}}
	if !e.EndedAt.IsZero() {
		rp.x.endedAt = e.EndedAt.UnixMilli()
	}
	if err := rp.run(ctx, old); err != nil {
		return rep, err
	}
	rep.Events = rp.changed

	after, err := readDerived(ctx, tx, e.ID)
	if err != nil {
		return rep, err
	}
	if rep.Visitors, err = diffVisitors(ctx, old, tx, e.ID); err != nil {
		return rep, err
	}
	describe(&rep, e, before, after)

	if dryRun {
		return rep, nil // the deferred rollback undoes it all
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("commit: %w", err)
	}
	return rep, nil
}

func tableNames() []string {
	names := make([]string, len(derivedTables))
	for i, t := range derivedTables {
		names[i] = t.name
	}
	return names
}

// describe fills in the report from the tables before and after.
func describe(rep *RecountReport, e Experiment, before, after []derivedRows) {
	counts := func(rows derivedRows, key string) RecountCounts {
		v := rows[key]
		if v == nil {
			return RecountCounts{}
		}
		return RecountCounts{v[0], v[1]}
	}
	keys := make([]string, 0, len(e.Variants))
	for _, v := range e.Variants {
		keys = append(keys, v.Key)
	}
	// Counts of variants the experiment no longer lists (none should be).
	var extra []string
	for _, m := range []derivedRows{before[0], after[0]} {
		for k := range m {
			if !slices.Contains(keys, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	for _, k := range append(keys, extra...) {
		rep.Variants = append(rep.Variants, RecountVariant{Key: k, Before: counts(before[0], k), After: counts(after[0], k)})
	}
	excluded := func(rows derivedRows) (multiple, bots int64) {
		if v := rows[""]; v != nil {
			return v[0], v[1]
		}
		return 0, 0
	}
	rep.MultipleBefore, rep.BotsBefore = excluded(before[1])
	rep.MultipleAfter, rep.BotsAfter = excluded(after[1])

	health := false // variant_counts also holds the snippet's health totals
	for _, k := range rep.Variants {
		b, a := before[0][k.Key], after[0][k.Key]
		if !slices.Equal(tail(b, 2), tail(a, 2)) {
			health = true
		}
	}
	for i := 2; i < len(derivedTables); i++ {
		changed := len(before[i]) != len(after[i])
		for k, v := range before[i] {
			if !slices.Equal(v, after[i][k]) {
				changed = true
			}
		}
		if derivedTables[i].name == "variant_health_days" {
			changed = changed || health
		}
		if changed {
			rep.Also = append(rep.Also, derivedTables[i].label)
		}
	}
}

func tail(v []int64, from int) []int64 {
	if v == nil {
		return nil
	}
	return v[from:]
}

// visitorRow is one experiment_visitors row, for comparing.
type visitorRow struct {
	visitor, variant               string
	state                          int
	firstAt, firstSeq, convertedAt int64
}

// diffVisitors counts the visitors whose experiment_visitors rows differ
// between two transactions (one before the recount, one after), walking
// both in primary key order.
func diffVisitors(ctx context.Context, before, after *sql.Tx, exp string) (int64, error) {
	const q = `/* Store.Recount */ select visitor, variant, state, first_at, first_seq, coalesce(converted_at, 0)
		from experiment_visitors where experiment_id = ? order by visitor`
	a, err := before.QueryContext(ctx, q, exp)
	if err != nil {
		return 0, fmt.Errorf("compare visitors: %w", err)
	}
	defer a.Close()
	b, err := after.QueryContext(ctx, q, exp)
	if err != nil {
		return 0, fmt.Errorf("compare visitors: %w", err)
	}
	defer b.Close()
	next := func(rows *sql.Rows) (*visitorRow, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		v := &visitorRow{}
		return v, rows.Scan(&v.visitor, &v.variant, &v.state, &v.firstAt, &v.firstSeq, &v.convertedAt)
	}
	var n int64
	x, err := next(a)
	if err != nil {
		return 0, fmt.Errorf("compare visitors: %w", err)
	}
	y, err := next(b)
	if err != nil {
		return 0, fmt.Errorf("compare visitors: %w", err)
	}
	for x != nil || y != nil {
		switch {
		case y == nil || (x != nil && x.visitor < y.visitor):
			n++
			x, err = next(a)
		case x == nil || y.visitor < x.visitor:
			n++
			y, err = next(b)
		default:
			if *x != *y {
				n++
			}
			if x, err = next(a); err == nil {
				y, err = next(b)
			}
		}
		if err != nil {
			return 0, fmt.Errorf("compare visitors: %w", err)
		}
	}
	return n, nil
}

// replay feeds one experiment's stored events to the writer's counting
// code, a chunk at a time, on the recount's transaction.
type replay struct {
	w       *batchWriter
	tx      *sql.Tx
	exp     Experiment
	x       batchExp     // the experiment as the counting sees it
	segSets segValueSets // the experiment's segment values, across chunks
	chunk   []storedEvent
	changed int64 // events whose reason changed
}

// storedEvent is one event as the writer stored it: as a request of its
// own, with its seq and its stored reason.
type storedEvent struct {
	r      request
	seq    int64
	reason string
}

// run reads the events from old, in order of server time then seq, and
// counts them.
func (rp *replay) run(ctx context.Context, old *sql.Tx) error {
	rows, err := old.QueryContext(ctx, `/* Store.Recount */ select seq, site_id, type, visitor, variant, goal, url, received_at,
			coalesce(matched, 1), coalesce(swap_ms, -1), bot, country, device, browser, ref_domain, utm_source, ignored
		from events where experiment_id = ? order by received_at, seq`, rp.exp.ID)
	if err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var se storedEvent
		var typ string
		e := event{clientTS: -1}
		r := &se.r
		if err := rows.Scan(&se.seq, &r.siteID, &typ, &r.visitor, &e.variant, &e.goal, &e.url, &r.at,
			&e.matched, &e.swapMS, &r.bot, &r.country, &r.device, &r.browser, &e.refDomain, &e.utm, &se.reason); err != nil {
			return fmt.Errorf("read events: %w", err)
		}
		e.exposure, e.experiment = typ == EventExposure, rp.exp.ID
		if se.reason == ReasonNotRunning && !rp.x.flagsWhileNotRunning(r, &e) {
			continue // paused or stopped when it came, and it marks no bot
		}
		r.events = []event{e}
		if n := len(rp.chunk); n >= recountChunk && rp.chunk[n-1].r.at != r.at {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := rp.count(); err != nil {
				return err
			}
		}
		rp.chunk = append(rp.chunk, se)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	return rp.count()
}

// count counts the chunk's events with the writer's code (batch.count, one
// server millisecond at a time, and batch.flush), and stores the reasons
// that changed.
func (rp *replay) count() error {
	if len(rp.chunk) == 0 {
		return nil
	}
	b := rp.w.newBatch(rp.tx)
	x := rp.x
	b.exps[rp.exp.ID] = &x
	b.segSets = rp.segSets
	// No conversion waits for a later chunk's exposure (tieConvs): a chunk
	// ends between two milliseconds. No event has this server time.
	b.lastAt = math.MinInt64
	b.marks = map[int64]string{}
	n := len(rp.chunk)
	reqs, seqs := make([]*request, n), make([]int64, n)
	var visitors []any
	for i := range rp.chunk {
		se := &rp.chunk[i]
		reqs[i], seqs[i] = &se.r, se.seq
		if se.reason == ReasonNotRunning {
			if b.notRunning == nil {
				b.notRunning = map[int64]bool{}
			}
			b.notRunning[se.seq] = true
		}
		if k := (visitorKey{rp.exp.ID, se.r.visitor}); !hasKey(b.visitors, k) {
			b.visitors[k] = nil
			visitors = append(visitors, se.r.visitor)
		}
	}
	if err := b.readVisitors(map[string][]any{rp.exp.ID: visitors}); err != nil {
		return err
	}
	results := make([]IngestResult, n)
	for start := 0; start < n; {
		end := start + 1
		for end < n && reqs[end].at == reqs[start].at {
			end++
		}
		if err := b.count(reqs[start:end], seqs[start:end], results[start:end]); err != nil {
			return err
		}
		start = end
	}
	if err := b.flush(); err != nil {
		return err
	}
	for _, se := range rp.chunk {
		if reason := b.marks[se.seq]; reason != se.reason {
			if err := execFused(b.ctx, b.markIgnored, reason, se.seq); err != nil {
				return fmt.Errorf("mark ignored: %w", err)
			}
			rp.changed++
		}
	}
	clear(rp.chunk)
	rp.chunk = rp.chunk[:0]
	return nil
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// copyRoom says whether the disk that holds the database at path has room
// for a copy of it and a margin beside it: the copy needs at most the
// database's size and its write-ahead log's, and the margin, a quarter of
// that or 64 MB, whichever is more, stays for the server. need is what
// the copy and the margin take, free what the disk has; ok is true too
// where the free space cannot be read.
func copyRoom(path string) (need, free int64, ok bool) {
	for _, f := range []string{path, path + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			need += st.Size()
		}
	}
	need += max(need/4, 64<<20)
	free, known := freeSpace(filepath.Dir(absPath(path)))
	return need, free, !known || free >= need
}

// freeSpace is diskFree, which a test replaces to play a full disk.
var freeSpace = diskFree

// ByteSize says a file size for people: 812 KB, 23.8 MB, 1.2 GB.
func ByteSize(n int64) string {
	switch {
	case n >= 1e9:
		return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + " GB"
	case n >= 1e6:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	default:
		return strconv.FormatInt((n+999)/1000, 10) + " KB"
	}
}
