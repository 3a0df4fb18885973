package app

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
)

// TestShipSameVariantAgain: shipping the variant that is already shipped
// changes nothing, however often a client retries: the answer is the
// experiment as it was (200), shipped_at keeps the moment it first
// shipped, and the history gets no second "shipped" line. A retry loop
// would otherwise fill the history, which keeps only the newest 200, and
// push the lines that say who stopped and shipped the test out of it. The
// experiment page's form shares the rule and says nothing changed.
func TestShipSameVariantAgain(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Ship me headline", "Other headline")
	e.transition(x.ID, experiments.ActionStart)
	path := "/api/v1/experiments/" + x.ID

	shippedLines := func(t *testing.T) int {
		t.Helper()
		changes, err := e.store.History(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ch := range changes {
			if ch.Action == experiments.ChangeShipped {
				n++
			}
		}
		return n
	}

	resp, first := e.api("POST", path+"/ship", token, `{"variant":"b"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if first["shipped_variant"] != "b" || first["shipped_at"] == nil {
		t.Fatalf("ship: %v", first)
	}
	if n := shippedLines(t); n != 1 {
		t.Fatalf("%d shipped lines after one ship, want 1", n)
	}

	// Eight retries at once, as a client with a short timeout sends them.
	time.Sleep(2 * time.Millisecond) // a new ship would get a later shipped_at
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	answers := make([]map[string]any, 8)
	for i := range 8 {
		wg.Go(func() {
			resp, out := e.api("POST", path+"/ship", token, `{"variant":"b"}`)
			statuses[i], answers[i] = resp.StatusCode, out
		})
	}
	wg.Wait()
	for i := range 8 {
		if statuses[i] != http.StatusOK {
			t.Fatalf("retry %d: status %d: %v", i, statuses[i], answers[i])
		}
		for _, k := range []string{"shipped_variant", "shipped_at", "updated_at", "ended_at", "status"} {
			if answers[i][k] != first[k] {
				t.Errorf("retry %d: %s %v, want %v as the first ship left it", i, k, answers[i][k], first[k])
			}
		}
	}
	if n := shippedLines(t); n != 1 {
		t.Errorf("%d shipped lines after the retries, want still 1", n)
	}

	// The page's form: nothing changes either, and the message says so.
	c := e.signIn("ann@example.com")
	c.get("/experiments/" + x.ID)
	resp, _ = c.post("/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form ship: status %d", resp.StatusCode)
	}
	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, "Variant B is already shipped")
	wantNotContains(t, body, "Shipped: every visitor now sees")
	if n := shippedLines(t); n != 1 {
		t.Errorf("%d shipped lines after the form's ship, want still 1", n)
	}
	got, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if at := got.ShippedAt.UTC().Format(apiTimeLayout); at != first["shipped_at"] {
		t.Errorf("shipped_at %s after the form's ship, want %v", at, first["shipped_at"])
	}

	// Another variant still ships, and replaces the first.
	resp, out := e.api("POST", path+"/ship", token, `{"variant":"c"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if out["shipped_variant"] != "c" || out["shipped_at"] == first["shipped_at"] {
		t.Errorf("ship another variant: %v", out)
	}
	if n := shippedLines(t); n != 2 {
		t.Errorf("%d shipped lines after shipping another variant, want 2", n)
	}
}
