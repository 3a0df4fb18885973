package experiments_test

import (
	"context"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestVariantTotals: the list's one-query totals equal Counts' per variant,
// for several experiments at once, and are zero for one without visitors.
func TestVariantTotals(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx := context.Background()
	other := evAddExperiment(t, f.s, f.site.ID, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, true)
	empty := evAddExperiment(t, f.s, f.site.ID, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, true)
	for i, v := range []string{"control", "b", "b", "control", "b"} {
		body := evBody(f.site.Key, "v"+strings.Repeat("x", i), false, evExposure(f.exp.ID, v), evConversion(f.exp.ID, "signup"),
			evExposure(other.ID, "control"))
		if _, err := in.Ingest(ctx, body, evMeta(evBaseTime)); err != nil {
			t.Fatal(err)
		}
	}
	all := []experiments.Experiment{f.exp, other, empty}
	totals, err := f.s.VariantTotals(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		c := evCounts(t, f.s, e)
		got := totals[e.ID]
		if len(got) != len(c.Variants) {
			t.Fatalf("%s: %d variants, want %d", e.ID, len(got), len(c.Variants))
		}
		for i, v := range c.Variants {
			if got[i].Key != v.Key || got[i].Exposures != v.Exposures || got[i].Conversions != v.Conversions {
				t.Errorf("%s variant %d: %+v, want %+v", e.ID, i, got[i], v)
			}
		}
	}
	if b := totals[f.exp.ID][1]; b.Exposures != 3 || b.Conversions != 3 {
		t.Errorf("b: %+v, want 3 visitors, 3 conversions", b)
	}
	if e := totals[empty.ID]; e[0].Exposures != 0 || e[1].Exposures != 0 {
		t.Errorf("empty: %+v", e)
	}
}
