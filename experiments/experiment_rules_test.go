package experiments_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestStartNeedsTraffic: a test that could never answer does not start
// (nor resume): no visitor in it, no share for the original to compare
// with, or none for any variant. Each refusal has its code and changes
// nothing.
func TestStartNeedsTraffic(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	for _, tc := range []struct {
		name   string
		change func(*experiments.Experiment)
		code   string
	}{
		{"no traffic", func(e *experiments.Experiment) { e.CoverageBP = 0 }, "no_traffic"},
		{"original at 0%", func(e *experiments.Experiment) { experiments.Reweight(e.Variants, 0, 0) }, "control_without_traffic"},
		{"every variant at 0%", func(e *experiments.Experiment) { experiments.Reweight(e.Variants, 0, 10000) }, "variants_without_traffic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := s.CreateExperiment(ctx, draft(site.ID))
			if err != nil {
				t.Fatal(err)
			}
			tc.change(&e)
			if _, err := s.UpdateExperiment(ctx, e); err != nil {
				t.Fatal(err)
			}
			_, err = s.Transition(ctx, e.ID, experiments.ActionStart)
			var se *experiments.StateError
			if !errors.As(err, &se) || se.Code != tc.code {
				t.Fatalf("start: %v, want %s", err, tc.code)
			}
			if got := mustGet(t, s, e.ID); got.Status != experiments.StatusDraft {
				t.Fatalf("a refused start left it %s", got.Status)
			}

			// Started with traffic, then set to none and paused: resuming
			// is refused the same way.
			fixed := draft(site.ID)
			e2, _ := s.CreateExperiment(ctx, fixed)
			if _, err := s.Transition(ctx, e2.ID, experiments.ActionStart); err != nil {
				t.Fatal(err)
			}
			e2 = mustGet(t, s, e2.ID)
			tc.change(&e2)
			if _, err := s.UpdateExperiment(ctx, e2); err != nil {
				t.Fatal(err)
			}
			s.Transition(ctx, e2.ID, experiments.ActionPause)
			if _, err := s.Transition(ctx, e2.ID, experiments.ActionResume); !errors.As(err, &se) || se.Code != tc.code {
				t.Fatalf("resume: %v, want %s", err, tc.code)
			}
		})
	}
}

// TestCreateListsEveryProblem: an unknown site is listed with the other
// mistakes, not only once they are fixed.
func TestCreateListsEveryProblem(t *testing.T) {
	s := openStore(t)
	in := draft("no-such-site")
	in.Selector = ""
	_, err := s.CreateExperiment(context.Background(), in)
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	fields := map[string]bool{}
	for _, fe := range ve {
		fields[fe.Field+":"+fe.Code] = true
	}
	if !fields["site_id:unknown_site"] || len(ve) < 2 {
		t.Fatalf("errors %v lack the unknown site or the selector", ve)
	}
}

// TestSelectorCodeReachesForm: a selector that only matches on hover is
// refused with its own code, which the form and the API pass on.
func TestSelectorCodeReachesForm(t *testing.T) {
	s := openStore(t)
	in := draft(mustSite(t, s).ID)
	in.Selector = "a:hover"
	_, err := s.CreateExperiment(context.Background(), in)
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "selector" || ve[0].Code != "state_selector" {
		t.Fatalf("got %v", err)
	}
	in.Selector = ":is(body)"
	if _, err := s.CreateExperiment(context.Background(), in); !errors.As(err, &ve) || ve[0].Code != "invalid_selector" {
		t.Fatalf("got %v", err)
	}
}

// TestSiteDomainTooLong: a domain longer than DNS allows is told so, not
// that it has spaces or a path.
func TestSiteDomainTooLong(t *testing.T) {
	s := openStore(t)
	_, err := s.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: strings.Repeat("a", 250) + ".com"})
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Code != "too_long" || !strings.Contains(ve[0].Message, "253") {
		t.Fatalf("got %v", err)
	}
}
