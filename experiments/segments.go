package experiments

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Segment dimensions: what the results page breaks each variant down by.
// Every counted visitor has one value in each, the one of their first
// exposure; "" is the unknown value (no country known, direct traffic, no
// campaign).
const (
	DimCountry   = "country"    // ISO 3166-1 alpha-2, from a trusted header or a GeoIP database
	DimDevice    = "device"     // mobile, tablet or desktop
	DimBrowser   = "browser"    // from the user agent
	DimReferrer  = "referrer"   // the referring site's domain (events.ref_domain)
	DimUTMSource = "utm_source" // the campaign's utm_source
)

// MaxSegmentValues is how many distinct values of one dimension an
// experiment keeps counts for. Referrers and utm_source come from the
// sender, so anyone can invent new ones by the million; past this many,
// new values are counted together in one overflow value, which the results
// show inside Other. Values already kept go on being counted.
const MaxSegmentValues = 500

// segOverflow is the stored value of the overflow: a control character,
// which no real value can hold (senders' text fields refuse them, and the
// other dimensions come from fixed lists).
const segOverflow = "\x1f"

// SegmentDimensions lists the dimensions in the order the page shows them.
var SegmentDimensions = []string{DimCountry, DimDevice, DimBrowser, DimReferrer, DimUTMSource}

// segValues are one exposure's values, in SegmentDimensions order.
type segValues [5]string

// segValuesOf returns the segment values of an exposure: the request's
// visitor (country, device, browser) and the event's traffic source.
func segValuesOf(r *request, e *event) *segValues {
	return &segValues{r.country, r.device, r.browser, e.refDomain, e.utm}
}

// The writer's statements for segments and health days. They live beside
// batchSQL and are prepared with it.
var segmentSQL = struct{ lookup, values, addHealth string }{
	values: `/* Ingester.write */ select distinct value from variant_segments where experiment_id = ? and dimension = ?
		and value not in ('', char(31))`,
	lookup: `/* Ingester.write */ select country, device, browser, ref_domain, utm_source from events where seq = ?`,
	addHealth: `/* Ingester.write */ insert into variant_health_days (experiment_id, day, variant, applied, missed)
		values (?, ?, ?, ?, ?)
		on conflict (experiment_id, day, variant) do update set applied = applied + excluded.applied, missed = missed + excluded.missed`,
}

// segmentStmts are the prepared statements of segmentSQL on the writer
// connection.
type segmentStmts struct{ lookup, values, addHealth *sql.Stmt }

func (st *segmentStmts) prepare(db *sql.DB) error {
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{{&st.lookup, segmentSQL.lookup}, {&st.values, segmentSQL.values}, {&st.addHealth, segmentSQL.addHealth}} {
		s, err := db.Prepare(p.q)
		if err != nil {
			return fmt.Errorf("experiments: ingest: prepare: %w", err)
		}
		*p.dst = s
	}
	return nil
}

func (st *segmentStmts) close() error {
	var errs []error
	for _, s := range []**sql.Stmt{&st.lookup, &st.values, &st.addHealth} {
		if *s != nil {
			errs = append(errs, (*s).Close())
			*s = nil
		}
	}
	return errors.Join(errs...)
}

// bind returns the batch-side state for one transaction.
func (st *segmentStmts) bind(tx *sql.Tx) *segmentBatch {
	return &segmentBatch{
		lookup:    tx.Stmt(st.lookup),
		values:    tx.Stmt(st.values),
		addHealth: tx.Stmt(st.addHealth),
		health:    map[dayKey]*healthDelta{},
	}
}

// segmentBatch is one transaction's share of segment and health work. The
// segment deltas themselves ride on the visitors (visitorState.segExp and
// segConv): a visitor counted and moved out within one batch nets to zero
// and costs no write, and a visitor's segment values are looked up (by
// first_seq) only when their net change is not zero.
type segmentBatch struct {
	lookup, values, addHealth *sql.Stmt
	health                    map[dayKey]*healthDelta
}

type healthDelta struct{ applied, missed int64 }

// healthDay returns the health delta of a variant on the UTC day of at.
func (b *batch) healthDay(exp string, at int64, key string) *healthDelta {
	k := dayKey{exp, at / msPerDay, key}
	d := b.seg.health[k]
	if d == nil {
		d = &healthDelta{}
		b.seg.health[k] = d
	}
	return d
}

type segmentKey struct{ exp, dim, value, variant string }

type segDimKey struct{ exp, dim string }

// segValueSets remembers, per experiment and dimension, the values that
// have rows in variant_segments (the unknown value and the overflow aside),
// so that the writer can hold each dimension to MaxSegmentValues without a
// query per value. It lives across batches on the writer and is loaded from
// the table on first use; a failed batch empties it (what it added may not
// have been committed).
//
// A value gets its row when the first visitor with it is counted, in the
// order visitors were first counted (first_seq), and keeps it (with zero
// counts, if those visitors are all taken out again): which values get a
// row then depends only on the events, not on how they were split into
// batches, or into a recount's chunks.
type segValueSets map[segDimKey]map[string]bool

// segSetsMax bounds the dimensions remembered; past it, the sets are
// dropped and reloaded as needed.
const segSetsMax = 10_000

// keepSegment returns the value to count v under: v itself, or the
// overflow once the dimension holds MaxSegmentValues others; added tells
// that v has just been given a row.
func (b *batch) keepSegment(exp, dim, v string) (kept string, added bool, err error) {
	if v == "" {
		return v, false, nil // unknown: always kept, not a value anyone invents
	}
	k := segDimKey{exp, dim}
	set, ok := b.segSets[k]
	if !ok {
		if len(b.segSets) >= segSetsMax {
			clear(b.segSets)
		}
		set = map[string]bool{}
		rows, err := b.seg.values.QueryContext(b.ctx, exp, dim)
		if err != nil {
			return "", false, fmt.Errorf("experiments: ingest: segment values: %w", err)
		}
		for rows.Next() {
			var val string
			if err := rows.Scan(&val); err != nil {
				rows.Close()
				return "", false, fmt.Errorf("experiments: ingest: segment values: %w", err)
			}
			set[val] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", false, fmt.Errorf("experiments: ingest: segment values: %w", err)
		}
		b.segSets[k] = set
	}
	switch {
	case set[v]:
		return v, false, nil
	case len(set) < MaxSegmentValues:
		set[v] = true
		return v, true, nil
	}
	return segOverflow, false, nil
}

// countedVisitor is a visitor a batch counted by their first exposure.
type countedVisitor struct {
	exp string
	v   *visitorState
}

// segDelta is the change to one variant_segments row; write is set for a
// row that must be written even when the change is nil: its value has just
// been given a row (segValueSets).
type segDelta struct {
	exposures, conversions int64
	write                  bool
}

// flushSegments writes the segment deltas of the visitors the batch touched
// and the health days. The visitors it counted come first, in the order
// counted, each giving their values rows while there is room, whether or
// not they are still counted (see segValueSets); the others' values were
// given a row, or not, when they were counted.
func (b *batch) flushSegments() error {
	deltas := map[segmentKey]*segDelta{}
	add := func(exp string, v *visitorState) error {
		vals := v.seg
		if vals == nil {
			vals = &segValues{}
			err := b.seg.lookup.QueryRowContext(b.ctx, v.firstSeq).Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4])
			if err != nil {
				return fmt.Errorf("experiments: ingest: segment of visitor: %w", err)
			}
		}
		for i, dim := range SegmentDimensions {
			val, added, err := b.keepSegment(exp, dim, vals[i])
			if err != nil {
				return err
			}
			sk := segmentKey{exp, dim, val, v.variant}
			d := deltas[sk]
			if d == nil {
				d = &segDelta{}
				deltas[sk] = d
			}
			d.exposures += v.segExp
			d.conversions += v.segConv
			d.write = d.write || added
		}
		return nil
	}
	for _, c := range b.counted {
		if err := add(c.exp, c.v); err != nil {
			return err
		}
	}
	for k, v := range b.visitors {
		if v == nil || v.seg != nil || (v.segExp == 0 && v.segConv == 0) {
			continue // no change, or counted by this batch: above
		}
		if err := add(k.exp, v); err != nil {
			return err
		}
	}
	args := make([]any, 0, len(deltas)*6)
	for k, d := range deltas {
		if d.write || d.exposures != 0 || d.conversions != 0 {
			args = append(args, k.exp, k.dim, k.value, k.variant, d.exposures, d.conversions)
		}
	}
	if err := b.execRows(b.bulk.addSegments, 6, args); err != nil {
		return fmt.Errorf("experiments: ingest: segment counts: %w", err)
	}
	for k, d := range b.seg.health {
		if *d == (healthDelta{}) {
			continue
		}
		if err := execFused(b.ctx, b.seg.addHealth, k.exp, k.day, k.variant, d.applied, d.missed); err != nil {
			return fmt.Errorf("experiments: ingest: health days: %w", err)
		}
	}
	return nil
}

// SegmentArm is one variant's counted visitors and conversions within a
// segment value.
type SegmentArm struct {
	Key         string
	Exposures   int64
	Conversions int64
}

// SegmentValue is one value of a dimension ("US", "mobile", "google.com")
// with every variant's counts in it, in the experiment's variant order.
type SegmentValue struct {
	Value string // "" is the unknown value
	// Other is true for the row that folds together the values beyond the
	// top ones (see Store.Segments); Value is then "".
	Other bool
	// Values is how many values Other folds together (1 otherwise).
	Values int
	// Overflow is true for an Other that also holds the values past
	// MaxSegmentValues, which were counted together, not one by one: it
	// folds more than Values values.
	Overflow  bool
	Exposures int64 // over all variants
	Arms      []SegmentArm
}

// SegmentDimension is one dimension's values, most visitors first, the
// folded rest last.
type SegmentDimension struct {
	Dimension string
	Values    []SegmentValue
}

// Segments returns each dimension's values with the counts of every
// variant, read from the aggregates the writer keeps (variant_segments).
// Values are ordered by visitors, most first (ties by value); when a
// dimension has more than top values, the rest are folded into one Other
// value at the end. top <= 0 keeps every value.
func (s *Store) Segments(ctx context.Context, e Experiment, top int) ([]SegmentDimension, error) {
	out, err := s.segments(ctx, e, top)
	if err != nil {
		return nil, fmt.Errorf("experiments: segments %s: %w", e.ID, err)
	}
	return out, nil
}

func (s *Store) segments(ctx context.Context, e Experiment, top int) ([]SegmentDimension, error) {
	pos := make(map[string]int, len(e.Variants))
	for i, v := range e.Variants {
		pos[v.Key] = i
	}
	dimPos := make(map[string]int, len(SegmentDimensions))
	out := make([]SegmentDimension, len(SegmentDimensions))
	for i, d := range SegmentDimensions {
		dimPos[d] = i
		out[i].Dimension = d
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.Segments */ select dimension, value, variant, exposures, conversions
		from variant_segments where experiment_id = ? order by dimension, value`, e.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// Rows come grouped by (dimension, value): one SegmentValue per group.
	// The overflow value's rows go to its dimension's overflow, for Other.
	last := map[string]string{}
	overflow := make([]*SegmentValue, len(SegmentDimensions))
	for rows.Next() {
		var dim, value, key string
		var exposures, conversions int64
		if err := rows.Scan(&dim, &value, &key, &exposures, &conversions); err != nil {
			return nil, err
		}
		di, ok := dimPos[dim]
		vi, vok := pos[key]
		if !ok || !vok || (exposures == 0 && conversions == 0) {
			continue
		}
		d := &out[di]
		if value == segOverflow {
			if overflow[di] == nil {
				overflow[di] = &SegmentValue{Other: true, Overflow: true, Arms: newSegmentArms(e)}
			}
			o := overflow[di]
			o.Arms[vi].Exposures += exposures
			o.Arms[vi].Conversions += conversions
			o.Exposures += exposures
			continue
		}
		if prev, seen := last[dim]; !seen || prev != value || len(d.Values) == 0 {
			d.Values = append(d.Values, SegmentValue{Value: value, Values: 1, Arms: newSegmentArms(e)})
			last[dim] = value
		}
		sv := &d.Values[len(d.Values)-1]
		sv.Arms[vi].Exposures += exposures
		sv.Arms[vi].Conversions += conversions
		sv.Exposures += exposures
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Values = foldSegments(e, out[i].Values, top, overflow[i])
	}
	return out, nil
}

func newSegmentArms(e Experiment) []SegmentArm {
	arms := make([]SegmentArm, len(e.Variants))
	for i, v := range e.Variants {
		arms[i].Key = v.Key
	}
	return arms
}

// foldSegments orders values by visitors and folds all but the top ones
// into a final Other value, which also takes the overflow when there is one.
func foldSegments(e Experiment, vs []SegmentValue, top int, overflow *SegmentValue) []SegmentValue {
	slices.SortStableFunc(vs, func(a, b SegmentValue) int {
		if c := cmp.Compare(b.Exposures, a.Exposures); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if top <= 0 || len(vs) <= top {
		if overflow != nil {
			vs = append(vs, *overflow)
		}
		return vs
	}
	other := SegmentValue{Other: true, Arms: newSegmentArms(e)}
	if overflow != nil {
		other = *overflow
	}
	for _, v := range vs[top:] {
		other.Values++
		other.Exposures += v.Exposures
		for i := range v.Arms {
			other.Arms[i].Exposures += v.Arms[i].Exposures
			other.Arms[i].Conversions += v.Arms[i].Conversions
		}
	}
	return append(vs[:top:top], other)
}

// HealthCounts are a variant's snippet health over some days: page views
// where the element was found and swapped, and where it was not.
type HealthCounts struct {
	Key     string
	Applied int64
	Missed  int64
}

// HealthSince returns each variant's health counts from the UTC day of
// since onwards, in the experiment's variant order.
func (s *Store) HealthSince(ctx context.Context, e Experiment, since time.Time) ([]HealthCounts, error) {
	out := make([]HealthCounts, len(e.Variants))
	pos := make(map[string]int, len(e.Variants))
	for i, v := range e.Variants {
		out[i].Key = v.Key
		pos[v.Key] = i
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.HealthSince */ select variant, sum(applied), sum(missed)
		from variant_health_days where experiment_id = ? and day >= ? group by variant`, e.ID, since.UnixMilli()/msPerDay)
	if err != nil {
		return nil, fmt.Errorf("experiments: health %s: %w", e.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var applied, missed int64
		if err := rows.Scan(&key, &applied, &missed); err != nil {
			return nil, fmt.Errorf("experiments: health %s: %w", e.ID, err)
		}
		if i, ok := pos[key]; ok {
			out[i].Applied, out[i].Missed = applied, missed
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: health %s: %w", e.ID, err)
	}
	return out, nil
}
