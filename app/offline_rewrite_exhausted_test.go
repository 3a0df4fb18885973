package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOfflineRewritesEndOnThePage: through the drafting page, pressing
// More like this (or sending a request in words, which the offline
// generator answers with its next line, as a plain rewrite) on one draft
// again and again went round the same few lines for ever. Each press now
// shows a line not shown before, and the last one leaves the draft as it
// is and says on its card, in the library's words, that there is nothing
// new and what to try instead, not a generic failure.
func TestOfflineRewritesEndOnThePage(t *testing.T) {
	const lead = "The rewrite did not work: the offline generator has nothing new "
	tests := []struct {
		name        string
		instruction string
		note        string
		done        string // the card's message after a rewrite
		want        string // the card's message at the end, as rendered
	}{
		{
			name:        "more like this",
			instruction: "more like this",
			done:        "Rewritten in the same spirit.",
			want: lead + "in this draft&#39;s angle, as it has shown every line in it that fits this brief and is not already among the drafts; " +
				"try Different angle, or edit this draft by hand.",
		},
		{
			name:        "a request in words",
			instruction: "custom",
			note:        "make it about speed",
			done:        "Replaced with another offline template: the offline generator cannot follow written requests.",
			want: lead + "for this draft, as it has shown every line that fits this brief and is not already among the drafts; " +
				"edit this draft by hand, or change the brief.",
		},
		{
			name:        "different angle",
			instruction: "different angle",
			done:        "Rewritten with a different angle.",
			want: lead + "in another angle, as it has shown every line in the other angles that fits this brief and is not already among the drafts; " +
				"edit this draft by hand, or change the brief.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			statusURL, body := offlineDrafts(t, g, 3)
			texts := draftTexts(body)
			seen := map[string]bool{}
			for _, s := range texts {
				seen[strings.ToLower(s)] = true
			}
			press := func() string {
				t.Helper()
				form := draftsForm(texts, []int{0, 1}, nil)
				form.Set("drafts[0].note", tt.note)
				resp, card := g.c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/0/regenerate?instruction=%s", statusURL, url.QueryEscape(tt.instruction)), form)
				wantStatus(t, resp, http.StatusOK, card)
				card = waitCard(t, g.c, statusURL+"/drafts/0")
				// The card shows the rewrite done just before it gives
				// its slot back: the next press waits for that.
				waitNoModelCalls(t, g.e)
				return card
			}
			for n := 1; ; n++ {
				if n > 60 {
					t.Fatalf("still rewriting after %d presses", n-1)
				}
				card := press()
				got := draftTexts(card)
				if len(got) != 1 {
					t.Fatalf("press %d: the card has %d drafts: %s", n, len(got), card)
				}
				if strings.Contains(card, "regen-failed") {
					wantContains(t, card, `<p class="regen-message regen-failed">`+tt.want+`</p>`)
					wantNotContains(t, card, "Something went wrong")
					if got[0] != texts[0] {
						t.Errorf("the last press changed the draft from %q to %q", texts[0], got[0])
					}
					if n == 1 {
						t.Errorf("the first press found nothing new for %q", texts[0])
					}
					return
				}
				wantContains(t, card, tt.done)
				if seen[strings.ToLower(got[0])] {
					t.Fatalf("press %d: %q was shown before", n, got[0])
				}
				seen[strings.ToLower(got[0])] = true
				texts[0] = got[0]
			}
		})
	}
}
