package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIGenerateSavedCountFitsTheRoom: a generation with no body takes
// the brief saved with the experiment, whose count was asked when there
// was more room; it asks for as many as fit now, as the drafting page
// does, rather than refuse a count the client never sent. A count the
// client does send is still held to the room.
func TestAPIGenerateSavedCountFitsTheRoom(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	texts := []string{"Original headline for the kanban tool", "Plan the week in one board", "Ship work your team can see",
		"Every task where you can find it", "Boards that keep up with you", "Less status, more done",
		"From backlog to done without the meetings", "The board your whole team reads"}
	x := e.experiment(site.ID, "Hero", texts...) // the original and 7 variants: room for 3
	if err := e.store.SaveBrief(context.Background(), x.ID,
		`{"goal":"Start a free trial","product":"Acme Boards, a kanban tool","current_copy":"Original headline for the kanban tool","n":5}`); err != nil {
		t.Fatal(err)
	}
	resp, out := e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/generate", tok, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("generate with the saved brief: %d %v", resp.StatusCode, out)
	}
	if got, _ := out["variants"].([]any); len(got) == 0 || len(got) > 3 {
		t.Errorf("%d drafts added, want 1 to 3 (the room left): %v", len(got), out)
	}

	resp, out = e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/generate", tok, `{"n":5}`)
	if msg := fmt.Sprint(out); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("asking for 5 with room for fewer: %d %s", resp.StatusCode, msg)
	}
}

// TestAPIGenerateBadOutputCarriesDropped: when every draft the model
// writes breaks the brief's rules, the 502 carries the discarded drafts
// with their reasons, as its message says and as the drafting page shows
// them.
func TestAPIGenerateBadOutputCarriesDropped(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		return 200, nil, completion(`{"variants":[{"text":"A guarantee for busy teams","angle":"promise","rationale":"Because."}]}`)
	})
	tok := tokenFor(t, g.e, "ann@example.com")
	resp, out := g.e.api(http.MethodPost, "/api/v1/experiments/"+g.x.ID+"/generate", tok,
		`{"n":1,"brief":{"goal":"Start a trial","must_not_say":["guarantee"]}}`)
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("%d %v, want 502", resp.StatusCode, out)
	}
	errObj, _ := out["error"].(map[string]any)
	if errObj["code"] != "llm_bad_output" || !strings.Contains(fmt.Sprint(errObj["message"]), "Ease the rules they broke in the brief, or try again.") {
		t.Errorf("error %v", errObj)
	}
	dropped, _ := out["dropped"].([]any)
	if len(dropped) == 0 {
		t.Fatalf("no dropped list: %v", out)
	}
	d, _ := dropped[0].(map[string]any)
	if d["text"] != "A guarantee for busy teams" || !strings.Contains(fmt.Sprint(d["reason"]), "guarantee") {
		t.Errorf("dropped %v", d)
	}
}
