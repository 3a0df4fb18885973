package experiments_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH4UpdateVariantCheckSeesBriefSavedMeanwhile: a variant's copy is held
// to the experiment's brief in the change's own transaction
// (VariantPatch.Check), so a brief saved after the caller read the
// experiment, and before the change, is the one the copy meets. The
// order of calls is the race: the API read the experiment, a drafting
// page saved a brief that bans a word, then the PATCH sent copy with it.
func TestH4UpdateVariantCheckSeesBriefSavedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	x, err := s.CreateExperiment(ctx, draft(site.ID))
	if err != nil {
		t.Fatal(err)
	}
	stale, err := s.Experiment(ctx, x.ID) // what the caller read
	if err != nil {
		t.Fatal(err)
	}
	const brief = `{"goal":"Sell plans","must_not_say":["cheap"]}`
	if err := s.SaveBrief(ctx, x.ID, brief); err != nil { // saved meanwhile
		t.Fatal(err)
	}

	refused := errors.New("breaks the brief")
	var seen []string
	check := func(before, after experiments.Experiment) error {
		seen = append(seen, after.Brief)
		if before.Brief != after.Brief {
			t.Errorf("before has brief %q, after %q", before.Brief, after.Brief)
		}
		if strings.Contains(after.Brief, `"cheap"`) && strings.Contains(strings.ToLower(after.Variants[1].Text), "cheap") {
			return refused
		}
		return nil
	}
	key := stale.Variants[1].Key
	text := "Cheap pricing that grows with you"
	_, err = s.UpdateVariant(ctx, x.ID, key, experiments.VariantPatch{Text: &text, Check: check})
	if !errors.Is(err, refused) {
		t.Fatalf("copy against the brief saved meanwhile: %v, want the check's refusal", err)
	}
	if len(seen) != 1 || seen[0] != brief {
		t.Errorf("the check saw the briefs %q, want the one saved meanwhile (%q), not the one read before (%q)", seen, brief, stale.Brief)
	}
	got, _ := s.Experiment(ctx, x.ID)
	if got.Variants[1].Text != stale.Variants[1].Text {
		t.Errorf("the refused copy was saved: %q", got.Variants[1].Text)
	}

	// Copy that meets the brief goes through, and the check sees the
	// change applied: the new text, beside the variants as stored.
	text = "Pricing that grows with your team"
	got, err = s.UpdateVariant(ctx, x.ID, key, experiments.VariantPatch{Text: &text, Check: func(before, after experiments.Experiment) error {
		if before.Variants[1].Text != stale.Variants[1].Text || after.Variants[1].Text != text {
			t.Errorf("check got %q → %q", before.Variants[1].Text, after.Variants[1].Text)
		}
		return check(before, after)
	}})
	if err != nil || got.Variants[1].Text != text {
		t.Fatalf("copy that meets the brief: %q, %v", got.Variants[1].Text, err)
	}
}
