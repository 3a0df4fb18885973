package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// h6BriefJSON is a saved brief with guardrails: a product, an audience,
// a max length and a must-not-say word.
const h6BriefJSON = `{"product":"Kanban app","audience":"developers","goal":"Start a free trial",` +
	`"current_copy":"Project management for busy teams","max_length":60,"must_not_say":["best"]}`

// TestH6GenerateBriefMerges: a brief sent to generate is merged into the
// saved one, a field sent replacing that field and the others kept, and
// the result is checked as a saved brief is: {"brief":{"current_copy":""}}
// dropped the product, audience, max length and must-not-say word, and
// wrote drafts from the control with none of them.
func TestH6GenerateBriefMerges(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := briefExperiment(t, e, e.site("Shop").ID, h6BriefJSON)
	api := "/api/v1/experiments/" + x.ID + "/generate"

	resp, out := e.api(http.MethodPost, api, tok, `{"n":1,"brief":{"tone":"calm"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	var used struct {
		Product     string   `json:"product"`
		Audience    string   `json:"audience"`
		Tone        string   `json:"tone"`
		Goal        string   `json:"goal"`
		CurrentCopy string   `json:"current_copy"`
		MaxLength   int      `json:"max_length"`
		MustNotSay  []string `json:"must_not_say"`
	}
	raw, _ := json.Marshal(out["brief"])
	if err := json.Unmarshal(raw, &used); err != nil {
		t.Fatal(err)
	}
	if used.Product != "Kanban app" || used.Audience != "developers" || used.Tone != "calm" || used.Goal != "Start a free trial" ||
		used.MaxLength != 60 || strings.Join(used.MustNotSay, ",") != "best" || used.CurrentCopy != x.Variants[0].Text {
		t.Errorf("brief used %s, want the saved one with the tone sent", raw)
	}

	for _, tt := range []struct{ name, body, field string }{
		{"current copy sent empty", `{"brief":{"current_copy":""}}`, "brief.current_copy"},
		{"goal sent empty", `{"brief":{"goal":"  "}}`, "brief.goal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api(http.MethodPost, api, tok, tt.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if code, field, _ := apiError(out); code != "invalid_brief" || field != tt.field {
				t.Errorf("%s on %s, want invalid_brief on %s", code, field, tt.field)
			}
		})
	}
}

// TestH6GenerateBriefNField: a count out of range sent in the brief is
// reported on brief.n, as every other field of the brief is on brief.x;
// one sent beside it stays n.
func TestH6GenerateBriefNField(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	api := "/api/v1/experiments/" + x.ID + "/generate"
	for _, tt := range []struct{ body, field string }{
		{`{"brief":{"n":99}}`, "brief.n"},
		{`{"n":99}`, "n"},
		{`{"n":0}`, "n"},
		{`{"n":99,"brief":{"n":2}}`, "n"},
	} {
		resp, out := e.api(http.MethodPost, api, tok, tt.body)
		code, field, _ := apiError(out)
		if resp.StatusCode != http.StatusUnprocessableEntity || code != "invalid_brief" || field != tt.field {
			t.Errorf("%s: %d %s on %s, want 422 invalid_brief on %s", tt.body, resp.StatusCode, code, field, tt.field)
		}
	}
}

// TestH6GenerateStoppedAsVariants: generate on a stopped experiment
// answers as POST …/variants does, experiment_stopped pointing to
// …/duplicate, rather than "only before the experiment starts".
func TestH6GenerateStoppedAsVariants(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	e.transition(x.ID, "start")
	e.transition(x.ID, "stop")
	api := "/api/v1/experiments/" + x.ID

	_, want := e.api(http.MethodPost, api+"/variants", tok, `{"text":"Ship sooner"}`)
	resp, out := e.api(http.MethodPost, api+"/generate", tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	code, _, msg := apiError(out)
	wantCode, _, wantMsg := apiError(want)
	if code != "experiment_stopped" || code != wantCode || msg != wantMsg || !strings.Contains(msg, api+"/duplicate") {
		t.Errorf("generate: %s %q; variants: %s %q", code, msg, wantCode, wantMsg)
	}
}
