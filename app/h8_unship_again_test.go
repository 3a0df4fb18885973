package app

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH8UnshipNothingShipped: unship of an experiment with nothing
// shipped answers 200 with it unchanged and no history line, as a second
// stop does, so that a client may retry an unship that timed out. The
// page's button, pressed twice, says that nothing changed.
func TestH8UnshipNothingShipped(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	path := "/api/v1/experiments/" + x.ID
	resp, out := e.api("POST", path+"/ship", tok, `{"variant":"b"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, first := e.api("POST", path+"/unship", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(first))
	history := func() int {
		t.Helper()
		h, err := e.store.History(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	lines := history()
	time.Sleep(5 * time.Millisecond)

	resp, again := e.api("POST", path+"/unship", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(again))
	if fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("a second unship changed the experiment:\n%v\n%v", first, again)
	}
	if history() != lines {
		t.Errorf("a second unship wrote history")
	}

	// Never shipped: a draft, a running test.
	y := e.experiment(site.ID, "Other")
	resp, out = e.api("POST", "/api/v1/experiments/"+y.ID+"/unship", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["status"] != "draft" || out["shipped_variant"] != "" {
		t.Errorf("unship of a draft: %v", out)
	}

	c := e.signIn("page@example.com")
	resp, _ = c.post("/experiments/"+x.ID+"/unship", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("page unship: %d", resp.StatusCode)
	}
	_, page := c.get("/experiments/" + x.ID)
	wantContains(t, page, "Nothing of this experiment is shipped")
	wantNotContains(t, page, "No variant of this experiment is shipped")
}
