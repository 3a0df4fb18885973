package app

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// bulkSpec describes the traffic bulkResults writes: visitors over days,
// with the variants' conversion rates, and how a segment changes them.
type bulkSpec struct {
	Events int       // about this many events in all
	Start  time.Time // the first day (UTC)
	Days   int
	Rates  map[string]float64 // conversion rate per variant key
	// Effect, when set, multiplies a visitor's conversion rate: by their
	// country and variant (the screenshots' "the US and India love it, the
	// UK does not").
	Effect func(country, variant string) float64
	Seed   uint64
}

// Segment values of bulk visitors, most common first (a rough Zipf).
var (
	bulkCountries = []string{"US", "IN", "GB", "DE", "FR", "CA", "BR", "AU", "NL", "ES", "IT", "PL", "SE", "JP", "MX",
		"ID", "TR", "PH", "NG", "ZA", "AR", "CH", "BE", "AT", "DK", "NO", "FI", "IE", "PT", "CZ", "RO", "GR", "IL", "SG",
		"KR", "NZ", "CL", "CO", "PE", "VN", "TH", "MY", "EG", "KE", "PK", "BD", "UA", "HU", "SK", "HR", ""}
	bulkDevices  = []string{"desktop", "mobile", "tablet"}
	bulkBrowsers = []string{"Chrome", "Safari", "Edge", "Firefox", "Samsung Internet", "Opera", "Other"}
	bulkUTMs     = []string{"", "newsletter", "google", "facebook", "linkedin", "spring-sale", "partner", "twitter",
		"reddit", "podcast", "affiliate", "youtube"}
)

// bulkReferrer is one of about 600 referring domains, most traffic from a
// few.
func bulkReferrer(rng *rand.Rand) string {
	switch k := zipf(rng, 12); k {
	case 0:
		return ""
	case 1:
		return "google.com"
	case 2:
		return "news.ycombinator.com"
	case 3:
		return "t.co"
	case 4:
		return "linkedin.com"
	default:
		return fmt.Sprintf("blog%d.example", rng.IntN(600))
	}
}

// zipf picks 0..n-1, the first most often.
func zipf(rng *rand.Rand, n int) int {
	return min(n-1, int(math.Floor(math.Pow(float64(n+1), rng.Float64())))-1)
}

// bulkResults writes an experiment's events straight into their final
// shape: the events, the visitors' rows and every aggregate the ingest
// writer keeps, in large transactions. It is how tests and benchmarks get
// millions of events in seconds (through Ingest, 10M events take minutes).
// Aggregates are added to what is there, so real traffic can follow.
func bulkResults(tb testing.TB, s *experiments.Store, site experiments.Site, e experiments.Experiment, spec bulkSpec) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(spec.Seed, 7))
	if spec.Days <= 0 {
		spec.Days = 1
	}
	var weights []int
	for _, v := range e.Variants {
		weights = append(weights, v.WeightBP)
	}
	pick := func() int {
		x := rng.IntN(10000)
		for i, w := range weights {
			if x < w {
				return i
			}
			x -= w
		}
		return len(weights) - 1
	}

	db := s.Writer()
	var maxSeq int64
	if err := db.QueryRow(`select coalesce(max(seq), 0) from events`).Scan(&maxSeq); err != nil {
		tb.Fatal(err)
	}
	seq := maxSeq
	eventID := func() []byte {
		b := make([]byte, 16)
		binary.BigEndian.PutUint64(b, uint64(time.Now().UnixMilli())<<16)
		binary.BigEndian.PutUint64(b[8:], uint64(seq)^spec.Seed<<40)
		return b
	}

	bw := newBulkWriter(tb, db)
	events := bw.table(`insert into events (seq, site_id, id, experiment_id, type, visitor, variant, goal, url,
		received_at, client_ts, matched, swap_ms, bot, country, device, browser, ref_domain, utm_source, ignored) values `, 20)
	visitors := bw.table(`insert into experiment_visitors (experiment_id, visitor, variant, state, first_at, first_seq, converted_at) values `, 7)

	type dayKey struct {
		day int64
		v   int
	}
	type segKey struct {
		dim, value string
		v          int
	}
	type pair struct{ exp, conv int64 }
	type health struct{ applied, missed int64 }
	counts := make([]pair, len(e.Variants))
	applied := make([]health, len(e.Variants))
	days := map[dayKey]pair{}
	hdays := map[dayKey]health{}
	segs := map[segKey]pair{}
	swaps := map[[2]int]int64{}
	var multiple, bots int64

	goal := e.Goal.Type
	if goal == experiments.GoalEvent {
		goal = e.Goal.Name
	}
	start := spec.Start.UTC().Truncate(24 * time.Hour).UnixMilli()
	n := 0
	for visitor := 0; n < spec.Events; visitor++ {
		vi := pick()
		key := e.Variants[vi].Key
		name := fmt.Sprintf("bulk-%d-%09d", spec.Seed, visitor)
		// Weekdays bring more visitors than weekends.
		day := rng.IntN(spec.Days)
		if wd := time.UnixMilli(start).AddDate(0, 0, day).Weekday(); (wd == time.Saturday || wd == time.Sunday) && rng.IntN(3) == 0 {
			day = rng.IntN(spec.Days)
		}
		at := start + int64(day)*86_400_000 + rng.Int64N(86_400_000)
		country := bulkCountries[zipf(rng, len(bulkCountries))]
		device := bulkDevices[zipf(rng, 3)]
		browser := bulkBrowsers[zipf(rng, len(bulkBrowsers))]
		ref, utm := bulkReferrer(rng), bulkUTMs[zipf(rng, len(bulkUTMs))]
		bot := rng.IntN(100) == 0
		two := !bot && rng.IntN(200) == 0 // sees a second variant later

		rate := spec.Rates[key]
		if spec.Effect != nil {
			rate *= spec.Effect(country, key)
		}
		converts := !bot && !two && rng.Float64() < rate
		botFlag := 0
		if bot {
			botFlag = 1
		}
		// Page views: the first, and often more.
		views := 1 + zipf(rng, 4)
		firstSeq := int64(0)
		for p := 0; p < views; p++ {
			seq++
			t := at + int64(p)*int64(rng.IntN(600_000))
			ms := 12 + zipf(rng, 80) // the histogram's 1 ms buckets
			ignored := ""
			if bot {
				ignored = experiments.ReasonBot
			}
			events.add(seq, site.ID, eventID(), e.ID, experiments.EventExposure, name, key, "", "https://shop.example/pricing",
				t, t, 1, ms, botFlag, country, device, browser, ref, utm, ignored)
			n++
			if p == 0 {
				firstSeq = seq
			}
			if !bot {
				applied[vi].applied++
				h := hdays[dayKey{t / 86_400_000, vi}]
				h.applied++
				hdays[dayKey{t / 86_400_000, vi}] = h
				swaps[[2]int{vi, ms}]++
			}
		}
		if rng.IntN(100) == 0 && !bot { // a page view where the element was missing
			seq++
			events.add(seq, site.ID, eventID(), e.ID, experiments.EventExposure, name, key, "", "https://shop.example/pricing",
				at, at, 0, nil, 0, country, device, browser, ref, utm, experiments.ReasonNotMatched)
			n++
			applied[vi].missed++
			h := hdays[dayKey{at / 86_400_000, vi}]
			h.missed++
			hdays[dayKey{at / 86_400_000, vi}] = h
		}
		if two {
			other := (vi + 1) % len(e.Variants)
			seq++
			t := at + 3_600_000
			events.add(seq, site.ID, eventID(), e.ID, experiments.EventExposure, name, e.Variants[other].Key, "", "https://shop.example/pricing",
				t, t, 1, 40, 0, country, device, browser, ref, utm, experiments.ReasonMultipleVariants)
			n++
			applied[other].applied++
		}
		var convAt any
		if converts {
			for c := 0; c < 1+zipf(rng, 3); c++ { // repeated conversions count once
				seq++
				t := at + 60_000 + rng.Int64N(3_600_000)
				ignored := ""
				if c > 0 {
					ignored = experiments.ReasonAlreadyConverted
				} else {
					convAt = t
				}
				events.add(seq, site.ID, eventID(), e.ID, experiments.EventConversion, name, "", goal, "https://shop.example/thanks",
					t, t, nil, nil, 0, "", "", "", "", "", ignored)
				n++
			}
		}

		state := 0
		switch {
		case bot:
			state = 2
			bots++
		case two:
			state = 1
			multiple++
		}
		visitors.add(e.ID, name, key, state, at, firstSeq, convAt)
		if state != 0 {
			continue
		}
		c := counts[vi]
		c.exp++
		d := days[dayKey{at / 86_400_000, vi}]
		d.exp++
		days[dayKey{at / 86_400_000, vi}] = d
		if converts {
			c.conv++
			t := convAt.(int64)
			d := days[dayKey{t / 86_400_000, vi}]
			d.conv++
			days[dayKey{t / 86_400_000, vi}] = d
		}
		counts[vi] = c
		for i, val := range []string{country, device, browser, ref, utm} {
			k := segKey{experiments.SegmentDimensions[i], val, vi}
			p := segs[k]
			p.exp++
			if converts {
				p.conv++
			}
			segs[k] = p
		}
	}
	bw.flush()

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	exec := func(q string, args ...any) {
		tb.Helper()
		if _, err := tx.Exec(q, args...); err != nil {
			tx.Rollback()
			tb.Fatalf("%s: %v", q[:40], err)
		}
	}
	for i, v := range e.Variants {
		exec(`insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed) values (?, ?, ?, ?, ?, ?)
			on conflict do update set exposures = exposures + excluded.exposures, conversions = conversions + excluded.conversions,
			applied = applied + excluded.applied, missed = missed + excluded.missed`,
			e.ID, v.Key, counts[i].exp, counts[i].conv, applied[i].applied, applied[i].missed)
	}
	for k, d := range days {
		exec(`insert into variant_days (experiment_id, day, variant, exposures, conversions) values (?, ?, ?, ?, ?)
			on conflict do update set exposures = exposures + excluded.exposures, conversions = conversions + excluded.conversions`,
			e.ID, k.day, e.Variants[k.v].Key, d.exp, d.conv)
	}
	for k, h := range hdays {
		exec(`insert into variant_health_days (experiment_id, day, variant, applied, missed) values (?, ?, ?, ?, ?)
			on conflict do update set applied = applied + excluded.applied, missed = missed + excluded.missed`,
			e.ID, k.day, e.Variants[k.v].Key, h.applied, h.missed)
	}
	for k, p := range segs {
		exec(`insert into variant_segments (experiment_id, dimension, value, variant, exposures, conversions) values (?, ?, ?, ?, ?, ?)
			on conflict do update set exposures = exposures + excluded.exposures, conversions = conversions + excluded.conversions`,
			e.ID, k.dim, k.value, e.Variants[k.v].Key, p.exp, p.conv)
	}
	for k, c := range swaps {
		exec(`insert into variant_swap_ms (experiment_id, variant, bucket, n) values (?, ?, ?, ?)
			on conflict do update set n = n + excluded.n`, e.ID, e.Variants[k[0]].Key, k[1], c)
	}
	exec(`insert into experiment_excluded (experiment_id, multiple_variants, bots) values (?, ?, ?)
		on conflict do update set multiple_variants = multiple_variants + excluded.multiple_variants, bots = bots + excluded.bots`,
		e.ID, multiple, bots)
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// bulkWriter batches rows into multi-row inserts (bulkRowsPerStmt rows a
// statement) inside transactions of about bulkRowsPerTx rows, on the
// store's one writer connection: every table shares the transaction.
type bulkWriter struct {
	tb     testing.TB
	db     *sql.DB
	tx     *sql.Tx
	inTx   int
	tables []*bulkTable
}

// bulkTable is one table's pending rows.
type bulkTable struct {
	w      *bulkWriter
	prefix string
	cols   int
	stmt   *sql.Stmt
	args   []any
}

const (
	bulkRowsPerStmt = 40
	bulkRowsPerTx   = 500_000
)

func newBulkWriter(tb testing.TB, db *sql.DB) *bulkWriter { return &bulkWriter{tb: tb, db: db} }

func (w *bulkWriter) table(prefix string, cols int) *bulkTable {
	t := &bulkTable{w: w, prefix: prefix, cols: cols}
	w.tables = append(w.tables, t)
	return t
}

func (t *bulkTable) add(vals ...any) {
	if len(vals) != t.cols {
		t.w.tb.Fatalf("bulk insert: %d values for %d columns", len(vals), t.cols)
	}
	t.args = append(t.args, vals...)
	if len(t.args) == t.cols*bulkRowsPerStmt {
		t.exec()
	}
}

func (t *bulkTable) statement(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", t.cols), ", ") + ")"
	return t.prefix + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

func (t *bulkTable) exec() {
	w := t.w
	rows := len(t.args) / t.cols
	if rows == 0 {
		return
	}
	if w.tx == nil {
		tx, err := w.db.Begin()
		if err != nil {
			w.tb.Fatal(err)
		}
		w.tx = tx
	}
	var err error
	if rows == bulkRowsPerStmt {
		if t.stmt == nil {
			if t.stmt, err = w.tx.Prepare(t.statement(rows)); err != nil {
				w.tb.Fatal(err)
			}
		}
		_, err = t.stmt.Exec(t.args...)
	} else {
		_, err = w.tx.Exec(t.statement(rows), t.args...)
	}
	if err != nil {
		w.tb.Fatalf("bulk insert: %v", err)
	}
	t.args = t.args[:0]
	w.inTx += rows
	if w.inTx >= bulkRowsPerTx {
		w.commit()
	}
}

func (w *bulkWriter) commit() {
	if w.tx == nil {
		return
	}
	for _, t := range w.tables {
		if t.stmt != nil {
			t.stmt.Close()
			t.stmt = nil
		}
	}
	if err := w.tx.Commit(); err != nil {
		w.tb.Fatal(err)
	}
	w.tx, w.inTx = nil, 0
}

// flush writes what is pending and commits.
func (w *bulkWriter) flush() {
	for _, t := range w.tables {
		t.exec()
	}
	w.commit()
}
