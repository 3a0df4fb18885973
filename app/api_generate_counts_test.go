package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The API's notes count the drafts it added: a draft left out because
// the experiment already has its text is not counted as written, as on
// the drafting page (TestShortfallNoteCountsTheDraftsShown).
func TestAPIGenerateShortfallNoteCountsTheDraftsAdded(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(sameAnswer(
		"Projects, finally under control", // the experiment's variant B
		"Plan every launch in one calm place",
		"We guarantee calm projects", // "guarantee" is on the must-not-say list
		"A guarantee of calmer weeks",
		"Calm weeks, guarantee included",
	))
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := tokenFor(t, g.e, "ann@example.com")
	resp, out := g.e.api(http.MethodPost, "/api/v1/experiments/"+g.x.ID+"/generate", tok,
		`{"n":5,"brief":{"goal":"Start a free trial","current_copy":"Project management for busy teams","must_not_say":["guarantee"]}}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", resp.StatusCode, out)
	}
	if got, _ := out["variants"].([]any); len(got) != 1 {
		t.Fatalf("%d drafts added, want 1: %v", len(got), out)
	}
	notes := fmt.Sprint(out["notes"])
	if !strings.Contains(notes, "Only 1 of the 5 drafts asked for is here") || !strings.Contains(notes, "the experiment already has") {
		t.Errorf("notes %s, want the count of the drafts added", notes)
	}
	if strings.Contains(notes, "only 2 of the 5") {
		t.Errorf("notes %s still carry the library's count", notes)
	}
}
