package app

import (
	"net/http"
	"testing"
	"time"
)

// TestAPIStopsAt: stops_at goes in with POST and PATCH (a day or an RFC
// 3339 time), comes back in GET, the list and every answer, null
// removes it, and a value that is no time, or one in the past, is a 422
// with a code and a sentence on the field.
func TestAPIStopsAt(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 30)
	wantDay := day.Format("2006-01-02") + "T00:00:00.000Z"

	body := `{"site_id":"` + site.ID + `","name":"Hero","page":"/","selector":"#hero","goal":{"type":"event","name":"signup"},
		"variants":[{"text":"Ship faster"},{"text":"Ship today"}],"stops_at":"` + day.Format("2006-01-02") + `"}`
	resp, out := e.api("POST", "/api/v1/experiments", tok, body)
	wantStatus(t, resp, http.StatusCreated, "")
	if out["stops_at"] != wantDay {
		t.Fatalf("create: stops_at %v, want %s", out["stops_at"], wantDay)
	}
	id := out["id"].(string)
	if w, _ := out["warnings"].([]any); len(w) != 0 {
		t.Errorf("a month ahead is no warning: %v", w)
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if out["stops_at"] != wantDay {
		t.Fatalf("get: stops_at %v", out["stops_at"])
	}
	resp, out = e.api("GET", "/api/v1/experiments", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if list, _ := out["experiments"].([]any); len(list) != 1 || list[0].(map[string]any)["stops_at"] != wantDay {
		t.Fatalf("list: %v", out)
	}

	soon := time.Now().UTC().Add(50 * time.Hour).Truncate(time.Second)
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"stops_at":"`+soon.Format(time.RFC3339)+`"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if out["stops_at"] != soon.Format("2006-01-02T15:04:05")+".000Z" {
		t.Fatalf("patch: stops_at %v", out["stops_at"])
	}
	w, _ := out["warnings"].([]any)
	if len(w) != 1 || w[0].(map[string]any)["code"] != "stops_before_verdict" {
		t.Fatalf("two days ahead warns: %v", out["warnings"])
	}

	for _, tc := range []struct{ name, value, code string }{
		{"not a time", `"next tuesday"`, "invalid_stops_at"},
		{"a day without its year", `"12-12"`, "invalid_stops_at"},
		{"in the past", `"2020-01-01"`, "stops_at_past"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, call := range []struct{ method, path, body string }{
				{"PATCH", "/api/v1/experiments/" + id, `{"stops_at":` + tc.value + `}`},
				{"POST", "/api/v1/experiments", `{"site_id":"` + site.ID + `","name":"Other","page":"/","selector":"#other",
					"goal":{"type":"event","name":"signup"},"variants":[{"text":"A"},{"text":"B"}],"stops_at":` + tc.value + `}`},
			} {
				resp, out := e.api(call.method, call.path, tok, call.body)
				wantStatus(t, resp, http.StatusUnprocessableEntity, "")
				code, field := errorShape(t, out)
				msg, _ := out["error"].(map[string]any)["message"].(string)
				if code != tc.code || field != "stops_at" || len(msg) < 20 {
					t.Errorf("%s: %s %s %q", call.method, code, field, msg)
				}
			}
		})
	}

	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"stops_at":null}`)
	wantStatus(t, resp, http.StatusOK, "")
	if v, ok := out["stops_at"]; !ok || v != nil {
		t.Fatalf("null removes it: %v", out)
	}
}
