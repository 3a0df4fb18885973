package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH3APIWritesRefuseQueryParameters: every POST, PATCH and DELETE of
// the API refuses a query parameter, as the GETs do, before it does
// anything: none of them takes one, and ignored, a parameter misleads
// whoever sent it (DELETE …?dry_run=1 deleted). The routes are read from
// the router, so a write added later is held to it too.
func TestH3APIWritesRefuseQueryParameters(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	fill := func(route string) string {
		id := x.ID
		if strings.HasPrefix(route, "/api/v1/sites/") {
			id = site.ID
		}
		return strings.NewReplacer(":id", id, ":key", x.Variants[1].Key).Replace(route)
	}

	type call struct{ method, route string }
	var calls []call
	for _, r := range e.app.fiber.GetRoutes(true) {
		c := call{r.Method, r.Path}
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Method != http.MethodGet && r.Method != http.MethodHead &&
			!slices.Contains(calls, c) {
			calls = append(calls, c)
		}
	}
	for _, want := range []call{
		{"POST", "/api/v1/sites"}, {"PATCH", "/api/v1/sites/:id"}, {"DELETE", "/api/v1/sites/:id"},
		{"POST", "/api/v1/experiments"}, {"PATCH", "/api/v1/experiments/:id"}, {"DELETE", "/api/v1/experiments/:id"},
		{"POST", "/api/v1/experiments/:id/ship"}, {"POST", "/api/v1/experiments/:id/start"},
		{"DELETE", "/api/v1/experiments/:id/variants/:key"}, {"POST", "/api/v1/experiments/:id/generate"},
	} {
		if !slices.Contains(calls, want) {
			t.Fatalf("%s %s is not among the API's writes %v", want.method, want.route, calls)
		}
	}
	for _, c := range calls {
		t.Run(c.method+" "+c.route, func(t *testing.T) {
			path := fill(c.route)
			for _, tc := range []struct{ query, name string }{
				{"?dry_run=1", "dry_run"},
				{"?variant=b", "variant"},
				{"?status=draft", "status"}, // what GET /api/v1/experiments takes
				{"?force", "force"},
				{"?dry_run=1&dry_run=1", "dry_run"},
			} {
				resp, out := e.api(c.method, path+tc.query, tok, "")
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("%s %s%s: %d %v, want 400", c.method, path, tc.query, resp.StatusCode, out)
				}
				if code, field := errorShape(t, out); code != "unknown_parameter" || field != tc.name {
					t.Errorf("%s %s%s: code %s field %q", c.method, path, tc.query, code, field)
				}
				wantContains(t, out["error"].(map[string]any)["message"].(string),
					`The query parameter "`+tc.name+`" is not one this call takes; it takes none.`)
			}
			// The token is checked first: a caller without one learns
			// nothing of the route's parameters.
			if resp, _ := e.api(c.method, path+"?dry_run=1", "", ""); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s?dry_run=1 without a token: %d, want 401", c.method, path, resp.StatusCode)
			}
		})
	}
	// Nothing was done by any of them.
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil {
		t.Fatalf("the experiment after the refused calls: %v", err)
	}
	if got.Status != experiments.StatusDraft || len(got.Variants) != 2 || got.UpdatedAt != x.UpdatedAt {
		t.Errorf("the experiment changed: %s, %d variants, updated %v (was %v)", got.Status, len(got.Variants), got.UpdatedAt, x.UpdatedAt)
	}
	if _, err := e.store.Site(context.Background(), site.ID); err != nil {
		t.Errorf("the site after the refused calls: %v", err)
	}
	if n := countExperiments(t, e); n != 1 {
		t.Errorf("%d experiments after the refused calls, want 1", n)
	}
}

// TestH3APIWriteQueryDoesNothing: the calls a script is most likely to
// send with a parameter they do not read are refused with nothing done,
// and the same calls without it, or with an empty query, still work.
func TestH3APIWriteQueryDoesNothing(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	path := "/api/v1/experiments/" + x.ID

	t.Run("delete with dry_run", func(t *testing.T) {
		resp, out := e.api("DELETE", path+"?dry_run=1", tok, "")
		wantStatus(t, resp, http.StatusBadRequest, "")
		if code, field := errorShape(t, out); code != "unknown_parameter" || field != "dry_run" {
			t.Errorf("code %s field %s", code, field)
		}
		if _, err := e.store.Experiment(context.Background(), x.ID); err != nil {
			t.Fatalf("the experiment is gone after a refused delete: %v", err)
		}
	})

	e.transition(x.ID, experiments.ActionStart)
	t.Run("ship with the variant in the query", func(t *testing.T) {
		resp, out := e.api("POST", path+"/ship?variant="+x.Variants[1].Key, tok, "")
		wantStatus(t, resp, http.StatusBadRequest, "")
		if code, field := errorShape(t, out); code != "unknown_parameter" || field != "variant" {
			t.Errorf("code %s field %s", code, field)
		}
		got, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != experiments.StatusRunning || got.ShippedVariant != "" {
			t.Errorf("after a refused ship: %s, shipped %q", got.Status, got.ShippedVariant)
		}
	})

	t.Run("create with a list parameter and a key", func(t *testing.T) {
		body := `{"site_id":"` + site.ID + `","name":"Pricing","variants":[{"text":"Plans for every team"},{"text":"Pick a plan"}]}`
		resp, out, _ := e.apiKeyed("POST", "/api/v1/experiments?site_id="+site.ID, tok, "create-1", body)
		wantStatus(t, resp, http.StatusBadRequest, "")
		if code, field := errorShape(t, out); code != "unknown_parameter" || field != "site_id" {
			t.Errorf("code %s field %s", code, field)
		}
		if n := countExperiments(t, e); n != 1 {
			t.Fatalf("%d experiments after a refused create, want 1", n)
		}
		// The refusal did not take the key: the corrected call is made.
		resp, _, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "create-1", body)
		wantStatus(t, resp, http.StatusCreated, raw)
		if resp.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the corrected create was answered as a replay")
		}
	})

	t.Run("an empty query is no parameter", func(t *testing.T) {
		resp, _ := e.api("POST", path+"/ship?", tok, `{"variant":"`+x.Variants[1].Key+`"}`)
		wantStatus(t, resp, http.StatusOK, "")
		resp, _ = e.api("DELETE", path+"?&", tok, "")
		wantStatus(t, resp, http.StatusNoContent, "")
		if _, err := e.store.Experiment(context.Background(), x.ID); !errors.Is(err, experiments.ErrNotFound) {
			t.Errorf("after DELETE …?&: %v, want not found", err)
		}
	})
}
