package experiments_test

import (
	"context"
	"slices"
	"testing"

	"copylab/experiments"
)

// TestUpdateExperimentNeverReusesAKey: a variant saved into a draft
// without a key gets one the experiment never gave, as AddVariants gives:
// the store keeps the rule, not only the edit page. A variant sent back
// with the key of one removed since (a page opened before the removal) is
// saved as new copy under a new key; a key the draft never gave is kept.
func TestUpdateExperimentNeverReusesAKey(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		rows []experiments.Variant // after control and b
		want []string
	}{
		{"a row without a key", []experiments.Variant{{Text: "New copy"}}, []string{"control", "b", "d"}},
		{"two rows without a key", []experiments.Variant{{Text: "New copy"}, {Text: "Newer copy"}}, []string{"control", "b", "d", "e"}},
		{"the removed key sent back", []experiments.Variant{{Key: "c", Text: "C, changed on an older page"}}, []string{"control", "b", "d"}},
		{"a key of its own", []experiments.Variant{{Key: "hero", Text: "New copy"}}, []string{"control", "b", "hero"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
			if err != nil {
				t.Fatal(err)
			}
			if e, err = s.DeleteVariant(ctx, e.ID, "c"); err != nil {
				t.Fatal(err)
			}
			e.Variants = append(e.Variants[:2:2], tc.rows...)
			for i := range e.Variants {
				e.Variants[i].WeightBP = 0 // an equal split
			}
			got, err := s.UpdateExperiment(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keysOf(got), tc.want) {
				t.Errorf("keys %v, want %v", keysOf(got), tc.want)
			}
		})
	}
}
