package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkIngestParse measures the validation of one POST /e body
// (Ingester.parse: decoding, checks, the look-up of the site and its
// experiments, cached), without the writer: the part of a request that
// grows with its events. "10" is a realistic visitor's body, "100" the
// most a body may hold, every event with its own id, in ascending order
// as UUIDv7s come, or in descending order ("100-descending"), the worst
// case of the search for an id given twice (sameID).
func BenchmarkIngestParse(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "copylab.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	site, err := s.CreateSite(ctx, Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		b.Fatal(err)
	}
	x, err := s.CreateExperiment(ctx, Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: OwnElement(),
		Goal: Goal{Type: GoalEvent, Name: "signup"}, CoverageBP: 10000,
		Variants: []Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, ActionStart); err != nil {
		b.Fatal(err)
	}
	in := NewIngester(s, IngestOptions{})
	defer in.Close(ctx)
	for _, tc := range []struct {
		name string
		n    int
		desc bool // the ids in descending order: each must be looked for
	}{{"10", 10, false}, {"100", 100, false}, {"100-descending", 100, true}} {
		events := make([]map[string]any, tc.n)
		for i := range events {
			// Fixed ids, so that every run decodes the same text (the JSON
			// decoder's allocations depend on it).
			k := i
			if tc.desc {
				k = tc.n - i
			}
			events[i] = map[string]any{"id": fmt.Sprintf("0190a5c4-7b2e-7def-8a3b-%012x", k), "type": EventExposure, "experiment": x.ID,
				"variant": "b", "url": "https://shop.example/pricing", "ts": 1_741_608_000_000 + i}
		}
		body, err := json.Marshal(map[string]any{"site": site.Key, "visitor": "visitor-1", "events": events})
		if err != nil {
			b.Fatal(err)
		}
		meta := RequestMeta{UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36", ReceivedAt: time.UnixMilli(1_741_608_000_000)}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ierr := in.parse(ctx, body, meta); ierr != nil {
					b.Fatal(ierr)
				}
			}
		})
	}
}
