package app

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// sameAnswer makes the fake model give the same drafts to every request,
// the follow-up for missing drafts included, as a stubborn model does.
func sameAnswer(texts ...string) func(n, limit int) (int, map[string]string, string) {
	return func(int, int) (int, map[string]string, string) {
		var vs []map[string]string
		for _, t := range texts {
			vs = append(vs, map[string]string{"text": t, "angle": "benefit first", "rationale": "Says what changes."})
		}
		b, _ := json.Marshal(map[string]any{"variants": vs})
		return http.StatusOK, nil, completion(string(b))
	}
}

// The note that fewer drafts came than were asked for counts the drafts
// the page shows: a draft dropped because the experiment already has its
// text is not counted as written, and the note says why it is missing.
func TestShortfallNoteCountsTheDraftsShown(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(sameAnswer(
		"Projects, finally under control", // the experiment's variant B
		"Plan every launch in one calm place",
		"We guarantee calm projects", // "guarantee" is on the must-not-say list
		"A guarantee of calmer weeks",
		"Calm weeks, guarantee included",
	))
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(5))
	frag := g.wait(t, statusURL)
	if n := len(draftTexts(frag)); n != 1 {
		t.Fatalf("%d drafts, want 1", n)
	}
	wantContains(t, frag, ">1 draft<", "Only 1 of the 5 drafts asked for", "the experiment already has", "The experiment already has this text.")
	wantNotContains(t, frag, "only 2 of the 5")
}

// The discarded drafts are listed once each, however often the model
// sent them (first answer and follow-up), and a draft that is shown is
// not also listed as discarded.
func TestDiscardedDraftsListedOnce(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(sameAnswer(
		"Plan every launch in one calm place",
		"We guarantee calm projects",
		"A guarantee of calmer weeks",
		"Calm weeks, guarantee included",
		"Best-in-class planning for studios",
	))
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(5))
	frag := g.wait(t, statusURL)
	if llm.calls() != 2 {
		t.Fatalf("%d model calls, want 2 (the answer and the follow-up)", llm.calls())
	}
	wantContains(t, frag, "4 drafts were discarded")
	wantNotContains(t, frag, "too close to another draft")
}
