package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestAPIStoppedSaysDuplicate: a stopped experiment never runs again, and
// the API's refusal of start, resume, pause or stop points to what the
// pages offer instead, duplicating it, by the call that does it.
func TestAPIStoppedSaysDuplicate(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	e.transition(x.ID, experiments.ActionStop)
	want := "This experiment has stopped and cannot run again. Duplicate it (POST /api/v1/experiments/" + x.ID + "/duplicate) to test more copy."
	// stop would answer 200: the test is stopped already, which is what a
	// client retrying a stop wants to hear.
	for _, action := range []string{"start", "resume", "pause"} {
		resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/"+action, tok, "")
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		if code, _ := errorShape(t, out); code != "experiment_stopped" {
			t.Errorf("%s: code %q, want experiment_stopped", action, code)
		}
		if msg, _ := out["error"].(map[string]any)["message"].(string); msg != want {
			t.Errorf("%s: %q, want %q", action, msg, want)
		}
	}
	// The call it names works.
	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, "")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if name, _ := out["name"].(string); !strings.HasPrefix(name, "Hero") || out["status"] != "draft" {
		t.Errorf("duplicate: %v", out)
	}
}
