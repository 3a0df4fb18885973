package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// TestEventsForADeletedTestBesideOthers: a tag loaded before a test was
// deleted sends that test's events together with the page's other tests'
// events, and drops a batch the server refuses. So the deleted test's
// events are left out (X-Copylab says so) and the rest are stored and
// counted; a request with nothing but them is still refused (404). An
// exposure whose ms is past an hour (a tag added long after the page
// opened) is kept, without its swap time.
func TestEventsForADeletedTestBesideOthers(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	gone := e.transition(e.experiment(site.ID, "Gone").ID, "start")
	e.transition(gone.ID, "stop")
	if _, err := e.store.DeleteExperiment(t.Context(), gone.ID); err != nil {
		t.Fatal(err)
	}
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	send := func(visitor string, events ...map[string]any) (*http.Response, string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": visitor, "events": events})
		return e.postRaw(string(b), nil)
	}
	exposure := func(exp string) map[string]any {
		return map[string]any{"id": id(), "type": "exposure", "experiment": exp, "variant": "b", "url": "/pricing"}
	}

	resp, body := send("v1", exposure(gone.ID), exposure(x.ID),
		map[string]any{"id": id(), "type": "conversion", "experiment": x.ID, "goal": "click", "url": "/pricing"})
	wantStatus(t, resp, http.StatusNoContent, body)
	if h := resp.Header.Get("X-Copylab"); h != "stored; 1 skipped: unknown_experiment" {
		t.Errorf("X-Copylab %q", h)
	}
	counts, err := e.store.Counts(t.Context(), x)
	if err != nil {
		t.Fatal(err)
	}
	if b := counts.Variants[1]; b.Exposures != 1 || b.Conversions != 1 {
		t.Errorf("variant b: %+v, want the exposure and the conversion counted", b)
	}

	resp, body = send("v2", exposure(gone.ID))
	wantStatus(t, resp, http.StatusNotFound, body)
	wantContains(t, body, "unknown_experiment")

	late := exposure(x.ID)
	late["ms"] = 3_600_001
	resp, body = send("v3", late)
	wantStatus(t, resp, http.StatusNoContent, body)
	var swap *int64
	if err := e.store.Reader().QueryRow(`select swap_ms from events where visitor = 'v3'`).Scan(&swap); err != nil || swap != nil {
		t.Errorf("the late exposure's swap_ms: %v (%v), want none", swap, err)
	}
}
