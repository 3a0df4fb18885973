package app

import (
	"net/http"
	"testing"
	"time"
)

// TestAPIGenerateTooLongSaysWhatToDo: when every draft the model writes
// is over the brief's max length, the API's message names the limit and
// says to raise it, as the drafting page does, and still carries the
// dropped drafts.
func TestAPIGenerateTooLongSaysWhatToDo(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		return 200, nil, completion(`{"variants":[{"text":"Plan every project of your busy week in one shared board","angle":"promise","rationale":"Because."}]}`)
	})
	tok := tokenFor(t, g.e, "ann@example.com")
	resp, out := g.e.api(http.MethodPost, "/api/v1/experiments/"+g.x.ID+"/generate", tok,
		`{"n":1,"brief":{"goal":"Start a trial","max_length":30}}`)
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("%d %v, want 502", resp.StatusCode, out)
	}
	errObj, _ := out["error"].(map[string]any)
	want := "None of the model's drafts fit the brief's max length of 30 characters; raise the max length in the brief, or try again."
	if errObj["code"] != "llm_bad_output" || errObj["message"] != want {
		t.Errorf("error %v, want the message %q", errObj, want)
	}
	if dropped, _ := out["dropped"].([]any); len(dropped) == 0 {
		t.Errorf("no dropped list: %v", out)
	}
}
