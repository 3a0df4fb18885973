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

	req := newRequest(http.MethodGet, "/s/"+site.Key+".js", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp := e.do(req)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET the tag: %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	t.Logf("served tag with one experiment: %d bytes gzipped (budget %d)", len(body), snippetBudget)
	if len(body) > snippetBudget {
		t.Fatalf("the served tag is %d bytes gzipped, over the budget of %d", len(body), snippetBudget)
	}
}
