package experiments_test

import (
	"context"
	"strconv"
	"testing"

	"copylab/experiments"
)

// BenchmarkSearch measures the experiments lists' search on its own: a
// page of 50 and the tabs' counts over 5,000 experiments, a quarter of
// them named and placed outside ASCII (German names, Japanese pages), so
// that the search function runs once per experiment the query scans:
//
//	go test ./experiments -run '^$' -bench BenchmarkSearch -count 5
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s := openStore(b)
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5000 {
		name, page := "Hero test "+strconv.Itoa(i), "/pricing/"+strconv.Itoa(i)
		if i%4 == 0 {
			name, page = "Überschrift Größe "+strconv.Itoa(i), "/料金/"+strconv.Itoa(i)
		}
		if _, err := s.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: name, Page: page,
			Selector: `[data-copylab="hero"]`, CoverageBP: 10000, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
			Variants: []experiments.Variant{{Text: "Original headline"}, {Text: "New headline"}}}); err != nil {
			b.Fatal(err)
		}
	}
	for _, tt := range []struct{ name, q string }{
		{"ascii", "hero pricing/3"},
		{"letters", "GRÖSSE"},
		{"none", "nothing matches this"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			f := experiments.ExperimentFilter{SiteID: site.ID, Search: tt.q}
			for b.Loop() {
				if _, _, err := s.ExperimentsPage(ctx, experiments.PageQuery{Filter: f, Limit: 50}); err != nil {
					b.Fatal(err)
				}
				if _, err := s.StatusCounts(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
