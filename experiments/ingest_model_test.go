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
// exposures and in the same millisecond as them, bots flagged by the body or
// by their user agent, requests written one batch each or several to a
// batch, visitors arriving from different countries, devices and traffic
// sources, spells while the experiment is paused) and compares the
// incremental counts, day rows and segment aggregates with a recount of
// the whole log that follows ../shared/spec/statistics.md and the product
// rule on bots directly, and the segment aggregates also with a recount in
// SQL from the stored events.
func TestIngestMatchesModel(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
			rng := rand.New(rand.NewPCG(seed, 99))
			x, keys := f.exp.ID, []string{"control", "b"}

			type logged struct {
				visitor, typ, variant, goal string
				matched, bot, paused        bool
				at                          time.Time
				seg                         [5]string // exposures: country, device, browser, referrer, utm_source
			}
			var log []logged // every distinct event, in the order sent
			var sent []evCall
			var group []evCall // requests to write in one batch, after the first
			flush := func() {
				switch {
				case len(group) == 1:
					if _, err := in.Ingest(context.Background(), group[0].body, group[0].meta); err != nil {
						t.Fatal(err)
					}
				case len(group) > 1:
					inOneBatch(t, in, group[0], group[1:]...)
				}
				group = group[:0]
			}
			at, last := evBaseTime, 0
			paused := false
			for i := 0; i < 300; i++ {
				// Now and then the experiment is paused or resumed, between
				// two batches.
				if rng.IntN(25) == 0 {
					flush()
					action := experiments.ActionPause
					if paused {
						action = experiments.ActionResume
					}
					if _, err := f.s.Transition(context.Background(), x, action); err != nil {
						t.Fatal(err)
					}
					paused = !paused
				}
				// A quarter of the requests come from the visitor of the
				// request before, in the same millisecond (another tab, or
				// the site's backend); a quarter of the others share their
				// millisecond too.
				same := rng.IntN(4) == 0
				if !same && rng.IntN(4) != 0 {
					at = at.Add(time.Duration(rng.IntN(40)) * time.Minute)
				}
				if len(group) == 0 || rng.IntN(2) == 0 {
					flush()
				}
				if len(sent) > 0 && rng.IntN(10) == 0 { // a resend changes nothing
					c := sent[rng.IntN(len(sent))]
					group = append(group, evCall{c.body, evAt(at)})
					continue
				}
				v := rng.IntN(120)
				if same {
					v = last
				}
				last = v
				visitor := fmt.Sprintf("v%d", v)
				meta := evAt(at)
				meta.Country = modelCountries[rng.IntN(len(modelCountries))]
				meta.UserAgent = modelAgents[rng.IntN(len(modelAgents))]
				uaBot := rng.IntN(40) == 0
				if uaBot {
					meta.UserAgent = evGooglebot
				}
				bot := rng.IntN(30) == 0
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
						convs = append(convs, logged{visitor: visitor, typ: "conversion", goal: goal, bot: bot, paused: paused, at: at})
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
					exps = append(exps, logged{visitor: visitor, typ: "exposure", variant: variant, matched: matched, bot: bot || uaBot,
						paused: paused, at: at,
						seg: [5]string{strings.ToUpper(meta.Country), ua.Device, ua.Browser, experiments.RefDomain(e.Ref), e.UTM}})
				}
				c := evCall{evBody(f.site.Key, visitor, bot, events...), meta}
				group = append(group, c)
				sent = append(sent, c)
				log = append(append(log, exps...), convs...)
			}
			flush()

			// The model: per visitor, whether any event showed a bot (paused
			// or not: a bot is a bot for the whole experiment), the variants
			// of matched exposures, the first one's time, and the earliest
			// signup at or after it (server time; the order in which events
			// of one millisecond came does not matter), events that came
			// while the experiment was paused left out.
			type visitor struct {
				bot, exposed bool
				variants     map[string]bool
				first        string
				firstAt      time.Time
				convAt       time.Time
				seg          [5]string
			}
			vs := map[string]*visitor{}
			for _, e := range log {
				v := vs[e.visitor]
				if v == nil {
					v = &visitor{variants: map[string]bool{}}
					vs[e.visitor] = v
				}
				v.bot = v.bot || e.bot
				if e.typ == "exposure" && e.matched && !e.paused {
					v.exposed = true
					if !e.bot && v.first == "" {
						v.first, v.firstAt, v.seg = e.variant, e.at, e.seg
					}
					if !e.bot {
						v.variants[e.variant] = true
					}
				}
			}
			for _, e := range log {
				v := vs[e.visitor]
				if e.typ == "conversion" && e.goal == "signup" && !e.paused && v.first != "" && !e.at.Before(v.firstAt) &&
					(v.convAt.IsZero() || e.at.Before(v.convAt)) {
					v.convAt = e.at
				}
			}
			var bots int64
			for k, v := range vs {
				if v.bot {
					if v.exposed {
						bots++
					}
					delete(vs, k)
				} else if v.first == "" {
					delete(vs, k)
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

			t.Logf("model: %v, %d multiple, %d bots, %d day rows", want, multiple, bots, len(days))
			c := evCounts(t, f.s, f.exp)
			if got := evPairs(c); !reflect.DeepEqual(got, want) {
				t.Errorf("counts = %v, model %v", got, want)
			}
			if c.MultipleVariants != multiple || c.Bots != bots {
				t.Errorf("excluded: %d multiple variants, %d bots; model %d, %d", c.MultipleVariants, c.Bots, multiple, bots)
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
