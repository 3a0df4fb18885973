package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments"
)

// snippetBudget is DESIGN.md's budget for the tag: runtime and one
// experiment inlined, gzipped.
const snippetBudget = 2048

// guardBudget bounds the tag served for ?guard=1 (the guarded async
// install), like static's guardBudget: the guard's code costs about 51
// bytes gzipped, which only that build carries.
const guardBudget = 2100

// TestServedSnippetBudget checks the budget on the bytes the server really
// sends a browser (Accept-Encoding: gzip) for a realistic experiment, not on
// a render in isolation.
func TestServedSnippetBudget(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{
		SiteID: site.ID, Name: "Pricing headline", Page: "/pricing*", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{
			{Text: "Simple pricing for teams that ship every single week"},
			{Text: "Pricing that grows with your team, from the first sprint on"},
			{Text: "Pay only for the seats you use, and cancel whenever you like"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.transition(x.ID, experiments.ActionStart)

	for _, c := range []struct {
		query, name string
		budget      int
	}{
		{"", "served tag", snippetBudget},
		{"?guard=1", "served guard build", guardBudget},
	} {
		req := newRequest(http.MethodGet, "/s/"+site.Key+".js"+c.query, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		resp := e.do(req)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET the tag%s: %d, Content-Encoding %q", c.query, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		t.Logf("%s with one experiment: %d bytes gzipped (budget %d)", c.name, len(body), c.budget)
		if len(body) > c.budget {
			t.Errorf("the %s is %d bytes gzipped, over the budget of %d", c.name, len(body), c.budget)
		}
	}
}
