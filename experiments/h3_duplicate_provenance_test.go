package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// h3Drafted is a draft whose Variants D and E were drafted by a model and
// by the offline generator, approved by maya at 03:29 and 03:30 UTC (the
// time a variant's provenance line gives).
func h3Drafted(t *testing.T, s *experiments.Store) experiments.Experiment {
	t.Helper()
	ctx := context.Background()
	x, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 3, 29, 0, 0, time.UTC)
	x, _, err = s.AddVariants(ctx, x.ID, []experiments.Variant{
		{Text: "Plans that grow with your team", Source: "model", Model: "gpt-4o-mini", PromptVersion: "v3",
			Angle: "growth", Rationale: "Speaks to teams that grow.", Edited: true, ApprovedBy: "maya@shop.example", CreatedAt: at},
		{Text: "See what Acme Boards can do for you", Source: "offline", PromptVersion: "t1",
			ApprovedBy: "maya@shop.example", CreatedAt: at.Add(time.Minute)},
	}, experiments.User{})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestH3DuplicateKeepsProvenance: a duplicate's variants keep where each
// came from, whom it was approved by and when, rather than being
// restamped with the time of the duplicate; the follow-up's original is
// the shipped copy as the page's copy, with no drafting of its own to
// claim.
func TestH3DuplicateKeepsProvenance(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	x := h3Drafted(t, s)
	d, err := s.DuplicateExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Variants) != len(x.Variants) {
		t.Fatalf("%d variants, want %d", len(d.Variants), len(x.Variants))
	}
	for i, v := range d.Variants {
		w := x.Variants[i]
		t.Run(w.Key, func(t *testing.T) {
			if !v.CreatedAt.Equal(w.CreatedAt) {
				t.Errorf("approved at %s, want %s as in the original", v.CreatedAt.UTC(), w.CreatedAt.UTC())
			}
			if v.Source != w.Source || v.Model != w.Model || v.PromptVersion != w.PromptVersion || v.Angle != w.Angle ||
				v.Rationale != w.Rationale || v.Edited != w.Edited || v.ApprovedBy != w.ApprovedBy {
				t.Errorf("provenance %+v, want %+v", v, w)
			}
		})
	}
	if got := d.Variants[3].CreatedAt.UTC().Format("15:04"); got != "03:29" {
		t.Errorf("Variant D approved at %s, want 03:29", got)
	}

	// A duplicate of the duplicate still says when the copy was approved.
	dd, err := s.DuplicateExperiment(ctx, d.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := dd.Variants[4].CreatedAt.UTC().Format("15:04"); got != "03:30" || dd.Variants[4].ApprovedBy != "maya@shop.example" {
		t.Errorf("Variant E of the second copy: %+v", dd.Variants[4])
	}

	t.Run("follow-up", func(t *testing.T) {
		if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Ship(ctx, x.ID, "d"); err != nil {
			t.Fatal(err)
		}
		f, err := s.FollowUpExperiment(ctx, x.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The shipped copy is the page's copy now: the follow-up's
		// original, not a draft approved for this test.
		if v := f.Variants[0]; v.Text != "Plans that grow with your team" || v.Source != experiments.SourceControl ||
			v.Model != "" || v.PromptVersion != "" || v.ApprovedBy != "" || v.Edited || v.Angle != "" || v.Rationale != "" {
			t.Errorf("follow-up's original %+v", v)
		}
	})
}
