package app

import (
	"fmt"
	"net/http"
	"testing"
)

// apiDraftID creates a draft through the API, with only the control and a
// brief the offline generator can write from, and returns its id.
func apiDraftID(t *testing.T, e *env, tok string) string {
	t.Helper()
	site := e.site("Marketing")
	resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",
		"goal":{"type":"event","name":"signup"},"brief":{"goal":"Get developers to sign up","audience":"developers"},
		"variants":[{"key":"control","text":"Ship faster with fewer meetings"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	return out["id"].(string)
}

// TestAPIGenerateNothingNew: when every draft repeats copy the experiment
// already has, nothing went wrong on the model's side: the answer is a
// 4xx of its own that lists the dropped drafts, not llm_bad_output.
func TestAPIGenerateNothingNew(t *testing.T) {
	e := newEnv(t) // the offline generator: the same brief writes the same drafts
	tok := e.token("api@example.com")
	id := apiDraftID(t, e, tok)

	resp, out := e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if vs, _ := out["variants"].([]any); len(vs) != 2 || out["offline"] != true {
		t.Fatalf("first generation: %v", out)
	}

	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	code, _ := errorShape(t, out)
	if code != "no_new_drafts" {
		t.Errorf("code %s", code)
	}
	msg := out["error"].(map[string]any)["message"].(string)
	wantContains(t, msg, "already has", "brief")
	dropped, _ := out["dropped"].([]any)
	if len(dropped) != 2 {
		t.Fatalf("dropped %v", out["dropped"])
	}
	for _, d := range dropped {
		d := d.(map[string]any)
		if d["text"] == "" || d["reason"] != "The experiment already has this text." {
			t.Errorf("dropped %v", d)
		}
	}
	x, err := e.store.Experiment(t.Context(), id)
	if err != nil || len(x.Variants) != 3 {
		t.Errorf("stored %d versions, %v", len(x.Variants), err)
	}
}
