package experiments_test

import (
	"context"
	"slices"
	"testing"

	"copylab/experiments"
)

// keysOf lists an experiment's variant keys in order.
func keysOf(e experiments.Experiment) []string {
	ks := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		ks[i] = v.Key
	}
	return ks
}

// TestAddVariantsNeverReusesAKey: copy added to a draft gets a key the
// experiment never gave before, removed variants' included, since keys
// name the copy in exports, recording links, the API and the history: a
// reused key would give two different copies one name. The next key comes
// after the last one copylab gave (as the edit form names new rows), and a
// key asked for that was used before is replaced too. Removals made with
// DeleteVariant and by saving the draft without a variant both count; the
// words quoted in a name do not.
func TestAddVariantsNeverReusesAKey(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		remove func(t *testing.T, s *experiments.Store, e experiments.Experiment)
		add    []experiments.Variant
		want   []string
	}{
		{"last variant deleted", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			if _, err := s.DeleteVariant(ctx, e.ID, "c"); err != nil {
				t.Fatal(err)
			}
		}, []experiments.Variant{{Text: "New copy"}}, []string{"control", "b", "d"}},
		{"every variant deleted", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			for _, k := range []string{"b", "c"} {
				if _, err := s.DeleteVariant(ctx, e.ID, k); err != nil {
					t.Fatal(err)
				}
			}
		}, []experiments.Variant{{Text: "New copy"}, {Text: "Newer copy"}}, []string{"control", "d", "e"}},
		{"saved without it", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			e.Variants = e.Variants[:2]
			e.Variants[0].WeightBP, e.Variants[1].WeightBP = 5000, 5000
			if _, err := s.UpdateExperiment(ctx, e); err != nil {
				t.Fatal(err)
			}
		}, []experiments.Variant{{Text: "New copy"}}, []string{"control", "b", "d"}},
		{"removed key asked for", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			if _, err := s.DeleteVariant(ctx, e.ID, "c"); err != nil {
				t.Fatal(err)
			}
		}, []experiments.Variant{{Key: "c", Text: "New copy"}}, []string{"control", "b", "d"}},
		{"a name holding the words", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			e.Name = "Removed Variant Z. Removed Variant Y."
			if _, err := s.UpdateExperiment(ctx, e); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DeleteVariant(ctx, e.ID, "c"); err != nil {
				t.Fatal(err)
			}
		}, []experiments.Variant{{Text: "New copy"}}, []string{"control", "b", "d"}},
		{"twice removed", func(t *testing.T, s *experiments.Store, e experiments.Experiment) {
			if _, err := s.DeleteVariant(ctx, e.ID, "c"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.AddVariants(ctx, e.ID, []experiments.Variant{{Text: "Between"}}, experiments.User{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DeleteVariant(ctx, e.ID, "d"); err != nil {
				t.Fatal(err)
			}
		}, []experiments.Variant{{Text: "New copy"}}, []string{"control", "b", "e"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
			if err != nil {
				t.Fatal(err)
			}
			if got := keysOf(e); !slices.Equal(got, []string{"control", "b", "c"}) {
				t.Fatalf("created with keys %v", got)
			}
			tc.remove(t, s, e)
			got, added, err := s.AddVariants(ctx, e.ID, tc.add, experiments.User{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keysOf(got), tc.want) {
				t.Errorf("keys after adding: %v, want %v", keysOf(got), tc.want)
			}
			if len(added) != len(tc.add) || added[len(added)-1].Key != tc.want[len(tc.want)-1] {
				t.Errorf("added %+v", added)
			}
		})
	}
}
