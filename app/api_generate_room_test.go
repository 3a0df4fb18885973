package app

import (
	"context"
	"fmt"
	"net/http"
	"testing"
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
