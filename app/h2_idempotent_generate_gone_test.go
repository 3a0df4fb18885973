package app

import (
	"context"
	"net/http"
	"testing"
)

// TestH2IdempotentGenerateDraftsGone: a generate call retried with its
// Idempotency-Key after the drafts it added were deleted (the experiment
// still there) is not answered with the first 200 again, which would list
// keys that no longer name anything: it is 410 idempotent_resource_gone,
// as a retried create whose site, experiment or variant was deleted,
// naming the drafts that are gone, and nothing is drafted again. While
// every draft is there the retry is replayed as before; one draft deleted
// of two is enough for the 410, which says which one is still there.
func TestH2IdempotentGenerateDraftsGone(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := e.site("Shop")
	body := `{"n":2,"brief":{"goal":"Start a free trial","product":"Acme Boards, a kanban tool","current_copy":"Original headline for the kanban tool"}}`

	// generate makes a draft experiment, generates two drafts for it with
	// key, and returns the experiment's path and the drafts' keys.
	generate := func(t *testing.T, name, key string) (string, []string) {
		t.Helper()
		x := e.experiment(site.ID, name, "Original headline for the kanban tool", "Plan the week in one board")
		path := "/api/v1/experiments/" + x.ID
		resp, out, raw := e.apiKeyed(http.MethodPost, path+"/generate", tok, key, body)
		wantStatus(t, resp, http.StatusOK, raw)
		var keys []string
		for _, v := range out["variants"].([]any) {
			keys = append(keys, v.(map[string]any)["key"].(string))
		}
		if len(keys) != 2 {
			t.Fatalf("%d drafts added, want 2: %s", len(keys), raw)
		}
		// All there: replayed.
		resp, _, again := e.apiKeyed(http.MethodPost, path+"/generate", tok, key, body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Idempotent-Replayed") != "true" || again != raw {
			t.Fatalf("retry with the drafts there: %d, Idempotent-Replayed %q: %s", resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), again)
		}
		return path, keys
	}
	remove := func(t *testing.T, path, key string) {
		t.Helper()
		resp, _ := e.api(http.MethodDelete, path+"/variants/"+key, tok, "")
		wantStatus(t, resp, http.StatusOK, "")
	}
	count := func(t *testing.T, path string) int {
		t.Helper()
		x, err := e.store.Experiment(context.Background(), path[len("/api/v1/experiments/"):])
		if err != nil {
			t.Fatal(err)
		}
		return len(x.Variants)
	}
	gone := func(t *testing.T, path, key string, says ...string) {
		t.Helper()
		before := count(t, path)
		for range 2 { // and again: the key is kept
			resp, out, raw := e.apiKeyed(http.MethodPost, path+"/generate", tok, key, body)
			wantStatus(t, resp, http.StatusGone, raw)
			if code, _ := errorShape(t, out); code != "idempotent_resource_gone" {
				t.Errorf("code %s, want idempotent_resource_gone", code)
			}
			if resp.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("Idempotent-Replayed %q on the 410", resp.Header.Get("Idempotent-Replayed"))
			}
			wantContains(t, out["error"].(map[string]any)["message"].(string), says...)
		}
		if n := count(t, path); n != before {
			t.Errorf("%d variants after the retries, want %d: it drafted again", n, before)
		}
	}

	t.Run("every draft deleted", func(t *testing.T) {
		path, keys := generate(t, "Banner", "gen-all")
		for _, k := range keys {
			remove(t, path, k)
		}
		gone(t, path, "gen-all", `The drafts "`+keys[0]+`" and "`+keys[1]+`" this Idempotency-Key added have since been deleted.`,
			"send the request with a new key")
		// A new key drafts anew.
		resp, _, raw := e.apiKeyed(http.MethodPost, path+"/generate", tok, "gen-all-2", body)
		wantStatus(t, resp, http.StatusOK, raw)
	})

	t.Run("one draft deleted", func(t *testing.T) {
		path, keys := generate(t, "Footer", "gen-one")
		remove(t, path, keys[1])
		gone(t, path, "gen-one", `The draft "`+keys[1]+`" this Idempotency-Key added has since been deleted`,
			`"`+keys[0]+`" is still there`, "send the request with a new key")
	})
}
