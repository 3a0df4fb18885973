package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// apiKeyed sends a JSON API request with an Idempotency-Key header (none
// when key is "") and returns the answer with its raw body.
func (e *env) apiKeyed(method, path, token, key, body string) (*http.Response, map[string]any, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := newRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp := e.do(req)
	raw := readBody(e.t, resp)
	var out map[string]any
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp, out, raw
}

func countExperiments(t *testing.T, e *env) int {
	t.Helper()
	xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(xs)
}

// TestH8IdempotentCreateReplays: a create retried with the same
// Idempotency-Key gets the first answer again, marked as replayed, and
// makes nothing new; without a key, or with another, a second create
// makes a second draft, as before.
func TestH8IdempotentCreateReplays(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := e.site("Shop")
	body := `{"site_id":"` + site.ID + `","name":"Hero","page":"/","selector":"h1","goal":{"type":"event","name":"signup"},
		"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`

	resp, first, firstRaw := e.apiKeyed("POST", "/api/v1/experiments", tok, "ci-run-42", body)
	wantStatus(t, resp, http.StatusCreated, firstRaw)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("first answer marked replayed")
	}
	loc := resp.Header.Get("Location")

	resp, again, againRaw := e.apiKeyed("POST", "/api/v1/experiments", tok, "ci-run-42", body)
	wantStatus(t, resp, http.StatusCreated, againRaw)
	if resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry not marked replayed: %v", resp.Header)
	}
	if resp.Header.Get("Location") != loc || again["id"] != first["id"] || againRaw != firstRaw {
		t.Errorf("retry answered %s %s, first %s %s", resp.Header.Get("Location"), againRaw, loc, firstRaw)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("replay content type %q", ct)
	}
	if n := countExperiments(t, e); n != 1 {
		t.Fatalf("%d experiments after a retry with the same key, want 1", n)
	}

	// Another key is another request; no key, as before, no protection.
	resp, _, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "ci-run-43", body)
	wantStatus(t, resp, http.StatusCreated, raw)
	resp, _, raw = e.apiKeyed("POST", "/api/v1/experiments", tok, "", body)
	wantStatus(t, resp, http.StatusCreated, raw)
	if n := countExperiments(t, e); n != 3 {
		t.Fatalf("%d experiments, want 3", n)
	}

	// A key is its user's own: another user's same key makes their own.
	other := e.token("other@example.com")
	resp, out, raw := e.apiKeyed("POST", "/api/v1/experiments", other, "ci-run-42", body)
	wantStatus(t, resp, http.StatusCreated, raw)
	if resp.Header.Get("Idempotent-Replayed") != "" || out["id"] == first["id"] {
		t.Errorf("another user's key replayed the first user's answer")
	}
}

// TestH8IdempotentKeyRefusals: the same key with another body is
// idempotency_key_reused (422), a bad key invalid_idempotency_key (400),
// and a key whose first request is still being answered
// idempotency_key_in_use (409); none of them makes anything.
func TestH8IdempotentKeyRefusals(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := e.site("Shop")
	body := func(name string) string {
		return `{"site_id":"` + site.ID + `","name":"` + name + `","page":"/","selector":"h1","goal":{"type":"event","name":"signup"},
			"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`
	}
	resp, _, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "k1", body("Hero"))
	wantStatus(t, resp, http.StatusCreated, raw)

	resp, out, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "k1", body("Other hero"))
	wantStatus(t, resp, http.StatusUnprocessableEntity, raw)
	if code, _ := errorShape(t, out); code != "idempotency_key_reused" {
		t.Errorf("another body: code %s", code)
	}
	// Another path is another request too.
	resp, out, raw = e.apiKeyed("POST", "/api/v1/sites", tok, "k1", body("Hero"))
	wantStatus(t, resp, http.StatusUnprocessableEntity, raw)
	if code, _ := errorShape(t, out); code != "idempotency_key_reused" {
		t.Errorf("another path: code %s", code)
	}

	for _, tc := range []struct{ name, key string }{
		{"too long", strings.Repeat("k", 256)},
		{"not ASCII", "clé-1"},
		{"tab", "k\tk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, tc.key, body("Bad key"))
			wantStatus(t, resp, http.StatusBadRequest, raw)
			if code, _ := errorShape(t, out); code != "invalid_idempotency_key" {
				t.Errorf("code %s", code)
			}
		})
	}
	resp, _, raw = e.apiKeyed("POST", "/api/v1/experiments", tok, strings.Repeat("k", 255), body("Long key"))
	wantStatus(t, resp, http.StatusCreated, raw)

	// A first request still running holds its key.
	u, _, err := e.store.UserByEmail(context.Background(), "ci@example.com")
	if err != nil {
		t.Fatal(err)
	}
	call := experiments.IdempotentCall{UserID: u.ID, Key: "k2", Method: "POST", Path: "/api/v1/experiments", Body: []byte(body("Running"))}
	if st, _, err := e.store.ReserveIdempotencyKey(context.Background(), call, e.app.now()); err != nil || st != experiments.KeyReserved {
		t.Fatalf("reserve: %v %v", st, err)
	}
	resp, out, raw = e.apiKeyed("POST", "/api/v1/experiments", tok, "k2", body("Running"))
	wantStatus(t, resp, http.StatusConflict, raw)
	if code, _ := errorShape(t, out); code != "idempotency_key_in_use" {
		t.Errorf("in use: code %s", code)
	}
	if n := countExperiments(t, e); n != 2 {
		t.Fatalf("%d experiments, want 2", n)
	}
}

// TestH8IdempotentRefusalNotKept: a refused create keeps nothing of its
// key, so that the corrected request sent with it is made; a 2xx is kept.
func TestH8IdempotentRefusalNotKept(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := e.site("Shop")
	resp, _, raw := e.apiKeyed("POST", "/api/v1/experiments", tok, "k1", `{"site_id":"`+site.ID+`","name":"","variants":[{"text":"A"}]}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, raw)
	fixed := `{"site_id":"` + site.ID + `","name":"Fixed","variants":[{"text":"A"}]}`
	resp, _, raw = e.apiKeyed("POST", "/api/v1/experiments", tok, "k1", fixed)
	wantStatus(t, resp, http.StatusCreated, raw)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("the corrected request was answered as a replay")
	}
	resp, _, _ = e.apiKeyed("POST", "/api/v1/experiments", tok, "k1", fixed)
	if resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the corrected request's retry was not replayed")
	}
	if n := countExperiments(t, e); n != 1 {
		t.Fatalf("%d experiments, want 1", n)
	}
}

// TestH8IdempotentOtherCreates: sites, variants and duplicates take the
// key too.
func TestH8IdempotentOtherCreates(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")

	site := `{"name":"Shop","domain":"shop.example"}`
	_, first, _ := e.apiKeyed("POST", "/api/v1/sites", tok, "s1", site)
	resp, again, raw := e.apiKeyed("POST", "/api/v1/sites", tok, "s1", site)
	wantStatus(t, resp, http.StatusCreated, raw)
	if again["id"] != first["id"] || resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("site retry: %v", again)
	}
	if sites, _ := e.store.Sites(context.Background()); len(sites) != 1 {
		t.Errorf("%d sites, want 1", len(sites))
	}

	x := e.experiment(first["id"].(string), "Hero")
	path := "/api/v1/experiments/" + x.ID
	for _, tc := range []struct{ name, path, body string }{
		{"variant", path + "/variants", `{"text":"Ship sooner still"}`},
		{"duplicate", path + "/duplicate", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, first, raw := e.apiKeyed("POST", tc.path, tok, "key-"+tc.name, tc.body)
			wantStatus(t, resp, http.StatusCreated, raw)
			loc := resp.Header.Get("Location")
			resp, again, raw := e.apiKeyed("POST", tc.path, tok, "key-"+tc.name, tc.body)
			wantStatus(t, resp, http.StatusCreated, raw)
			if resp.Header.Get("Idempotent-Replayed") != "true" || resp.Header.Get("Location") != loc || fmt.Sprint(again) != fmt.Sprint(first) {
				t.Errorf("retry: %s %v", resp.Header.Get("Location"), again)
			}
		})
	}
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Variants) != 3 {
		t.Errorf("%d variants after a retried add, want 3", len(got.Variants))
	}
	if n := countExperiments(t, e); n != 2 {
		t.Errorf("%d experiments after a retried duplicate, want 2", n)
	}
}

// TestH8IdempotentKeysPruned: the hourly housekeeping forgets keys after a
// day; the key then names a new request.
func TestH8IdempotentKeysPruned(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	site := `{"name":"Shop","domain":"shop.example"}`
	resp, _, raw := e.apiKeyed("POST", "/api/v1/sites", tok, "s1", site)
	wantStatus(t, resp, http.StatusCreated, raw)

	var n int
	count := func() int {
		t.Helper()
		if err := e.store.Reader().QueryRow(`select count(*) from idempotency_keys`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	e.app.housekeeping(context.Background())
	if count() != 1 {
		t.Fatalf("a key of a minute ago was pruned")
	}
	later := time.Now().Add(25 * time.Hour)
	e.app.now = func() time.Time { return later }
	e.app.housekeeping(context.Background())
	if count() != 0 {
		t.Fatalf("%d keys left a day later", n)
	}
	resp, _, raw = e.apiKeyed("POST", "/api/v1/sites", tok, "s1", site)
	wantStatus(t, resp, http.StatusCreated, raw)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("a key pruned was replayed")
	}
}
