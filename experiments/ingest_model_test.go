package experiments_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"copylab/experiments"
)

// TestIngestMatchesModel sends random event streams (resends, unmatched
// exposures, other goals, visitors switching variants, conversions before
// exposures) and compares the incremental counts with a recount of the whole
// log that follows ../shared/spec/statistics.md directly.
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
					events = append(events, e)
					exps = append(exps, logged{visitor: visitor, typ: "exposure", variant: variant, matched: matched, at: at})
				}
				b := evBody(f.site.Key, visitor, false, events...)
				if _, err := in.Ingest(context.Background(), b, evMeta(at)); err != nil {
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
			}
			vs := map[string]*visitor{}
			for _, e := range log {
				v := vs[e.visitor]
				switch {
				case e.typ == "exposure" && e.matched:
					if v == nil {
						v = &visitor{variants: map[string]bool{}, first: e.variant, firstAt: e.at}
						vs[e.visitor] = v
					}
					v.variants[e.variant] = true
				case e.typ == "conversion" && e.goal == "signup" && v != nil && !e.at.Before(v.firstAt) && v.convAt.IsZero():
					v.convAt = e.at
				}
			}
			want := map[string]evPair{"control": {}, "b": {}}
			days := map[[2]string]evPair{}
			var multiple int64
			for _, v := range vs {
				if len(v.variants) > 1 {
					multiple++
					continue
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
		})
	}
}
