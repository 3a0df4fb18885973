package experiments_test

import (
	"context"
	"errors"
	"testing"

	"copylab/experiments"
)

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
