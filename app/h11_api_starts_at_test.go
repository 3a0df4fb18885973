package app

import (
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestAPIStartsAt: starts_at goes in with POST and PATCH of a draft (a
// day or an RFC 3339 time), comes back in GET and every answer, null
// removes it; a value that is no time, one in the past, or one not before
// stops_at is a 422 with a code and a sentence on the field; a started
// experiment's PATCH of it is refused as its page is.
func TestAPIStartsAt(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)
	wantDay := day.Format(time.DateOnly) + "T00:00:00.000Z"

	body := `{"site_id":"` + site.ID + `","name":"Hero","page":"/","selector":"#hero","goal":{"type":"event","name":"signup"},
		"variants":[{"text":"Ship faster"},{"text":"Ship today"}],"starts_at":"` + day.Format(time.DateOnly) + `"}`
	resp, out := e.api("POST", "/api/v1/experiments", tok, body)
	wantStatus(t, resp, http.StatusCreated, "")
	if out["starts_at"] != wantDay || out["status"] != "draft" {
		t.Fatalf("create: starts_at %v status %v, want %s", out["starts_at"], out["status"], wantDay)
	}
	id := out["id"].(string)
	resp, out = e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if out["starts_at"] != wantDay {
		t.Fatalf("get: starts_at %v", out["starts_at"])
	}

	later := time.Now().UTC().Add(30 * time.Hour).Truncate(time.Second)
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"starts_at":"`+later.Format(time.RFC3339)+`"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if out["starts_at"] != later.Format("2006-01-02T15:04:05")+".000Z" {
		t.Fatalf("patch: starts_at %v", out["starts_at"])
	}

	// The stop is counted from the planned start: three days after it is
	// too soon for a verdict, though ten days from now.
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"starts_at":"`+day.Format(time.DateOnly)+`","stops_at":"`+day.AddDate(0, 0, 3).Format(time.DateOnly)+`"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if w, _ := out["warnings"].([]any); len(w) != 1 || w[0].(map[string]any)["code"] != "stops_before_verdict" {
		t.Fatalf("stop three days after the planned start warns: %v", out["warnings"])
	}

	for _, tc := range []struct{ name, value, code, field string }{
		{"not a time", `"next tuesday"`, "invalid_starts_at", "starts_at"},
		{"a number", `12`, "invalid_json", "starts_at"},
		{"in the past", `"2020-01-01"`, "starts_at_past", "starts_at"},
		{"today", `"` + time.Now().UTC().Format(time.DateOnly) + `"`, "starts_at_past", "starts_at"},
		{"on the stop day", `"` + day.AddDate(0, 0, 3).Format(time.DateOnly) + `"`, "stops_at_not_after_starts_at", "stops_at"},
		{"after the stop", `"` + day.AddDate(0, 0, 5).Format(time.DateOnly) + `"`, "stops_at_not_after_starts_at", "stops_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stops := `"` + day.AddDate(0, 0, 3).Format(time.DateOnly) + `"`
			for _, call := range []struct{ method, path, body string }{
				{"PATCH", "/api/v1/experiments/" + id, `{"starts_at":` + tc.value + `}`},
				{"POST", "/api/v1/experiments", `{"site_id":"` + site.ID + `","name":"Other","page":"/","selector":"#other",
					"goal":{"type":"event","name":"signup"},"variants":[{"text":"A"},{"text":"B"}],"starts_at":` + tc.value + `,"stops_at":` + stops + `}`},
			} {
				resp, out := e.api(call.method, call.path, tok, call.body)
				if tc.code == "invalid_json" {
					wantStatus(t, resp, http.StatusBadRequest, "")
				} else {
					wantStatus(t, resp, http.StatusUnprocessableEntity, "")
				}
				code, field := errorShape(t, out)
				msg, _ := out["error"].(map[string]any)["message"].(string)
				if code != tc.code || field != tc.field || len(msg) < 20 {
					t.Errorf("%s: %s %s %q", call.method, code, field, msg)
				}
			}
		})
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+id, tok, "")
	if out["starts_at"] != wantDay {
		t.Fatalf("a refused change left starts_at %v", out["starts_at"])
	}

	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"starts_at":null}`)
	wantStatus(t, resp, http.StatusOK, "")
	if v, ok := out["starts_at"]; !ok || v != nil {
		t.Fatalf("null removes it: %v", out)
	}

	// Started: the plan is gone, and cannot come back.
	e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"starts_at":"`+day.Format(time.DateOnly)+`"}`)
	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if v, ok := out["starts_at"]; !ok || v != nil || out["status"] != string(experiments.StatusRunning) {
		t.Fatalf("a start by hand clears the plan: %v", out)
	}
	for _, value := range []string{`"` + day.Format(time.DateOnly) + `"`, `null`} {
		resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"starts_at":`+value+`}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		code, field := errorShape(t, out)
		msg, _ := out["error"].(map[string]any)["message"].(string)
		if code != "field_not_editable" || field != "starts_at" || len(msg) < 20 {
			t.Errorf("started, starts_at %s: %s %s %q", value, code, field, msg)
		}
	}
}
