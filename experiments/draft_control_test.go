package experiments_test

import (
	"context"
	"errors"
	"testing"

	"copylab/experiments"
)

// A program creates a draft with only the control and then generates
// variants for it; the draft cannot start until it has one.
func TestDraftWithOnlyTheControl(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := draft(mustSite(t, s).ID)
	in.Variants = in.Variants[:1]
	e, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatalf("create with only the control: %v", err)
	}
	if len(e.Variants) != 1 || e.Variants[0].Key != experiments.ControlKey || e.Variants[0].WeightBP != 10000 {
		t.Fatalf("variants: %+v", e.Variants)
	}

	_, err = s.Transition(ctx, e.ID, experiments.ActionStart)
	var se *experiments.StateError
	if !errors.As(err, &se) || se.Code != "too_few_variants" {
		t.Fatalf("start with only the control: %v", err)
	}

	e, added, err := s.AddVariants(ctx, e.ID, []experiments.Variant{{Text: "Pricing that grows with you", Source: experiments.SourceModel,
		Model: "test-model", PromptVersion: "v1", Angle: "growth", Rationale: "Because.", ApprovedBy: "ana@example.com"}}, experiments.User{})
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	if len(added) != 1 || added[0].Key != "b" || added[0].ApprovedBy != "ana@example.com" || added[0].Model != "test-model" {
		t.Fatalf("added: %+v", added)
	}
	if e.Variants[0].WeightBP+e.Variants[1].WeightBP != 10000 {
		t.Fatalf("weights: %+v", e.Variants)
	}
	if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		t.Fatalf("start with a variant: %v", err)
	}
}

func TestExperimentNeedsTheControl(t *testing.T) {
	s := openStore(t)
	in := draft(mustSite(t, s).ID)
	in.Variants = nil
	_, err := s.CreateExperiment(context.Background(), in)
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || ve.For("variants") == "" {
		t.Fatalf("want a variants error, got %v", err)
	}

	in.Variants = []experiments.Variant{{Text: "Simple pricing", WeightBP: 5000}}
	_, err = s.CreateExperiment(context.Background(), in)
	if !errors.As(err, &ve) || ve.For("weights") == "" {
		t.Fatalf("want a weights error for a lone control at 50%%, got %v", err)
	}
}
