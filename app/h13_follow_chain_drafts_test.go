package app

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// The copy of the middle test of h13Chain: its Variant B is shipped, and
// its Variant C lost.
const (
	h13BShipped = "Plan every launch in one calm place"
	h13BLost    = "Stop chasing updates across five apps"
	h13New      = "Deadlines met without the Monday panic"
)

// The reasons a draft of copy tried up the chain is left out.
const (
	h13ByA       = "“Pricing hero”, which came before the test this follows, already tried this copy."
	h13ByB       = "The test this follows, “Pricing hero (follow-up)”, already tried this copy."
	h13ByANearly = "“Pricing hero”, which came before the test this follows, already tried all but the same text: “" + h10Original + "”."
)

// h13Chain ships h9ShippedTest (A, "Pricing hero"), follows it up through
// the API (B), gives B two variants, ships B's Variant B and follows that
// up (C). It returns the ids of B and C.
func h13Chain(t *testing.T, e *env, tok, siteID string) (b, c string) {
	t.Helper()
	_, b = h10FollowUp(t, e, tok, siteID)
	if _, _, err := e.store.AddVariants(t.Context(), b, []experiments.Variant{{Text: h13BShipped}, {Text: h13BLost}}, experiments.User{}); err != nil {
		t.Fatal(err)
	}
	e.transition(b, experiments.ActionStart)
	if _, err := e.store.Ship(t.Context(), b, "b"); err != nil {
		t.Fatal(err)
	}
	resp, out := e.api("POST", "/api/v1/experiments/"+b+"/duplicate", tok, `{"from_shipped":true}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	return b, out["id"].(string)
}

// TestH13ChainAPIDrafts: the API's drafts for a follow-up of a follow-up
// leave out the copy of every test up the chain, each with the test that
// tried it, and the notes and no_new_drafts count them. A duplicate of
// the follow-up follows the same test, so its drafts leave out the same.
func TestH13ChainAPIDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")
	b, c := h13Chain(t, g.e, tok, g.site.ID)

	h10Reply(llm, h10Lost, h13BLost, strings.ToLower(h10Original), h10Shipped, h13New)
	resp, out := g.e.api("POST", "/api/v1/experiments/"+c+"/generate", tok, `{"n":5}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if vs, _ := out["variants"].([]any); len(vs) != 1 || vs[0].(map[string]any)["text"] != h13New {
		t.Errorf("variants %v, want the new draft alone", vs)
	}
	dropped := h10Dropped(t, out)
	want := map[string]string{
		h10Lost:                      h13ByA,
		strings.ToLower(h10Original): h13ByANearly,
		h13BLost:                     h13ByB,
		// A's shipped copy is B's original: B is the nearest that had it.
		h10Shipped: h13ByB,
	}
	for text, reason := range want {
		if dropped[text] != reason {
			t.Errorf("dropped %q: %q, want %q", text, dropped[text], reason)
		}
	}
	notes, _ := json.Marshal(out["notes"])
	wantContains(t, string(notes), "Only 1 of the 5 drafts asked for is here: the tests before this one already tried the other 4.")

	h10Reply(llm, h10Lost, h13BLost)
	resp, out = g.e.api("POST", "/api/v1/experiments/"+c+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	msg := fmt.Sprint(out["error"].(map[string]any)["message"])
	if !strings.HasPrefix(msg, "None of the drafts could be used: 1 was tried by a test before the one this follows, 1 was tried by the test this follows. ") {
		t.Errorf("no_new_drafts: %s", msg)
	}

	// The duplicate of C follows B as C does.
	resp, out = g.e.api("POST", "/api/v1/experiments/"+c+"/duplicate", tok, "")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["follows"] != b {
		t.Errorf("the duplicate follows %v, want %q", out["follows"], b)
	}
	d := out["id"].(string)
	h10Reply(llm, h10Lost, h13BLost, "Your whole team on one page")
	resp, out = g.e.api("POST", "/api/v1/experiments/"+d+"/generate", tok, `{"n":3}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if vs, _ := out["variants"].([]any); len(vs) != 1 || vs[0].(map[string]any)["text"] != "Your whole team on one page" {
		t.Errorf("the duplicate's variants %v", vs)
	}
	if got := h10Dropped(t, out); got[h10Lost] != h13ByA || got[h13BLost] != h13ByB {
		t.Errorf("the duplicate's dropped %q", got)
	}
}

// TestH13ChainPageDrafts: the drafting page of a follow-up of a follow-up
// leaves out the copy that lost two tests ago, says which test tried it,
// and a rewrite is told to stay clear of all of it. The duplicate made
// from the experiment page follows the same test and says so.
func TestH13ChainPageDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")
	b, c := h13Chain(t, g.e, tok, g.site.ID)
	g.base = "/experiments/" + c + "/generate"

	g.c.get(g.base)
	h10Reply(llm, h10Lost, h13BLost, h13New)
	v := g.brief(3)
	v.Set("current_copy", h13BShipped)
	statusURL, _ := g.start(t, v)
	frag := g.wait(t, statusURL)
	if texts := draftTexts(frag); !slices.Equal(texts, []string{h13New}) {
		t.Errorf("drafts %q, want the new one alone", texts)
	}
	text := html.UnescapeString(frag)
	wantContains(t, text, h13ByA, h13ByB,
		"Only 1 of the 3 drafts asked for is here: the tests before this one already tried the other 2.")

	h10Reply(llm, "Your whole team on one page")
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=different+angle", draftsForm([]string{h13New}, []int{0}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Your whole team on one page")
	// Named as copy tried in earlier tests, not as this test's variants.
	_, tried, _ := strings.Cut(llm.lastRequest(), "<tried>")
	for _, want := range []string{h10Lost, h10Original, h13BLost} {
		if !strings.Contains(tried, want) {
			t.Errorf("the rewrite was not told to avoid %q: %s", want, tried)
		}
	}

	resp, body := g.c.post("/experiments/"+c+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = g.c.get(resp.Header.Get("Location"))
	wantContains(t, body, `Follows <a href="/experiments/`+b+`" dir="auto">Pricing hero (follow-up)</a>`)
	wantContains(t, html.UnescapeString(body), "Duplicated from “<bdi>Pricing hero (follow-up 2)</bdi>”, and like it follows “<bdi>Pricing hero (follow-up)</bdi>”.")
}
