package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// VariantCounts are one variant's counted visitors (DESIGN.md, statistics.md).
type VariantCounts struct {
	Key         string
	Exposures   int64 // distinct visitors whose first exposure was this variant (not excluded, not bots)
	Conversions int64 // of those, visitors converting at or after their first exposure
	// Health telemetry from the snippet: page views where the page matched and
	// the selector was found and swapped, page views where it was not found, and
	// the median milliseconds from the start of the page view to the swap (from a
	// histogram: exact below 100 ms, within 5 ms below 1 s, within 50 ms
	// below 10 s, within 500 ms below 60 s; 0 when no swap time was sent).
	Applied  int64
	Missed   int64
	MedianMS float64
	// SinceSplit is, of Exposures, the visitors who first came after the
	// UTC day the split last changed (Experiment.SplitChangedAt): the ones
	// the current weights assigned, which the split check tests. It equals
	// Exposures when the split never changed.
	SinceSplit int64
}

// DayCounts are one variant's new exposures and conversions on one UTC day:
// a visitor's exposure counts on the day of their first exposure, a
// conversion on the day it happened. A visitor excluded later (second
// variant, bot) is taken out of the days they were counted on.
type DayCounts struct {
	Day         string // YYYY-MM-DD, UTC
	Key         string
	Exposures   int64
	Conversions int64
}

// Counts are an experiment's counted results.
type Counts struct {
	Variants         []VariantCounts // in the experiment's variant order
	MultipleVariants int64           // visitors excluded for seeing several variants (bots not included)
	Bots             int64           // visitors flagged as bots who sent a matched exposure, never counted
	Days             []DayCounts     // ordered by day then variant order; every variant on every day listed
}

// Counts returns an experiment's counts. It reads only the aggregate tables
// the writer keeps up to date, in one read transaction so that the numbers
// agree with each other.
func (s *Store) Counts(ctx context.Context, e Experiment) (Counts, error) {
	c, err := s.counts(ctx, e)
	if err != nil {
		return Counts{}, fmt.Errorf("experiments: counts %s: %w", e.ID, err)
	}
	return c, nil
}

// VariantTotals returns, by experiment id, each experiment's counted
// visitors and conversions per variant (in e.Variants order, as Counts
// has them), with the page views the tag found the element on and
// missed it on (Applied, Missed), and nothing else of Counts: what a list
// of experiments needs for their verdicts, in one query per 500
// experiments rather than four per experiment.
func (s *Store) VariantTotals(ctx context.Context, exps []Experiment) (map[string][]VariantCounts, error) {
	out := make(map[string][]VariantCounts, len(exps))
	pos := make(map[string]map[string]int, len(exps))
	for _, e := range exps {
		vs := make([]VariantCounts, len(e.Variants))
		pos[e.ID] = make(map[string]int, len(e.Variants))
		for i, v := range e.Variants {
			vs[i].Key = v.Key
			pos[e.ID][v.Key] = i
		}
		out[e.ID] = vs
	}
	for start := 0; start < len(exps); start += 500 {
		chunk := exps[start:min(start+500, len(exps))]
		args := make([]any, len(chunk))
		for i, e := range chunk {
			args[i] = e.ID
		}
		rows, err := s.r.QueryContext(ctx, `/* Store.VariantTotals */ select experiment_id, variant, exposures, conversions, applied, missed
			from variant_counts where experiment_id in (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("experiments: variant totals: %w", err)
		}
		for rows.Next() {
			var id, key string
			var exposures, conversions, applied, missed int64
			if err := rows.Scan(&id, &key, &exposures, &conversions, &applied, &missed); err != nil {
				rows.Close()
				return nil, fmt.Errorf("experiments: variant totals: %w", err)
			}
			if i, ok := pos[id][key]; ok {
				v := &out[id][i]
				v.Exposures, v.Conversions, v.SinceSplit, v.Applied, v.Missed = exposures, conversions, exposures, applied, missed
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("experiments: variant totals: %w", err)
		}
	}
	// The few experiments whose split changed while they ran need their
	// visitors since: one more query each.
	for _, e := range exps {
		if e.SplitChangedAt.IsZero() {
			continue
		}
		vs := out[e.ID]
		for i := range vs {
			vs[i].SinceSplit = 0
		}
		err := func() error {
			rows, err := s.r.QueryContext(ctx, `/* Store.VariantTotals */ select variant, sum(exposures) from variant_days
				where experiment_id = ? and day > ? group by variant`, e.ID, splitDay(e))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var key string
				var n int64
				if err := rows.Scan(&key, &n); err != nil {
					return err
				}
				if i, ok := pos[e.ID][key]; ok {
					vs[i].SinceSplit = n
				}
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("experiments: variant totals of %s: %w", e.ID, err)
		}
	}
	return out, nil
}

func (s *Store) counts(ctx context.Context, e Experiment) (Counts, error) {
	c := Counts{Variants: make([]VariantCounts, len(e.Variants))}
	pos := make(map[string]int, len(e.Variants))
	for i, v := range e.Variants {
		c.Variants[i].Key = v.Key
		pos[v.Key] = i
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Counts{}, err
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `/* Store.Counts */ select variant, exposures, conversions, applied, missed
		from variant_counts where experiment_id = ?`, e.ID)
	if err != nil {
		return Counts{}, err
	}
	for rows.Next() {
		var key string
		var vc VariantCounts
		if err := rows.Scan(&key, &vc.Exposures, &vc.Conversions, &vc.Applied, &vc.Missed); err != nil {
			rows.Close()
			return Counts{}, err
		}
		if i, ok := pos[key]; ok {
			vc.Key = key
			c.Variants[i] = vc
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Counts{}, err
	}

	err = tx.QueryRowContext(ctx, `/* Store.Counts */ select multiple_variants, bots from experiment_excluded where experiment_id = ?`,
		e.ID).Scan(&c.MultipleVariants, &c.Bots)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Counts{}, err
	}

	hist := make([][]int64, len(e.Variants))
	rows, err = tx.QueryContext(ctx, `/* Store.Counts */ select variant, bucket, n from variant_swap_ms where experiment_id = ?`, e.ID)
	if err != nil {
		return Counts{}, err
	}
	for rows.Next() {
		var key string
		var bucket int
		var n int64
		if err := rows.Scan(&key, &bucket, &n); err != nil {
			rows.Close()
			return Counts{}, err
		}
		i, ok := pos[key]
		if !ok || bucket < 0 || bucket >= swapBuckets {
			continue
		}
		if hist[i] == nil {
			hist[i] = make([]int64, swapBuckets)
		}
		hist[i][bucket] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Counts{}, err
	}
	for i := range hist {
		c.Variants[i].MedianMS = histMedian(hist[i])
	}

	rows, err = tx.QueryContext(ctx, `/* Store.Counts */ select day, variant, exposures, conversions
		from variant_days where experiment_id = ? order by day`, e.ID)
	if err != nil {
		return Counts{}, err
	}
	defer rows.Close()
	lastDay := int64(-1 << 62)
	var start int
	for rows.Next() {
		var day, exposures, conversions int64
		var key string
		if err := rows.Scan(&day, &key, &exposures, &conversions); err != nil {
			return Counts{}, err
		}
		i, ok := pos[key]
		if !ok {
			continue
		}
		if day != lastDay {
			lastDay, start = day, len(c.Days)
			label := time.UnixMilli(day * msPerDay).UTC().Format(time.DateOnly)
			for _, v := range e.Variants {
				c.Days = append(c.Days, DayCounts{Day: label, Key: v.Key})
			}
		}
		c.Days[start+i].Exposures += exposures
		c.Days[start+i].Conversions += conversions
		if day > splitDay(e) {
			c.Variants[i].SinceSplit += exposures
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, err
	}
	if e.SplitChangedAt.IsZero() {
		for i := range c.Variants {
			c.Variants[i].SinceSplit = c.Variants[i].Exposures
		}
	}
	return c, nil
}

// splitDay is the UTC day (since 1970) the split of e last changed on: the
// visitors who first came on a later day were all split by its current
// weights. Before any change it is before every day.
func splitDay(e Experiment) int64 {
	if e.SplitChangedAt.IsZero() {
		return -1 << 62
	}
	return e.SplitChangedAt.UnixMilli() / msPerDay
}

// Swap-time histogram: buckets of 1 ms below 100 ms, 10 ms below 1 s,
// 100 ms below 10 s, 1 s below 60 s, and one bucket for the rest. A few
// hundred small rows per variant at most, whatever the traffic.
const swapBuckets = 331

func swapBucket(ms int64) int {
	switch {
	case ms < 0:
		return 0
	case ms < 100:
		return int(ms)
	case ms < 1000:
		return 100 + int(ms-100)/10
	case ms < 10_000:
		return 190 + int(ms-1000)/100
	case ms < 60_000:
		return 280 + int(ms-10_000)/1000
	default:
		return 330
	}
}

// swapBucketValue is the value a bucket stands for: the value itself for
// 1 ms buckets, the middle of wider ones, 60 s for the last.
func swapBucketValue(b int) float64 {
	switch {
	case b < 100:
		return float64(b)
	case b < 190:
		return 100 + float64(b-100)*10 + 4.5
	case b < 280:
		return 1000 + float64(b-190)*100 + 49.5
	case b < 330:
		return 10_000 + float64(b-280)*1000 + 499.5
	default:
		return 60_000
	}
}

// histMedian returns the median of a swap-time histogram (the mean of the
// two middle values when the count is even), or 0 when it is empty.
func histMedian(h []int64) float64 {
	var n int64
	for _, c := range h {
		n += c
	}
	if n == 0 {
		return 0
	}
	at := func(rank int64) float64 { // rank counts from 1
		for b, c := range h {
			if rank <= c {
				return swapBucketValue(b)
			}
			rank -= c
		}
		return swapBucketValue(len(h) - 1)
	}
	return (at((n+1)/2) + at(n/2+1)) / 2
}
