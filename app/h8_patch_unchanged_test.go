package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH8PatchNothingKeepsUpdatedAt: a PATCH that changes nothing ({}, the
// same name, traffic share or weight) leaves updated_at as it was; a real
// change moves it.
func TestH8PatchNothingKeepsUpdatedAt(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	for _, status := range []string{"draft", "running"} {
		t.Run(status, func(t *testing.T) {
			x := e.experiment(site.ID, "Hero "+status)
			if status == "running" {
				x = e.transition(x.ID, experiments.ActionStart)
			}
			path := "/api/v1/experiments/" + x.ID
			_, before := e.api("GET", path, tok, "")
			time.Sleep(5 * time.Millisecond) // the store's clock reads milliseconds
			for _, tc := range []struct{ path, body string }{
				{path, `{}`},
				{path, `{"name":"Hero ` + status + `"}`},
				{path, `{"traffic_bp":10000}`},
				{path, `{"threshold":0.1}`},
				{path + "/variants/b", `{"weight_bp":5000}`},
				{path + "/variants/b", `{"text":"New headline"}`},
			} {
				if status == "running" && strings.Contains(tc.body, "text") {
					continue
				}
				resp, out := e.api("PATCH", tc.path, tok, tc.body)
				wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
				if out["updated_at"] != before["updated_at"] {
					t.Errorf("%s %s moved updated_at from %v to %v", tc.path, tc.body, before["updated_at"], out["updated_at"])
				}
			}
			resp, out := e.api("PATCH", path, tok, `{"name":"Hero renamed `+status+`"}`)
			wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			if out["updated_at"] == before["updated_at"] {
				t.Errorf("a rename kept updated_at")
			}
		})
	}
}
