package experiments

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// msPerHour turns server milliseconds into UTC hours since 1970-01-01.
const msPerHour = 3_600_000

// HourCounts are one variant's new exposures and conversions in one UTC
// hour, counted as DayCounts are by day: a visitor's exposure in the hour
// of their first exposure, a conversion in the hour it happened, and a
// visitor excluded later (second variant, bot) in no hour at all. The
// hours of a day therefore add up to its DayCounts.
type HourCounts struct {
	Hour        time.Time // the start of the hour, UTC
	Key         string
	Exposures   int64
	Conversions int64
}

// Hours are an experiment's counted visitors and conversions by hour.
type Hours struct {
	// First is the server time of the first counted visitor's first
	// exposure; zero while nobody is counted.
	First time.Time
	// Hours are ordered by hour, then in the experiment's variant order,
	// every variant on every hour listed; only hours with a new visitor or
	// a conversion are.
	Hours []HourCounts
}

// Hours returns an experiment's counts by hour, for the charts of a young
// test, where a day is too coarse. No aggregate keeps hours (the writer
// keeps days, variant_days), so it reads the visitor rows themselves
// (experiment_visitors, whose counted rows are exactly what the day rows
// add up): one pass over the experiment's visitors, grouped in SQLite, so
// that only a few hundred rows come back whatever the traffic. Its cost
// grows with the experiment's visitors: callers ask only while the test
// is young.
func (s *Store) Hours(ctx context.Context, e Experiment) (Hours, error) {
	h, err := s.hours(ctx, e)
	if err != nil {
		return Hours{}, fmt.Errorf("experiments: hours %s: %w", e.ID, err)
	}
	return h, nil
}

func (s *Store) hours(ctx context.Context, e Experiment) (Hours, error) {
	pos := make(map[string]int, len(e.Variants))
	for i, v := range e.Variants {
		pos[v.Key] = i
	}
	// Grouped by the hour of the first exposure and the hour of the
	// conversion together, so that one scan gives both: a visitor's
	// conversion comes at or after their exposure, nearly always within a
	// few hours, so the pairs stay few.
	rows, err := s.r.QueryContext(ctx, `/* Store.Hours */ select variant, first_at / ?, converted_at / ?, count(*), min(first_at)
		from experiment_visitors where experiment_id = ? and state = ?
		group by variant, first_at / ?, converted_at / ?`,
		msPerHour, msPerHour, e.ID, visitorCounted, msPerHour, msPerHour)
	if err != nil {
		return Hours{}, err
	}
	defer rows.Close()
	type cell struct{ exposures, conversions int64 }
	byHour := map[int64][]cell{}
	add := func(hour int64, i int) *cell {
		c := byHour[hour]
		if c == nil {
			c = make([]cell, len(e.Variants))
			byHour[hour] = c
		}
		return &c[i]
	}
	first := int64(-1)
	for rows.Next() {
		var key string
		var exposedHour, n, firstAt int64
		var convHour sql.NullInt64
		if err := rows.Scan(&key, &exposedHour, &convHour, &n, &firstAt); err != nil {
			return Hours{}, err
		}
		i, ok := pos[key]
		if !ok {
			continue // a variant no longer in the experiment, as Counts skips it
		}
		add(exposedHour, i).exposures += n
		if convHour.Valid {
			add(convHour.Int64, i).conversions += n
		}
		if first < 0 || firstAt < first {
			first = firstAt
		}
	}
	if err := rows.Err(); err != nil {
		return Hours{}, err
	}
	var h Hours
	if first >= 0 {
		h.First = time.UnixMilli(first).UTC()
	}
	hours := make([]int64, 0, len(byHour))
	for hour := range byHour {
		hours = append(hours, hour)
	}
	sort.Slice(hours, func(a, b int) bool { return hours[a] < hours[b] })
	h.Hours = make([]HourCounts, 0, len(hours)*len(e.Variants))
	for _, hour := range hours {
		at := time.UnixMilli(hour * msPerHour).UTC()
		for i, v := range e.Variants {
			c := byHour[hour][i]
			h.Hours = append(h.Hours, HourCounts{Hour: at, Key: v.Key, Exposures: c.exposures, Conversions: c.conversions})
		}
	}
	return h, nil
}
