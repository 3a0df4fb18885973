package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH6ShippedResultsSayWhatShipped: a shipped test's results page and
// share page said only "Shipped" in a badge, over "Too early to call".
// Both name the shipped variant and when it was shipped, and mark its
// row of the table.
func TestH6ShippedResultsSayWhatShipped(t *testing.T) {
	e, c, _, x := startedWithCounts(t, [2]int64{300, 15}, [2]int64{300, 21})
	shipTest(e, x)
	x, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != experiments.StatusStopped || x.ShippedVariant != "b" {
		t.Fatalf("not shipped: %s %q", x.Status, x.ShippedVariant)
	}
	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Shipped: Variant B", "Variant B was shipped on ")
		rows := strings.Count(body, `class="row-shipped"`)
		if rows != 1 || !strings.Contains(body, `class="badge badge-shipped">Shipped</span>`) {
			t.Errorf("%s: %d rows marked shipped", path, rows)
		}
	}
}
