package app

import "testing"

// TestVariantShareWords: under each variant, the experiment page gave its
// weight as a share "of traffic": on a test of half the visitors, the
// original's 50% is a quarter of the site's traffic. It says "of the
// test's visitors", as the drafting page does. Found by a browser review.
func TestVariantShareWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Half", "Old", "New")
	x.CoverageBP = 5000
	if _, err := e.store.UpdateExperiment(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, "key <code>control</code> · 50% of the test's visitors ·", "key <code>b</code> · 50% of the test's visitors ·")
	wantNotContains(t, body, "% of traffic")
}
