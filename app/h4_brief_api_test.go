package app

import (
	"context"
	"net/http"
	"testing"
)

// apiError is the "error" member of an API answer.
func apiError(out map[string]any) (code, field, msg string) {
	e, _ := out["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	msg, _ = e["message"].(string)
	return code, field, msg
}

// TestAPIHoldsTypedCopyToTheBrief: copy sent through the variants API to
// a draft drafted from a brief is held to the brief's rules, as the edit
// form and the drafting page hold it: 422 copy_breaks_brief on the text,
// with a sentence naming the variant and the rule, and nothing saved.
func TestAPIHoldsTypedCopyToTheBrief(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string // after the experiment's
		body   string
		field  string
		want   string
	}{
		{"a changed variant with a banned word", http.MethodPatch, "/variants/b", `{"text":"The best kanban tool for teams"}`, "text",
			"Variant B uses “best”, which is on the brief's must-not-say list."},
		{"a new variant without a must-say item", http.MethodPost, "/variants", `{"text":"Faster sprints, no matter what"}`, "text",
			"Variant C leaves out “teams”, which the brief's must-say list asks every draft to include."},
		{"a new variant with a line break in a headline", http.MethodPost, "/variants", `{"key":"alt","text":"Ship faster\nwith your teams"}`, "text",
			"Variant ALT has a line break, which a headline cannot show: keep it on one line."},
		{"a changed variant that repeats the original", http.MethodPatch, "/variants/b", `{"text":"project management for BUSY teams!"}`, "text",
			"Variant B is the same as the original copy (“Project management for busy teams”) but for case, spacing or punctuation; change its words to test something new."},
		{"a changed variant over the brief's length", http.MethodPatch, "/variants/b", `{"text":"Plan every single sprint and every release with all of your teams"}`, "text",
			"Variant B is 65 characters; the brief asks for at most 60. Shorten it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tok := e.token("api@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, briefRulesJSON)
			resp, out := e.api(tt.method, "/api/v1/experiments/"+x.ID+tt.path, tok, tt.body)
			code, field, msg := apiError(out)
			if resp.StatusCode != http.StatusUnprocessableEntity || code != "copy_breaks_brief" || field != tt.field || msg != tt.want {
				t.Errorf("%d %s %s %q, want 422 copy_breaks_brief %s %q", resp.StatusCode, code, field, msg, tt.field, tt.want)
			}
			got, _ := e.store.Experiment(context.Background(), x.ID)
			if len(got.Variants) != 2 || got.Variants[1].Text != x.Variants[1].Text {
				t.Errorf("refused copy was saved: %+v", got.Variants)
			}
		})
	}

	t.Run("a create with a brief", func(t *testing.T) {
		e := newEnv(t)
		tok := e.token("api@example.com")
		site := e.site("Shop")
		resp, out := e.api(http.MethodPost, "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/pricing",`+
			`"selector":"#hero","goal":{"type":"click","selector":"#buy"},"brief":`+briefRulesJSON+`,`+
			`"variants":[{"text":"Project management for busy teams"},{"text":"Plan every sprint with your teams"},{"text":"The best tool for teams"}]}`)
		code, field, msg := apiError(out)
		want := "Variant C uses “best”, which is on the brief's must-not-say list."
		if resp.StatusCode != http.StatusUnprocessableEntity || code != "copy_breaks_brief" || field != "variants[2].text" || msg != want {
			t.Errorf("%d %s %s %q, want 422 copy_breaks_brief variants[2].text %q", resp.StatusCode, code, field, msg, want)
		}
	})
}

// TestAPIBriefHoldsOnlyTypedCopy: the brief holds copy the call sends, in
// a draft: a weight alone, the original, and a draft without a brief are
// as before, and a started test's copy is refused as fixed (409), not for
// the brief.
func TestAPIBriefHoldsOnlyTypedCopy(t *testing.T) {
	tests := []struct {
		name   string
		brief  string
		texts  []string
		start  bool
		method string
		path   string
		body   string
		status int
		code   string
	}{
		{"a weight of stored copy that breaks the brief", briefRulesJSON,
			[]string{"Project management for busy teams", "The best tool, guaranteed"}, false,
			http.MethodPatch, "/variants/b", `{"weight_bp":3000}`, http.StatusOK, ""},
		{"the same text sent back", briefRulesJSON,
			[]string{"Project management for busy teams", "The best tool, guaranteed"}, false,
			http.MethodPatch, "/variants/b", `{"text":"The best tool, guaranteed"}`, http.StatusOK, ""},
		{"the original", briefRulesJSON, nil, false,
			http.MethodPatch, "/variants/control", `{"text":"The best project management, guaranteed"}`, http.StatusOK, ""},
		{"no brief", "", nil, false,
			http.MethodPost, "/variants", `{"text":"The best kanban tool, guaranteed"}`, http.StatusCreated, ""},
		{"a started test", briefRulesJSON, nil, true,
			http.MethodPatch, "/variants/b", `{"text":"The best kanban tool for teams"}`, http.StatusConflict, "experiment_started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tok := e.token("api@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, tt.brief, tt.texts...)
			if tt.start {
				e.transition(x.ID, "start")
			}
			resp, out := e.api(tt.method, "/api/v1/experiments/"+x.ID+tt.path, tok, tt.body)
			if code, _, msg := apiError(out); resp.StatusCode != tt.status || code != tt.code {
				t.Errorf("%d %s %q, want %d %q", resp.StatusCode, code, msg, tt.status, tt.code)
			}
		})
	}
}
