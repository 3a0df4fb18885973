package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestEventsHeaderNothingStoredForDeleted: a test deleted while the
// ingester still had it in mind (it remembers a started test for two
// seconds) gets its events answered 204, and they are not written. The
// X-Copylab header said "stored" all the same; it now says nothing was,
// and that the events were not stored (not "not counted", as if they were).
func TestEventsHeaderNothingStoredForDeleted(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site, x := e.runningExperiment()
	resp, body := e.postEventsAs(evBodyOf(site.Key, "first", exposureEv(x.ID, "b")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)

	for _, step := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/experiments/" + x.ID + "/stop"},
		{http.MethodDelete, "/api/v1/experiments/" + x.ID},
	} {
		if resp, out := e.api(step.method, step.path, tok, ""); resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %v", step.method, step.path, resp.StatusCode, out)
		}
	}
	before := e.eventRows()

	resp, body = e.postEventsAs(evBodyOf(site.Key, "late", exposureEv(x.ID, "b"), exposureEv(x.ID, "b")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h, want := resp.Header.Get("X-Copylab"), "nothing stored; 2 not stored: "+experiments.ReasonDeleted; h != want {
		t.Errorf("X-Copylab %q, want %q", h, want)
	}
	if n := e.eventRows(); n != before {
		t.Errorf("%d events stored, want %d: the deleted test's events are not written", n, before)
	}
}
