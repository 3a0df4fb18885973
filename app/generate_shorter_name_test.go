package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestOfflineShorterKeepsTheName: the reviewer's steps on the page. With
// the offline generator and "Leeds Bikes" as the product, Shorter on the
// pre-ticked Draft 1, "See what Leeds Bikes can do for you", gave "See
// what it can do for you", which went live so. The draft now keeps its
// text, still ticked, and the card says why it was not shortened.
func TestOfflineShorterKeepsTheName(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	v := g.brief(3)
	v.Set("product", "Leeds Bikes")
	v.Set("goal", "Get visitors to buy a bike")
	v.Del("audience")
	statusURL, _ := g.start(t, v)
	body := g.wait(t, statusURL)
	texts := draftTexts(body)
	const first = "See what Leeds Bikes can do for you"
	if len(texts) == 0 || texts[0] != first {
		t.Fatalf("the drafts are %q, want %q first", texts, first)
	}

	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(card, "draft-busy"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the rewrite did not finish")
		}
		_, card = g.c.hx(http.MethodGet, fmt.Sprintf("%s/drafts/%d", statusURL, 0), nil)
	}
	wantContains(t, card, ">"+first+"</textarea>",
		"The rewrite did not work: the offline generator could not shorten this draft without putting “it” in place of “Leeds Bikes”, so the draft is unchanged; shorten it by hand.")
	wantNotContains(t, card, "See what it can do for you")
	if got := tickedDrafts(card); len(got) != 1 || got[0] != "0" {
		t.Errorf("draft 1's box: ticked %q, want it still ticked", got)
	}
}
