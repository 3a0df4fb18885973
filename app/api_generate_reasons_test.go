package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIGenerateNothingNewSaysWhy: when no draft can be added for
// several reasons, the answer's sentence counts each reason the dropped
// list gives, rather than calling every draft a repeat.
func TestAPIGenerateNothingNewSaysWhy(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) {
		b, _ := json.Marshal(map[string]any{"variants": []map[string]string{
			{"text": strings.Repeat("Plan more. ", 455), "angle": "long"}, // 5,005 characters
			{"text": "", "angle": "empty"},
			{"text": "Projects, finally under control", "angle": "repeat"}, // Variant B
		}})
		return http.StatusOK, nil, completion(string(b))
	})
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")

	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":3,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	code, _ := errorShape(t, out)
	msg, _ := out["error"].(map[string]any)["message"].(string)
	if code != "no_new_drafts" {
		t.Errorf("code %s", code)
	}
	dropped, _ := out["dropped"].([]any)
	if len(dropped) != 3 {
		t.Fatalf("dropped %v", out["dropped"])
	}
	want := "None of the drafts could be used: 1 too long, 1 empty, 1 repeats copy the experiment has."
	if !strings.HasPrefix(msg, want) {
		t.Errorf("message %q, want it to start %q", msg, want)
	}
	if strings.Contains(msg, "Every draft repeats") {
		t.Errorf("message %q calls every draft a repeat", msg)
	}
}
