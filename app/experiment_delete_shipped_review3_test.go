package app

import (
	"testing"

	"copylab/experiments"
)

// TestDeleteShippedSaysCopyGoes: deleting an experiment whose variant is
// shipped also takes that copy off the site; the question Delete asks
// said only "and all its results", so the person learnt it from the help
// beside the button at best. The question says it now. Found by a
// browser review.
func TestDeleteShippedSaysCopyGoes(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Shipped headline")
	e.transition(x.ID, experiments.ActionStart)
	e.transition(x.ID, experiments.ActionStop)
	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, "data-confirm=\"Delete “\u2068Pricing hero\u2069” and all its results? This cannot be undone.\"")

	if _, err := e.store.Ship(t.Context(), x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "data-confirm=\"Delete “\u2068Pricing hero\u2069” and all its results? Variant B stops showing: visitors will see your page&#39;s own copy again. This cannot be undone.\"")
}
