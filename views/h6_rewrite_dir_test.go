package views

import (
	"strings"
	"testing"
)

// TestRewriteRequestTakesItsOwnDirection: while a draft is rewritten, its
// card names the request. One the marketer typed, in Arabic here, is in a
// <bdi>, so that it reads from the right without turning the English
// sentence around it; the buttons' own requests are English and are not.
func TestRewriteRequestTakesItsOwnDirection(t *testing.T) {
	for _, tt := range []struct {
		name        string
		instruction string
		isolated    bool
	}{
		{"typed in Arabic", "أقصر من فضلك 2", true},
		{"typed in English", "mention the free trial", true},
		{"Shorter", "shorter", false},
		{"Different angle", "different angle", false},
		{"More like this", "more like this", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			card := DraftCard{Index: 0, Text: "Plan every launch", Original: "Plan every launch", MaxLength: 60, Include: true,
				Regenerating: true, Instruction: tt.instruction, URL: "/d", RegenerateURL: "/d/regenerate"}
			doc, raw := renderDoc(t, DraftCardView(card))
			busy := find(doc, byClass("gen-progress-sm"))
			if len(busy) != 1 {
				t.Fatalf("%d progress lines:\n%s", len(busy), raw)
			}
			if got, want := strings.TrimSpace(text(busy[0])), "Rewriting ("+tt.instruction+")…"; got != want {
				t.Errorf("the card reads %q, want %q", got, want)
			}
			bdis := find(busy[0], byTag("bdi"))
			switch {
			case tt.isolated && (len(bdis) != 1 || text(bdis[0]) != tt.instruction):
				t.Errorf("the request typed is not alone in a <bdi>:\n%s", raw)
			case !tt.isolated && len(bdis) != 0:
				t.Errorf("a button's own request is in a <bdi>:\n%s", raw)
			}
		})
	}
}
