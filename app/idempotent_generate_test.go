package app

import (
	"context"
	"net/http"
	"testing"
)

// TestIdempotentGenerateReplays: a script whose generate call timed out
// retries it with the same Idempotency-Key and gets the drafts the first
// call added, marked as replayed, instead of a second set added beside
// them (or, with the offline generator's same drafts for the same brief,
// a 422 no_new_drafts for drafts that were in fact added).
func TestIdempotentGenerateReplays(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original headline for the kanban tool", "Plan the week in one board")
	path := "/api/v1/experiments/" + x.ID + "/generate"
	body := `{"n":2,"brief":{"goal":"Start a free trial","product":"Acme Boards, a kanban tool","current_copy":"Original headline for the kanban tool"}}`
	variants := func() int {
		t.Helper()
		got, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(got.Variants)
	}

	resp, out, first := e.apiKeyed(http.MethodPost, path, tok, "gen-1", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("generate: %d %v", resp.StatusCode, out)
	}
	added := variants()
	if added != 4 {
		t.Fatalf("%d variants after the first call, want 4 (the original, one, two drafts)", added)
	}
	resp, out, again := e.apiKeyed(http.MethodPost, path, tok, "gen-1", body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Idempotent-Replayed") != "true" || again != first {
		t.Fatalf("the retry: %d, Idempotent-Replayed %q, same body %v (%v)", resp.StatusCode,
			resp.Header.Get("Idempotent-Replayed"), again == first, out)
	}
	if n := variants(); n != added {
		t.Errorf("%d variants after the retry, want %d: it drafted again", n, added)
	}
}
