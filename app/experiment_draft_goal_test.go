package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestUnfinishedDraftStartGoalUnchosen: the API's Start of a draft saved
// through "Draft copy with AI" before its goal was chosen asked for "the
// CSS selector of the button or link whose click counts", as though the
// marketer had chosen a click goal: the draft only stores the form's
// default type. It now asks for the goal to be chosen, with the same code;
// a draft whose goal was chosen (a page visit) still gets that type's
// sentence. The edit form, which shows the click pre-selected and puts
// the message under its selector box, keeps the click's sentence
// (TestUnfinishedDraftStart).
func TestUnfinishedDraftStartGoalUnchosen(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "Projects, under control")

	goalError := func(t *testing.T) map[string]any {
		t.Helper()
		resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		for _, f := range out["errors"].([]any) {
			if m := f.(map[string]any); m["field"] == "goal" {
				return m
			}
		}
		t.Fatalf("no goal error in %v", out)
		return nil
	}

	tests := []struct {
		name     string
		goalType string // chosen on the edit form; "" leaves the draft as saved
		wantCode string
		wantMsg  string
	}{
		{"never chosen", "", "invalid_goal", "Choose a goal: a click, a page visit or a custom event."},
		{"page visit chosen", "pageview", "invalid_goal",
			"Enter the URL of the page that counts as a conversion, such as /thanks*."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.goalType != "" {
				v := draftFirstForm(site.ID, "save", "Project management for busy teams", "Projects, under control")
				v.Set("variants[0].key", "control")
				v.Set("goal_type", tt.goalType)
				resp, body := c.post("/experiments/"+x.ID+"/edit", v)
				wantStatus(t, resp, http.StatusSeeOther, body)
			}
			got := goalError(t)
			if got["code"] != tt.wantCode || got["message"] != tt.wantMsg {
				t.Errorf("goal error %v, want %s %q", got, tt.wantCode, tt.wantMsg)
			}
		})
	}
}
