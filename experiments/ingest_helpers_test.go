package experiments_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"copylab/experiments"
)

// A desktop Chrome user agent: a person, not a bot.
const evChromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// evBaseTime is the server clock of the first request in the scenarios.
var evBaseTime = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// fixture is a store with one site and one running experiment (control and
// b, goal: the custom event "signup").
type evFixture struct {
	s    *experiments.Store
	site experiments.Site
	exp  experiments.Experiment
}

func evNewFixture(t testing.TB) evFixture {
	t.Helper()
	s := openStore(t)
	site, exp := evAddSiteAndExperiment(t, s, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"})
	return evFixture{s: s, site: site, exp: exp}
}

func evAddSiteAndExperiment(t testing.TB, s *experiments.Store, goal experiments.Goal) (experiments.Site, experiments.Experiment) {
	t.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatalf("create site: %v", err)
	}
	return site, evAddExperiment(t, s, site.ID, goal, true)
}

func evAddExperiment(t testing.TB, s *experiments.Store, siteID string, goal experiments.Goal, start bool) experiments.Experiment {
	t.Helper()
	ctx := context.Background()
	exp, err := s.CreateExperiment(ctx, experiments.Experiment{
		SiteID: siteID, Name: "Hero", Page: "/", Selector: experiments.OwnElement(), Goal: goal, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}},
	})
	if err != nil {
		t.Fatalf("create experiment: %v", err)
	}
	if start {
		if exp, err = s.Transition(ctx, exp.ID, experiments.ActionStart); err != nil {
			t.Fatalf("start: %v", err)
		}
	}
	return exp
}

func evNewIngester(t testing.TB, s *experiments.Store, o experiments.IngestOptions) *experiments.Ingester {
	t.Helper()
	in := experiments.NewIngester(s, o)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := in.Close(ctx); err != nil {
			t.Errorf("close ingester: %v", err)
		}
	})
	return in
}

func evID() string { return uuid.Must(uuid.NewV7()).String() }

// ev is one event of a test body; zero fields are left out of the JSON.
type ev struct {
	ID, Type, Experiment, Variant, Goal, URL, Ref, UTM string
	Matched                                            *bool
	MS                                                 *float64
}

func evExposure(exp, variant string) ev {
	return ev{ID: evID(), Type: experiments.EventExposure, Experiment: exp, Variant: variant, URL: "https://shop.example/"}
}

func evConversion(exp, goal string) ev {
	return ev{ID: evID(), Type: experiments.EventConversion, Experiment: exp, Goal: goal}
}

func evPtr[T any](v T) *T { return &v }

func (e ev) json() map[string]any {
	m := map[string]any{"id": e.ID, "type": e.Type, "experiment": e.Experiment, "ts": 1700000000000}
	for k, v := range map[string]string{"variant": e.Variant, "goal": e.Goal, "url": e.URL, "ref": e.Ref, "utm": e.UTM} {
		if v != "" {
			m[k] = v
		}
	}
	if e.Matched != nil {
		m["matched"] = *e.Matched
	}
	if e.MS != nil {
		m["ms"] = *e.MS
	}
	return m
}

// body builds a POST /e body.
func evBody(site, visitor string, bot bool, events ...ev) []byte {
	list := make([]map[string]any, len(events))
	for i, e := range events {
		list[i] = e.json()
	}
	m := map[string]any{"site": site, "visitor": visitor, "events": list}
	if bot {
		m["bot"] = true
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func evMeta(at time.Time) experiments.RequestMeta {
	return experiments.RequestMeta{UserAgent: evChromeUA, Country: "de", ReceivedAt: at}
}

// rows counts the rows of a table.
func evRows(t testing.TB, s *experiments.Store, table string) int {
	t.Helper()
	var n int
	if err := s.Reader().QueryRow(`select count(*) from ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// counts returns the experiment's counts.
func evCounts(t testing.TB, s *experiments.Store, exp experiments.Experiment) experiments.Counts {
	t.Helper()
	c, err := s.Counts(context.Background(), exp)
	if err != nil {
		t.Fatalf("counts: %v", err)
	}
	return c
}

// pairs sums up counts as exposures/conversions per variant key, for
// compact comparisons.
type evPair struct{ Exposures, Conversions int64 }

func evPairs(c experiments.Counts) map[string]evPair {
	m := map[string]evPair{}
	for _, v := range c.Variants {
		m[v.Key] = evPair{v.Exposures, v.Conversions}
	}
	return m
}
