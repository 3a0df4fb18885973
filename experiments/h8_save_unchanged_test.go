package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH8SaveUnchangedKeepsUpdatedAt: saving an experiment as it is, or a
// weight as it is, writes nothing: updated_at and the variants' times
// stay, and no history line is added; a real change moves updated_at.
func TestH8SaveUnchangedKeepsUpdatedAt(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	for _, started := range []bool{false, true} {
		x, err := s.CreateExperiment(ctx, draft(site.ID))
		if err != nil {
			t.Fatal(err)
		}
		if started {
			if x, err = s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := s.History(ctx, x.ID)
		time.Sleep(3 * time.Millisecond)
		w := x.Variants[1].WeightBP
		saves := map[string]func() (experiments.Experiment, error){
			"UpdateExperiment as read": func() (experiments.Experiment, error) { return s.UpdateExperiment(ctx, x) },
			"an empty patch": func() (experiments.Experiment, error) {
				return s.PatchExperiment(ctx, x.ID, func(*experiments.Experiment) error { return nil })
			},
			"the same weight": func() (experiments.Experiment, error) {
				return s.UpdateVariant(ctx, x.ID, x.Variants[1].Key, experiments.VariantPatch{WeightBP: &w})
			},
		}
		for name, save := range saves {
			got, err := save()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !got.UpdatedAt.Equal(x.UpdatedAt) {
				t.Errorf("started %v, %s: updated_at %v, was %v", started, name, got.UpdatedAt, x.UpdatedAt)
			}
			for i, v := range got.Variants {
				if !v.UpdatedAt.Equal(x.Variants[i].UpdatedAt) {
					t.Errorf("started %v, %s: variant %s rewritten", started, name, v.Key)
				}
			}
		}
		if after, _ := s.History(ctx, x.ID); len(after) != len(before) {
			t.Errorf("started %v: %d history lines, was %d", started, len(after), len(before))
		}
		got, err := s.PatchExperiment(ctx, x.ID, func(e *experiments.Experiment) error { e.Name = "Renamed"; return nil })
		if err != nil || !got.UpdatedAt.After(x.UpdatedAt) {
			t.Errorf("started %v: a rename: %v, updated_at %v (was %v)", started, err, got.UpdatedAt, x.UpdatedAt)
		}
	}
}
