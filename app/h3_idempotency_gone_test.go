package app

import (
	"context"
	"net/http"
	"testing"
)

// TestH3IdempotentReplayOfDeletedResource: a create retried with its
// Idempotency-Key after what it made was deleted is not answered with the
// first 201 again, as if the site, experiment or variant were there: it is
// 410 idempotent_resource_gone, saying what was deleted, and nothing is
// made again (the key still says the request was made once). A new key
// makes it anew; a retry while it is there is still replayed.
func TestH3IdempotentReplayOfDeletedResource(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := e.site("Shop")
	ctx := context.Background()

	gone := func(t *testing.T, method, path, key, body string, says ...string) {
		t.Helper()
		for range 2 { // and again: the key is kept
			resp, out, raw := e.apiKeyed(method, path, tok, key, body)
			wantStatus(t, resp, http.StatusGone, raw)
			if code, _ := errorShape(t, out); code != "idempotent_resource_gone" {
				t.Errorf("code %s, want idempotent_resource_gone", code)
			}
			if resp.Header.Get("Idempotent-Replayed") != "" || resp.Header.Get("Location") != "" {
				t.Errorf("Idempotent-Replayed %q, Location %q on the 410", resp.Header.Get("Idempotent-Replayed"), resp.Header.Get("Location"))
			}
			wantContains(t, out["error"].(map[string]any)["message"].(string), says...)
		}
	}

	t.Run("site", func(t *testing.T) {
		body := `{"name":"Blog","domain":"blog.example"}`
		resp, first, raw := e.apiKeyed("POST", "/api/v1/sites", tok, "site-1", body)
		wantStatus(t, resp, http.StatusCreated, raw)
		id := first["id"].(string)
		// Still there: replayed.
		resp, _, raw = e.apiKeyed("POST", "/api/v1/sites", tok, "site-1", body)
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry while the site is there: %d %s", resp.StatusCode, raw)
		}
		resp, _ = e.api("DELETE", "/api/v1/sites/"+id, tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		gone(t, "POST", "/api/v1/sites", "site-1", body, "The site this Idempotency-Key created ("+id+") has since been deleted",
			"send the request with a new key")
		if sites, _ := e.store.Sites(ctx); len(sites) != 1 {
			t.Errorf("%d sites after the retry, want 1 (Shop)", len(sites))
		}
		resp, again, raw := e.apiKeyed("POST", "/api/v1/sites", tok, "site-2", body)
		wantStatus(t, resp, http.StatusCreated, raw)
		if again["id"] == id {
			t.Errorf("a new key answered the deleted site")
		}
	})

	t.Run("experiment", func(t *testing.T) {
		body := `{"site_id":"` + site.ID + `","name":"Pricing","variants":[{"text":"Plans for every team"},{"text":"Pick a plan"}]}`
		resp, first, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "exp-1", body)
		wantStatus(t, resp, http.StatusCreated, raw)
		id := first["id"].(string)
		before := countExperiments(t, e)
		resp, _ = e.api("DELETE", "/api/v1/experiments/"+id, tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		gone(t, "POST", "/api/v1/experiments", "exp-1", body, "The experiment this Idempotency-Key created ("+id+") has since been deleted")
		if n := countExperiments(t, e); n != before-1 {
			t.Errorf("%d experiments after the retry, want %d", n, before-1)
		}
	})

	t.Run("duplicate", func(t *testing.T) {
		x := e.experiment(site.ID, "Hero")
		path := "/api/v1/experiments/" + x.ID + "/duplicate"
		resp, first, raw := e.apiKeyed("POST", path, tok, "dup-1", "")
		wantStatus(t, resp, http.StatusCreated, raw)
		id := first["id"].(string)
		resp, _ = e.api("DELETE", "/api/v1/experiments/"+id, tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		gone(t, "POST", path, "dup-1", "", "The experiment this Idempotency-Key created ("+id+") has since been deleted")
	})

	t.Run("variant", func(t *testing.T) {
		x := e.experiment(site.ID, "Footer")
		path := "/api/v1/experiments/" + x.ID + "/variants"
		body := `{"text":"Ship sooner still"}`
		resp, _, raw := e.apiKeyed("POST", path, tok, "var-1", body)
		wantStatus(t, resp, http.StatusCreated, raw)
		loc := resp.Header.Get("Location")
		resp, _ = e.api("DELETE", loc, tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		gone(t, "POST", path, "var-1", body, `The variant "c" this Idempotency-Key added has since been deleted`,
			"send the request with a new key")
		got, err := e.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Variants) != 2 {
			t.Errorf("%d variants after the retry, want 2", len(got.Variants))
		}

		// The experiment it was added to deleted: that is what is said.
		resp, _, raw = e.apiKeyed("POST", path, tok, "var-2", `{"text":"Ship sooner than ever"}`)
		wantStatus(t, resp, http.StatusCreated, raw)
		resp, _ = e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		gone(t, "POST", path, "var-2", `{"text":"Ship sooner than ever"}`,
			"The experiment this Idempotency-Key added a variant to ("+x.ID+") has since been deleted")
	})

	t.Run("generate", func(t *testing.T) {
		x := e.experiment(site.ID, "Banner", "Original headline for the kanban tool", "Plan the week in one board")
		path := "/api/v1/experiments/" + x.ID + "/generate"
		body := `{"n":2,"brief":{"goal":"Start a free trial","product":"Acme Boards, a kanban tool","current_copy":"Original headline for the kanban tool"}}`
		resp, _, raw := e.apiKeyed("POST", path, tok, "gen-1", body)
		wantStatus(t, resp, http.StatusOK, raw)
		resp, _ = e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		gone(t, "POST", path, "gen-1", body, "The experiment this Idempotency-Key drafted copy for ("+x.ID+") has since been deleted")
	})
}
