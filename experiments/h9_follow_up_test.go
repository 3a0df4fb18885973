package experiments_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"copylab/experiments"
)

// h9Shipped is a stopped test of draft's three variants with a brief,
// threshold and options of its own, whose Variant B is shipped.
func h9Shipped(t *testing.T, s *experiments.Store, siteID string) experiments.Experiment {
	t.Helper()
	ctx := context.Background()
	in := draft(siteID)
	in.Brief = `{"goal":"Get visitors to buy","current_copy":"Simple pricing","audience":"small shops","must_not_say":["cheap"],"n":3,"extra":{"kept":true}}`
	in.Threshold = 0.05
	in.CoverageBP = 4000
	in.VisibleOnly = true
	x, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if x, err = s.Ship(ctx, x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestH9FollowUpExperiment: the follow-up of a shipped test is a new draft
// whose original is the shipped copy, alone, with the test's setup, its
// brief (the shipped copy as the current copy) and a history line that
// names where it comes from; the shipped test is left as it was.
func TestH9FollowUpExperiment(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	x := h9Shipped(t, s, site.ID)

	f, err := s.FollowUpExperiment(experiments.WithActor(ctx, "ann@example.com"), x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == x.ID || f.Seed == x.Seed || f.ShareToken == x.ShareToken || f.Status != experiments.StatusDraft ||
		!f.StartedAt.IsZero() || f.ShippedVariant != "" || f.Name != "Pricing headline (follow-up)" {
		t.Errorf("follow-up %+v", f)
	}
	if f.SiteID != x.SiteID || f.Page != x.Page || f.Selector != x.Selector || f.Goal != x.Goal ||
		f.CoverageBP != x.CoverageBP || f.VisibleOnly != x.VisibleOnly || f.Threshold != x.Threshold {
		t.Errorf("setup differs: %+v\nof %+v", f, x)
	}
	if len(f.Variants) != 1 {
		t.Fatalf("variants %+v, want the shipped copy alone", f.Variants)
	}
	if v := f.Variants[0]; v.Key != experiments.ControlKey || v.Text != "Pricing that grows with you" ||
		v.Source != experiments.SourceControl || v.WeightBP != 10000 {
		t.Errorf("original %+v", v)
	}

	var brief map[string]any
	if err := json.Unmarshal([]byte(f.Brief), &brief); err != nil {
		t.Fatalf("brief %q: %v", f.Brief, err)
	}
	if brief["current_copy"] != "Pricing that grows with you" || brief["goal"] != "Get visitors to buy" ||
		brief["audience"] != "small shops" || brief["n"] != 3.0 || len(brief["must_not_say"].([]any)) != 1 || brief["extra"] == nil {
		t.Errorf("brief %s", f.Brief)
	}

	h, err := s.History(ctx, f.ID)
	if err != nil || len(h) != 1 {
		t.Fatalf("history %+v %v", h, err)
	}
	if h[0].Action != experiments.ChangeCreated || h[0].Actor != "ann@example.com" ||
		h[0].Detail != "Follows “Pricing headline” (shipped Variant B)." {
		t.Errorf("history %+v", h[0])
	}

	got, err := s.Experiment(ctx, x.ID)
	if err != nil || got.ShippedVariant != "b" || got.Status != experiments.StatusStopped || len(got.Variants) != 3 || got.Brief != x.Brief {
		t.Errorf("the shipped test after its follow-up: %+v %v", got, err)
	}

	// A follow-up of the follow-up is numbered rather than suffixed twice.
	if _, err := s.Transition(ctx, f.ID, experiments.ActionStart); err == nil {
		t.Fatal("a follow-up with only its original started")
	}
	f, err = s.UpdateExperiment(ctx, withVariant(f, "Prices that fit your shop"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, f.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ship(ctx, f.ID, f.Variants[1].Key); err != nil {
		t.Fatal(err)
	}
	g, err := s.FollowUpExperiment(ctx, f.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "Pricing headline (follow-up 2)" || g.Variants[0].Text != "Prices that fit your shop" {
		t.Errorf("second follow-up %q %+v", g.Name, g.Variants)
	}
}

func withVariant(e experiments.Experiment, text string) experiments.Experiment {
	e.Variants = append(e.Variants, experiments.Variant{Text: text})
	for i := range e.Variants {
		e.Variants[i].WeightBP = 0
	}
	return e
}

// TestH9FollowUpRefused: a test with nothing shipped (a draft, a running
// or stopped test, one shipped and unshipped) has no copy to follow up
// on: not_shipped, saying what to do instead, and no new experiment.
func TestH9FollowUpRefused(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	x, err := s.CreateExperiment(ctx, draft(site.ID))
	if err != nil {
		t.Fatal(err)
	}
	refused := func(name string) {
		t.Helper()
		_, err := s.FollowUpExperiment(ctx, x.ID, 0)
		var se *experiments.StateError
		if !errors.As(err, &se) || se.Code != "not_shipped" || !strings.Contains(se.Message, "ship a variant first") ||
			!strings.Contains(se.Message, "Duplicate") {
			t.Errorf("%s: %v", name, err)
		}
	}
	refused("draft")
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	refused("running")
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	refused("stopped")
	if _, err := s.Ship(ctx, x.ID, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unship(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	refused("unshipped")
	if xs, err := s.Experiments(ctx, experiments.ExperimentFilter{}); err != nil || len(xs) != 1 {
		t.Errorf("%d experiments after refused follow-ups (%v)", len(xs), err)
	}
	if _, err := s.FollowUpExperiment(ctx, "no-such-id", 0); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("follow-up of nothing: %v", err)
	}
}

// TestH9FollowUpBriefAndName: a test without a brief gives a follow-up
// without one (drafting then starts from the original, as for any
// draft), and a name at the length limit still takes the suffix.
func TestH9FollowUpBriefAndName(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	in := draft(site.ID)
	in.Name = strings.Repeat("é", experiments.MaxNameLen)
	x, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ship(ctx, x.ID, "c"); err != nil {
		t.Fatal(err)
	}
	f, err := s.FollowUpExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Brief != "{}" {
		t.Errorf("brief %q, want none", f.Brief)
	}
	if n := utf8.RuneCountInString(f.Name); n != experiments.MaxNameLen || !strings.HasSuffix(f.Name, " (follow-up)") {
		t.Errorf("name of %d runes: %q", n, f.Name)
	}
	if len(f.Variants) != 1 || f.Variants[0].Text != "Pay only for what you use" {
		t.Errorf("variants %+v", f.Variants)
	}
}
