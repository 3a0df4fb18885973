package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestAddingDraftsSaysTheSplitResets: adding drafts splits the test
// equally again. Where someone set the split unequal, the drafting page
// says so beside the add button, before the add, and the flash after it
// says what the split was; an equal split gets neither.
func TestAddingDraftsSaysTheSplitResets(t *testing.T) {
	g := newGenFixture(t, nil)
	ctx := context.Background()
	x := g.x
	x.Variants[0].WeightBP, x.Variants[1].WeightBP = 3000, 7000
	if _, err := g.e.store.UpdateExperiment(ctx, x); err != nil {
		t.Fatal(err)
	}
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	body := g.wait(t, statusURL)
	const note = "Adding drafts splits the test equally again: the split you set (Original 30% / Variant B 70%) is replaced."
	wantContains(t, body, note)
	texts := draftTexts(body)
	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := g.c.get(resp.Header.Get("Location"))
	wantContains(t, page, "The split is equal again (it was Original 30% / Variant B 70%): set it again on the experiment page if you want it back.")
	got, err := g.e.store.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal := append([]experiments.Variant(nil), got.Variants...)
	experiments.EqualWeights(equal)
	for i := range equal {
		if equal[i].WeightBP != got.Variants[i].WeightBP {
			t.Errorf("after the add: %s has %d, want the equal split", got.Variants[i].Key, got.Variants[i].WeightBP)
		}
	}

	// Now equal: no note.
	statusURL, _ = g.start(t, g.brief(1))
	body = g.wait(t, statusURL)
	wantNotContains(t, body, "Adding drafts splits the test equally again")
}
