package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// capDatabase lets the database grow no more: PRAGMA max_page_count on
// the writer stands in for a full disk.
func capDatabase(t *testing.T, e *env) {
	t.Helper()
	w := e.store.Writer()
	var pages int
	if err := w.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
}

// fillDatabase stands in for a full disk: the database may not grow past
// its size now (PRAGMA max_page_count on the writer), and the tables that
// sign-ins and new sites write to are filled until not even a small row
// fits, so that the next such write fails as it would on a full volume.
func fillDatabase(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	capDatabase(t, e)
	u := e.addUser("filler@example.com")
	fill := func(what string, insert func(i int, big bool) error) {
		t.Helper()
		i := 0
		for _, big := range []bool{true, false} {
			for ; ; i++ {
				err := insert(i, big)
				if err == nil {
					continue
				}
				if !experiments.IsStorageFull(err) {
					t.Fatalf("fill %s: %v", what, err)
				}
				break
			}
		}
	}
	fill("sessions", func(i int, big bool) error {
		ua := "x"
		if big {
			ua = strings.Repeat("u", experiments.MaxSessionUserAgent)
		}
		return e.store.CreateSession(ctx, "fill-"+strconv.Itoa(i), u.ID, "csrf", ua, "", time.Now().Add(time.Hour))
	})
	fill("sites", func(i int, big bool) error {
		voice := ""
		if big {
			voice = strings.Repeat("v", 2000)
		}
		_, err := e.store.CreateSite(ctx, experiments.Site{Name: "Fill " + strconv.Itoa(i), Domain: "fill.example", BrandVoice: voice})
		return err
	})
}

// unfillDatabase gives the database room again.
func unfillDatabase(t *testing.T, e *env) {
	t.Helper()
	if _, err := e.store.Writer().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
}

// health reads GET /healthz.
func health(t *testing.T, e *env) (int, map[string]any) {
	t.Helper()
	resp := e.do(newRequest(http.MethodGet, "/healthz", nil))
	body := readBody(t, resp)
	var h map[string]any
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("healthz body %q: %v", body, err)
	}
	return resp.StatusCode, h
}

// wantRetryAfter checks that an answer tells when to try again.
func wantRetryAfter(t *testing.T, resp *http.Response) {
	t.Helper()
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
}

// TestStorageFull: on a full disk the writes of the pages and of the API
// answer 503 storage_full with a sentence that says so and Retry-After,
// each in its path's format, and /healthz says the storage is full until a
// write succeeds again.
func TestStorageFull(t *testing.T) {
	e := newEnv(t)
	token := e.token("ann@example.com")
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Fatalf("healthz before: %d %v", status, h)
	}
	fillDatabase(t, e)

	// A page: sign-in makes a session.
	c := e.client()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusServiceUnavailable, body)
	wantRetryAfter(t, resp)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("sign-in on a full disk: Content-Type %q, want the error page", ct)
	}
	wantContains(t, body, "copylab&#39;s disk is full")

	// The API.
	resp, out := e.api(http.MethodPost, "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example"}`)
	wantStatus(t, resp, http.StatusServiceUnavailable, "")
	wantRetryAfter(t, resp)
	eb, _ := out["error"].(map[string]any)
	if eb["code"] != "storage_full" || !strings.HasPrefix(eb["message"].(string), "copylab's disk is full: ") {
		t.Errorf("API on a full disk: %v", out)
	}

	status, h := health(t, e)
	if status != http.StatusServiceUnavailable || h["status"] != "unavailable" || h["storage"] != "full" {
		t.Errorf("healthz on a full disk: %d %v", status, h)
	}

	// Room again: the next write succeeds, and the health with it.
	unfillDatabase(t, e)
	resp, out = e.api(http.MethodPost, "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example"}`)
	wantStatus(t, resp, http.StatusCreated, "")
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Errorf("healthz after a write succeeded: %d %v", status, h)
	}
}

// TestStorageFullEvents: a batch of events that fails for lack of space
// marks the storage full in /healthz too, and one that commits clears it.
func TestStorageFullEvents(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	capDatabase(t, e)
	resp, raw := e.postRaw(bigBody(site.Key, "v1", x, 80), nil)
	want503(t, resp, raw, experiments.CodeStorageFull)
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Errorf("healthz after a batch failed for lack of space: %d %v", status, h)
	}
	unfillDatabase(t, e)
	resp, raw = e.postRaw(bigBody(site.Key, "v1", x, 80), nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Errorf("healthz after a batch committed: %d %v", status, h)
	}
}
