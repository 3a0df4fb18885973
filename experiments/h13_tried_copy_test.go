package experiments_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"copylab/experiments"
)

// h13Chain ships h9Shipped (A), follows it up (B, renamed "Pricing
// headline, round two") with two new variants, ships B's Variant B and follows that up (C): A shipped → B follows A,
// shipped → C follows B.
func h13Chain(t *testing.T, s *experiments.Store) (a, b, c experiments.Experiment) {
	t.Helper()
	ctx := context.Background()
	a = h9Shipped(t, s, mustSite(t, s).ID)
	b, err := s.FollowUpExperiment(ctx, a.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	b.Name = "Pricing headline, round two"
	if _, err := s.UpdateExperiment(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddVariants(ctx, b.ID, []experiments.Variant{{Text: "Pricing for teams of any size"},
		{Text: "Start free, upgrade when you grow"}}, experiments.User{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, b.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if b, err = s.Ship(ctx, b.ID, "b"); err != nil {
		t.Fatal(err)
	}
	if c, err = s.FollowUpExperiment(ctx, b.ID, 0); err != nil {
		t.Fatal(err)
	}
	return a, b, c
}

// h13Tried is TriedCopy as "text by NAME at STEPS" lines.
func h13Tried(t *testing.T, s *experiments.Store, id string) []string {
	t.Helper()
	tried, err := s.TriedCopy(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, tr := range tried {
		out = append(out, fmt.Sprintf("%s by %s at %d", tr.Text, tr.ExperimentName, tr.Steps))
	}
	return out
}

// TestH13TriedCopyChain: the copy the tests before a follow-up tried is
// every text of each test up the chain of follows, nearest first, each
// named by the nearest test that had it; a test that follows none has
// none, and a deleted test ends the chain.
func TestH13TriedCopyChain(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	a, b, c := h13Chain(t, s)
	tests := []struct {
		name string
		id   string
		want []string
	}{
		{"the first test", a.ID, []string{}},
		{"its follow-up", b.ID, []string{"Simple pricing by Pricing headline at 1", "Pricing that grows with you by Pricing headline at 1",
			"Pay only for what you use by Pricing headline at 1"}},
		{"the follow-up of the follow-up", c.ID, []string{
			"Pricing that grows with you by Pricing headline, round two at 1",
			"Pricing for teams of any size by Pricing headline, round two at 1",
			"Start free, upgrade when you grow by Pricing headline, round two at 1",
			"Simple pricing by Pricing headline at 2", "Pay only for what you use by Pricing headline at 2"}},
		{"no such test", "no-such-id", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h13Tried(t, s, tt.id); !slices.Equal(got, tt.want) {
				t.Errorf("tried\n%q\nwant\n%q", got, tt.want)
			}
		})
	}

	if _, err := s.DeleteExperiment(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := h13Tried(t, s, c.ID); len(got) != 3 {
		t.Errorf("after A's delete: %q, want B's three texts", got)
	}
}

// TestH13TriedCopyCycleAndBound: the walk up the follows stops after
// experiments.MaxFollows tests, and a loop in them (which copylab does
// not make, but a database edited by hand may hold) neither runs forever
// nor counts the follow-up's own copy as tried.
func TestH13TriedCopyCycleAndBound(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	n := experiments.MaxFollows + 5
	ids := make([]string, n)
	for i := range ids {
		in := draft(site.ID)
		in.Name = fmt.Sprintf("Test %d", i)
		in.Variants = []experiments.Variant{{Text: fmt.Sprintf("Copy %d", i)}}
		x, err := s.CreateExperiment(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = x.ID
	}
	link := func(from, to string) {
		t.Helper()
		if _, err := s.Writer().Exec(`update experiments set follows_id = ? where id = ?`, to, from); err != nil {
			t.Fatal(err)
		}
	}
	// Test i follows test i-1.
	for i := 1; i < n; i++ {
		link(ids[i], ids[i-1])
	}
	got := h13Tried(t, s, ids[n-1])
	if len(got) != experiments.MaxFollows || got[0] != fmt.Sprintf("Copy %d by Test %d at 1", n-2, n-2) ||
		got[len(got)-1] != fmt.Sprintf("Copy %d by Test %d at %d", n-1-experiments.MaxFollows, n-1-experiments.MaxFollows, experiments.MaxFollows) {
		t.Errorf("a long chain: %d tried %q", len(got), got)
	}

	// A loop of three, and one of a test with itself.
	link(ids[0], ids[2])
	if got := h13Tried(t, s, ids[2]); !slices.Equal(got, []string{"Copy 1 by Test 1 at 1", "Copy 0 by Test 0 at 2"}) {
		t.Errorf("a loop: %q", got)
	}
	link(ids[5], ids[5])
	if got := h13Tried(t, s, ids[5]); len(got) != 0 {
		t.Errorf("a test that follows itself: %q", got)
	}
}

// TestH13DuplicateKeepsFollows: a duplicate of a follow-up tests the same
// question again, so it follows the same test, and its history says so;
// a duplicate of a test that follows none follows none.
func TestH13DuplicateKeepsFollows(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	a, b, c := h13Chain(t, s)
	d, err := s.DuplicateExperiment(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.FollowsID != b.ID {
		t.Errorf("the duplicate of C follows %q, want B %q", d.FollowsID, b.ID)
	}
	if got := h13Tried(t, s, d.ID); len(got) != 5 {
		t.Errorf("the duplicate's tried copy: %q", got)
	}
	h, err := s.History(ctx, d.ID)
	want := "Duplicated from “Pricing headline, round two (follow-up)”, and like it follows “Pricing headline, round two”."
	if err != nil || len(h) == 0 || h[len(h)-1].Detail != want {
		t.Errorf("history %+v %v, want %q", h, err, want)
	}

	d, err = s.DuplicateExperiment(ctx, a.ID, 0)
	if err != nil || d.FollowsID != "" {
		t.Errorf("a duplicate of A follows %q (%v)", d.FollowsID, err)
	}
	if h, err = s.History(ctx, d.ID); err != nil || h[len(h)-1].Detail != "Duplicated from “Pricing headline”." {
		t.Errorf("history %+v %v", h, err)
	}
}
