package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestEventsHeaderDeletedNotStored: a request with events for a test
// deleted while the ingester still had it in mind (it remembers a started
// test for two seconds) and events for a running test stores the latter
// and does not write the former. X-Copylab said the deleted test's events
// were "not counted", as if they were stored; it now says they were not
// stored, and keeps the experiment_deleted code. When other events of the
// request were stored but not counted, each part has its own clause and
// number.
func TestEventsHeaderDeletedNotStored(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site, kept := e.runningExperiment()
	gone := e.transition(e.experiment(site.ID, "Gone").ID, "start")
	resp, body := e.postEventsAs(evBodyOf(site.Key, "first", exposureEv(kept.ID, "b"), exposureEv(gone.ID, "b")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	for _, step := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/experiments/" + gone.ID + "/stop"},
		{http.MethodDelete, "/api/v1/experiments/" + gone.ID},
	} {
		if resp, out := e.api(step.method, step.path, tok, ""); resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %v", step.method, step.path, resp.StatusCode, out)
		}
	}

	wrongGoal := conversionEv(kept.ID)
	wrongGoal["goal"] = "pageview" // the test's goal is a click
	tests := []struct {
		name    string
		visitor string
		events  []map[string]any
		header  string
		stored  int
	}{
		{"beside counted events", "v1", []map[string]any{exposureEv(gone.ID, "b"), exposureEv(gone.ID, "b"), exposureEv(kept.ID, "b")},
			"stored; 2 not stored: " + experiments.ReasonDeleted, 1},
		{"beside events not counted", "v2", []map[string]any{exposureEv(gone.ID, "b"), exposureEv(kept.ID, "b"), wrongGoal},
			"stored; 1 not stored: " + experiments.ReasonDeleted + "; 1 not counted: " + experiments.ReasonGoalMismatch, 2},
		{"alone", "v3", []map[string]any{exposureEv(gone.ID, "b")},
			"nothing stored; 1 not stored: " + experiments.ReasonDeleted, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.eventRows()
			resp, body := e.postEventsAs(evBodyOf(site.Key, tt.visitor, tt.events...), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
			if n := e.eventRows() - before; n != tt.stored {
				t.Errorf("%d events stored, want %d: the deleted test's events are not written", n, tt.stored)
			}
		})
	}
}

// TestStoredHeaderAllocations: a request whose events were all stored and
// counted, nearly every one, gets no X-Copylab header and pays nothing
// for it.
func TestStoredHeaderAllocations(t *testing.T) {
	res := experiments.IngestResult{Stored: 2}
	if n := testing.AllocsPerRun(100, func() {
		if storedHeader(res) != "" {
			t.Fatal("a header for a request stored in full")
		}
	}); n != 0 {
		t.Errorf("%v allocations, want none", n)
	}
}
