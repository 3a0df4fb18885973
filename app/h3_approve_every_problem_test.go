package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestH3ApproveReportsEveryProblem: Add names every problem of every
// ticked draft in one answer, the length beside the brief's other rules
// and every banned word, rather than one at a time; ticking the box for
// long drafts then leaves the other problems, and the edits stay.
func TestH3ApproveReportsEveryProblem(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	brief := g.brief(2) // must not say "guarantee" or "best-in-class"
	brief.Set("max_length", "40")
	statusURL, _ := g.start(t, brief)
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts", len(texts))
	}
	first := "We guarantee plans that grow with your team" // 43 characters
	second := "Best-in-class boards we guarantee"
	form := draftsForm(texts, []int{0, 1}, map[int]string{0: first, 1: second})

	msgs := func(t *testing.T, body string, i int) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)id="f-drafts-` + string(rune('0'+i)) + `-text-error"[^>]*>(.*?)</`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no message for draft %d", i+1)
		}
		return html.UnescapeString(m[1])
	}
	tests := []struct {
		name      string
		allowLong bool
		want      [2][]string
		notWant   []string
	}{
		{"at once", false, [2][]string{
			{"Draft 1 is 43 characters; the brief asks for at most 40.", "Draft 1 uses “guarantee”, which is on the brief's must-not-say list."},
			{"Draft 2 uses “guarantee”, which is on the brief's must-not-say list.", "Draft 2 uses “best-in-class”, which is on the brief's must-not-say list."},
		}, nil},
		{"long drafts allowed", true, [2][]string{
			{"Draft 1 uses “guarantee”, which is on the brief's must-not-say list."},
			{"Draft 2 uses “guarantee”", "Draft 2 uses “best-in-class”"},
		}, []string{"Draft 1 is 43 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.allowLong {
				form.Set("allow_long", "on")
			}
			resp, body := g.c.post(statusURL+"/approve", form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			for i, want := range tt.want {
				got := msgs(t, body, i)
				for _, w := range want {
					if !strings.Contains(got, w) {
						t.Errorf("draft %d's message %q lacks %q", i+1, got, w)
					}
				}
				for _, w := range tt.notWant {
					if strings.Contains(got, w) {
						t.Errorf("draft %d's message %q has %q", i+1, got, w)
					}
				}
			}
			for _, text := range []string{first, second} {
				if !strings.Contains(body, ">"+html.EscapeString(text)+"</textarea>") {
					t.Errorf("the edit %q is lost", text)
				}
			}
			if x, _ := g.e.store.Experiment(context.Background(), g.x.ID); len(x.Variants) != len(g.x.Variants) {
				t.Errorf("%d variants, want %d: nothing added", len(x.Variants), len(g.x.Variants))
			}
		})
	}
}

// TestH3ApproveRoomBesideRefusals: with room for one more variant and two
// drafts ticked, one of them refused, Add says both that there is room
// for one and what is wrong with the refused draft: fixing the draft
// alone would still leave one draft too many.
func TestH3ApproveRoomBesideRefusals(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts", len(texts))
	}
	// Fill the experiment to one short of its most, after the drafts
	// were written for more room.
	var fill []experiments.Variant
	for i := len(g.x.Variants); i < experiments.MaxVariants-1; i++ {
		fill = append(fill, experiments.Variant{Text: fmt.Sprintf("Filler headline number %d for the test", i)})
	}
	if _, _, err := g.e.store.AddVariants(context.Background(), g.x.ID, fill, experiments.User{}); err != nil {
		t.Fatal(err)
	}
	form := draftsForm(texts, []int{0, 1}, map[int]string{1: "Boards we guarantee for your team"})
	resp, body := g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, html.EscapeString("The experiment has room for 1 more variant; untick 1."),
		html.EscapeString("A ticked draft cannot be added yet; see the message below it."),
		html.EscapeString("Draft 2 uses “guarantee”, which is on the brief's must-not-say list."))
}
