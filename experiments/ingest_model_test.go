package experiments_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestIngestMatchesModel sends random event streams (resends, unmatched
// exposures, other goals, visitors switching variants, conversions before
// exposures, visitors arriving from different countries, devices and
// traffic sources) and compares the incremental counts, day rows and segment
// aggregates with a recount of the whole log that follows
// ../shared/spec/statistics.md directly, and the segment aggregates also
// with a recount in SQL from the stored events.
func TestIngestMatchesModel(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
			rng := rand.New(rand.NewPCG(seed, 99))
			x, keys := f.exp.ID, []string{"control", "b"}

			type logged struct {
				visitor, typ, variant, goal string
				matched                     bool
				at                          time.Time
				seg                         [5]string // exposures: country, device, browser, referrer, utm_source
			}
			var log []logged // every distinct event, in the order the server applied them
			var sent [][]byte
			at := evBaseTime
			for i := 0; i < 300; i++ {
				at = at.Add(time.Duration(rng.IntN(40)) * time.Minute)
				if len(sent) > 0 && rng.IntN(10) == 0 { // a resend changes nothing
					if _, err := in.Ingest(context.Background(), sent[rng.IntN(len(sent))], evMeta(at)); err != nil {
						t.Fatal(err)
					}
					continue
				}
				v := rng.IntN(80)
				visitor := fmt.Sprintf("v%d", v)
				meta := evMeta(at)
				meta.Country = modelCountries[rng.IntN(len(modelCountries))]
				meta.UserAgent = modelAgents[rng.IntN(len(modelAgents))]
				ua := experiments.ParseUserAgent(meta.UserAgent)
				var events []ev
				var exps, convs []logged
				for n := 1 + rng.IntN(3); n > 0; n-- {
					if rng.IntN(3) == 0 {
						goal := "signup"
						if rng.IntN(5) == 0 {
							goal = "other"
						}
						events = append(events, evConversion(x, goal))
						convs = append(convs, logged{visitor: visitor, typ: "conversion", goal: goal, at: at})
						continue
					}
					variant := keys[v%2]
					if rng.IntN(60) == 0 {
						variant = keys[(v+1)%2]
					}
					e := evExposure(x, variant)
					matched := rng.IntN(10) != 0
					if !matched {
						e.Matched = evPtr(false)
					}
					e.Ref = modelRefs[rng.IntN(len(modelRefs))]
					e.UTM = modelUTMs[rng.IntN(len(modelUTMs))]
					events = append(events, e)
					exps = append(exps, logged{visitor: visitor, typ: "exposure", variant: variant, matched: matched, at: at,
						seg: [5]string{strings.ToUpper(meta.Country), ua.Device, ua.Browser, experiments.RefDomain(e.Ref), e.UTM}})
				}
				b := evBody(f.site.Key, visitor, false, events...)
				if _, err := in.Ingest(context.Background(), b, meta); err != nil {
					t.Fatal(err)
				}
				sent = append(sent, b)
				log = append(append(log, exps...), convs...) // exposures of a request apply first
			}

			// The model: per visitor, the variants of matched exposures, the
			// first one's time, and whether a signup came at or after it.
			type visitor struct {
				variants map[string]bool
				first    string
				firstAt  time.Time
				convAt   time.Time
				seg      [5]string
			}
			vs := map[string]*visitor{}
			for _, e := range log {
				v := vs[e.visitor]
				switch {
				case e.typ == "exposure" && e.matched:
					if v == nil {
						v = &visitor{variants: map[string]bool{}, first: e.variant, firstAt: e.at, seg: e.seg}
						vs[e.visitor] = v
					}
					v.variants[e.variant] = true
				case e.typ == "conversion" && e.goal == "signup" && v != nil && !e.at.Before(v.firstAt) && v.convAt.IsZero():
					v.convAt = e.at
				}
			}
			want := map[string]evPair{"control": {}, "b": {}}
			days := map[[2]string]evPair{}
			segs := map[[3]string]evPair{} // dimension, value, variant
			var multiple int64
			for _, v := range vs {
				if len(v.variants) > 1 {
					multiple++
					continue
				}
				for i, dim := range experiments.SegmentDimensions {
					k := [3]string{dim, v.seg[i], v.first}
					sp := segs[k]
					sp.Exposures++
					if !v.convAt.IsZero() {
						sp.Conversions++
					}
					segs[k] = sp
				}
				p := want[v.first]
				p.Exposures++
				d := days[[2]string{v.firstAt.UTC().Format(time.DateOnly), v.first}]
				d.Exposures++
				days[[2]string{v.firstAt.UTC().Format(time.DateOnly), v.first}] = d
				if !v.convAt.IsZero() {
					p.Conversions++
					d := days[[2]string{v.convAt.UTC().Format(time.DateOnly), v.first}]
					d.Conversions++
					days[[2]string{v.convAt.UTC().Format(time.DateOnly), v.first}] = d
				}
				want[v.first] = p
			}

			t.Logf("model: %v, %d multiple, %d day rows", want, multiple, len(days))
			c := evCounts(t, f.s, f.exp)
			if got := evPairs(c); !reflect.DeepEqual(got, want) {
				t.Errorf("counts = %v, model %v", got, want)
			}
			if c.MultipleVariants != multiple {
				t.Errorf("multiple variants = %d, model %d", c.MultipleVariants, multiple)
			}
			gotDays := map[[2]string]evPair{}
			var order []string
			for _, d := range c.Days {
				if d.Exposures != 0 || d.Conversions != 0 {
					gotDays[[2]string{d.Day, d.Key}] = evPair{d.Exposures, d.Conversions}
				}
				order = append(order, d.Day)
			}
			if !reflect.DeepEqual(gotDays, days) {
				t.Errorf("days = %v\nmodel %v", gotDays, days)
			}
			if !sort.StringsAreSorted(order) {
				t.Errorf("days out of order: %v", order)
			}

			dims, err := f.s.Segments(context.Background(), f.exp, 0)
			if err != nil {
				t.Fatal(err)
			}
			gotSegs := map[[3]string]evPair{}
			for _, d := range dims {
				for _, v := range d.Values {
					for _, a := range v.Arms {
						if a.Exposures != 0 || a.Conversions != 0 {
							gotSegs[[3]string{d.Dimension, v.Value, a.Key}] = evPair{a.Exposures, a.Conversions}
						}
					}
				}
			}
			if !reflect.DeepEqual(gotSegs, segs) {
				t.Errorf("segments = %v\nmodel %v", gotSegs, segs)
			}
			if sql := sqlSegmentRecount(t, f.s, x); !reflect.DeepEqual(gotSegs, sql) {
				t.Errorf("segments = %v\nSQL recount %v", gotSegs, sql)
			}
			t.Logf("%d segment rows", len(segs))
		})
	}
}

// The model's visitors come from a few countries ("" unknown), devices and
// traffic sources.
var (
	modelCountries = []string{"us", "IN", "GB", ""}
	modelAgents    = []string{evChromeUA,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"}
	modelRefs = []string{"", "https://www.google.com/search?q=x", "https://news.ycombinator.com/item?id=1"}
	modelUTMs = []string{"", "newsletter", "spring-sale"}
)

// sqlSegmentRecount counts segments straight from the stored events: each
// counted visitor in the values of their first exposure.
func sqlSegmentRecount(t *testing.T, s *experiments.Store, exp string) map[[3]string]evPair {
	t.Helper()
	rows, err := s.Reader().Query(`select e.country, e.device, e.browser, e.ref_domain, e.utm_source, v.variant, v.converted_at is not null
		from experiment_visitors v join events e on e.seq = v.first_seq where v.experiment_id = ? and v.state = 0`, exp)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[[3]string]evPair{}
	for rows.Next() {
		var vals [5]string
		var variant string
		var converted bool
		if err := rows.Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &variant, &converted); err != nil {
			t.Fatal(err)
		}
		for i, dim := range experiments.SegmentDimensions {
			k := [3]string{dim, vals[i], variant}
			p := out[k]
			p.Exposures++
			if converted {
				p.Conversions++
			}
			out[k] = p
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
