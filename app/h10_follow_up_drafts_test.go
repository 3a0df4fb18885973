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

// The copy of h9ShippedTest, whose Variant B is shipped: a follow-up's
// original is B, and the test it follows already tried the other two.
const (
	h10Original = "Project management for busy teams"
	h10Shipped  = "See what Acme Boards can do for you"
	h10Lost     = "Is Acme Boards right for you?"
)

// h10Reply makes the fake model answer with these drafts, in order.
func h10Reply(llm *fakeLLM, texts ...string) {
	var vs []map[string]string
	for i, t := range texts {
		vs = append(vs, map[string]string{"text": t, "angle": angles[i%len(angles)], "rationale": rationales[i%len(rationales)]})
	}
	raw, _ := json.Marshal(map[string]any{"variants": vs})
	llm.setReply(func(int, int) (int, map[string]string, string) { return http.StatusOK, nil, completion(string(raw)) })
}

// h10FollowUp ships h9ShippedTest's Variant B and starts its follow-up
// through the API, returning the shipped test and the follow-up's id.
func h10FollowUp(t *testing.T, e *env, tok, siteID string) (experiments.Experiment, string) {
	t.Helper()
	x := h9ShippedTest(t, e, siteID)
	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, `{"from_shipped":true}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	return x, out["id"].(string)
}

// h10Dropped is the dropped list of an API answer, text → reason.
func h10Dropped(t *testing.T, out map[string]any) map[string]string {
	t.Helper()
	got := map[string]string{}
	list, ok := out["dropped"].([]any)
	if !ok {
		t.Fatalf("no dropped list: %v", out)
	}
	for _, d := range list {
		m := d.(map[string]any)
		got[m["text"].(string)] = m["reason"].(string)
	}
	return got
}

// TestH10FollowUpAPIDrafts: the API's drafts for a follow-up leave out
// the copy the test it follows already tried, its original and the
// variant that lost, each with a reason that says so, as they leave out
// the follow-up's own copy; the experiment object says which test it
// follows. When nothing is left, the answer counts every reason.
func TestH10FollowUpAPIDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")
	x, id := h10FollowUp(t, g.e, tok, g.site.ID)

	resp, out := g.e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["follows"] != x.ID {
		t.Errorf("the follow-up's follows: %v, want %q", out["follows"], x.ID)
	}
	resp, out = g.e.api("GET", "/api/v1/experiments/"+x.ID, tok, "")
	if v, ok := out["follows"]; !ok || v != nil {
		t.Errorf("the shipped test's follows: %v (present %v), want null", v, ok)
	}

	h10Reply(llm, h10Lost, "Plan every launch in one calm place", strings.ToLower(h10Original))
	resp, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":3}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	vs, _ := out["variants"].([]any)
	if len(vs) != 1 || vs[0].(map[string]any)["text"] != "Plan every launch in one calm place" {
		t.Errorf("variants %v, want the new draft alone", vs)
	}
	dropped := h10Dropped(t, out)
	want := map[string]string{
		h10Lost:                      "The test this follows, “Pricing hero”, already tried this copy.",
		strings.ToLower(h10Original): "The test this follows, “Pricing hero”, already tried all but the same text: “" + h10Original + "”.",
	}
	for text, reason := range want {
		if dropped[text] != reason {
			t.Errorf("dropped %q: %q, want %q", text, dropped[text], reason)
		}
	}
	notes, _ := json.Marshal(out["notes"])
	wantContains(t, string(notes), "Only 1 of the 3 drafts asked for is here: the test this follows already tried the other 2.")

	// The follow-up's own copy is left out as before, and the note
	// counts each reason.
	h10Reply(llm, h10Lost, "plan every launch in one calm place", "Stop chasing updates across five apps")
	resp, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":3}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if reason := h10Dropped(t, out)["plan every launch in one calm place"]; reason != "The experiment already has all but the same text: “Plan every launch in one calm place”." {
		t.Errorf("own copy dropped as %q", reason)
	}
	notes, _ = json.Marshal(out["notes"])
	wantContains(t, string(notes), "Only 1 of the 3 drafts asked for is here: the experiment already has 1 of the others and the test this follows already tried 1.")

	// Nothing new: no_new_drafts, with each reason counted.
	h10Reply(llm, h10Lost, "stop chasing updates across five apps")
	resp, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	code, _ := errorShape(t, out)
	msg := fmt.Sprint(out["error"].(map[string]any)["message"])
	if code != "no_new_drafts" || !strings.HasPrefix(msg, "None of the drafts could be used: 1 was tried by the test this follows, 1 repeats copy the experiment has. ") {
		t.Errorf("%s: %s", code, msg)
	}
	h10Reply(llm, h10Lost, h10Original)
	_, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	if msg := fmt.Sprint(out["error"].(map[string]any)["message"]); !strings.HasPrefix(msg, "None of the drafts could be used: 2 were tried by the test this follows. ") {
		t.Errorf("both tried: %s", msg)
	}

	// PATCH cannot change it.
	resp, out = g.e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"follows":null}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "field_not_editable" || field != "follows" {
		t.Errorf("PATCH follows: %s on %s", code, field)
	}

	// Once the followed test is deleted, the follow-up follows none and
	// its drafts have nothing more to leave out.
	resp, out = g.e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
	if resp.StatusCode >= 300 {
		t.Fatalf("delete the followed test: %d %v", resp.StatusCode, out)
	}
	resp, out = g.e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if v, ok := out["follows"]; !ok || v != nil {
		t.Errorf("follows after the delete: %v", v)
	}
	h10Reply(llm, h10Lost)
	resp, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":1}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if vs, _ := out["variants"].([]any); len(vs) != 1 || vs[0].(map[string]any)["text"] != h10Lost {
		t.Errorf("after the delete: %v", out)
	}
}

// TestH10FollowUpPageDrafts: the drafting page of a follow-up leaves out
// the copy the test it follows tried, says why in the dropped list and
// counts it in the note; a rewrite is told to stay clear of it; and the
// experiment page links to the test it follows, until that is deleted.
func TestH10FollowUpPageDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	x := h9ShippedTest(t, g.e, g.site.ID)
	resp, body := g.c.post("/experiments/"+x.ID+"/follow-up", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id, _ := strings.CutSuffix(strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/"), "/generate")
	g.base = "/experiments/" + id + "/generate"

	_, body = g.c.get("/experiments/" + id)
	wantContains(t, body, `Follows <a href="/experiments/`+x.ID+`" dir="auto">Pricing hero</a>`)
	_, body = g.c.get("/experiments/" + x.ID)
	wantNotContains(t, body, "Follows <a")

	g.c.get(g.base)
	h10Reply(llm, h10Lost, "Plan every launch in one calm place", "Stop chasing updates across five apps")
	v := g.brief(3)
	v.Set("current_copy", h10Shipped)
	statusURL, _ := g.start(t, v)
	frag := g.wait(t, statusURL)
	texts := draftTexts(frag)
	if slices.Contains(texts, h10Lost) || len(texts) != 2 {
		t.Errorf("drafts %q, want the two new ones", texts)
	}
	text := html.UnescapeString(frag)
	wantContains(t, text, "The test this follows, “Pricing hero”, already tried this copy.",
		"Only 2 of the 3 drafts asked for are here: the test this follows already tried the other one.")

	// A rewrite stays clear of the tried copy too.
	h10Reply(llm, "Deadlines met without the Monday panic")
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=different+angle", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Deadlines met without the Monday panic")
	req := llm.lastRequest()
	_, others, _ := strings.Cut(req, "<others>")
	for _, want := range []string{h10Lost, h10Original} {
		if !strings.Contains(others, want) {
			t.Errorf("the rewrite was not told to avoid %q: %s", want, req)
		}
	}

	// With the followed test gone, the page names it no more, and its
	// copy may come back.
	if _, err := g.e.store.DeleteExperiment(t.Context(), x.ID); err != nil {
		t.Fatal(err)
	}
	_, body = g.c.get("/experiments/" + id)
	wantNotContains(t, body, "Follows <a")
	wantContains(t, html.UnescapeString(body), "Follows “<bdi>Pricing hero</bdi>” (shipped Variant B).")
	h10Reply(llm, h10Lost)
	v.Set("n", "1")
	v.Set("replace", "1")
	statusURL, _ = g.start(t, v)
	if got := draftTexts(g.wait(t, statusURL)); !slices.Equal(got, []string{h10Lost}) {
		t.Errorf("drafts after the delete %q", got)
	}
}

// TestH10FollowUpOfflineDrafts is the report: Original, B and C, ship B,
// follow up, five offline drafts; C's text came back as the new Variant
// B. The offline generator writes from the brief, and the follow-up's
// brief is the followed test's, so it finds the same lines again.
func TestH10FollowUpOfflineDrafts(t *testing.T) {
	g := newGenFixture(t, nil)
	tok := g.e.token("api@example.com")
	x := g.e.experiment(g.site.ID, "Offline hero", h10Original)
	// C is what the offline generator writes first for this brief.
	brief := `{"goal":"Get visitors to start a free trial","product":"Acme Boards","current_copy":"` + h10Original + `","n":5}`
	x.Brief = brief
	if _, err := g.e.store.UpdateExperiment(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	resp, out := g.e.api("POST", "/api/v1/experiments/"+x.ID+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	vs := out["variants"].([]any)
	lost := vs[1].(map[string]any)["text"].(string)
	g.e.transition(x.ID, experiments.ActionStart)
	if _, err := g.e.store.Ship(t.Context(), x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	resp, out = g.e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, `{"from_shipped":true}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	id := out["id"].(string)

	resp, out = g.e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":5}`)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("generate: %d %v", resp.StatusCode, out)
	}
	raw, _ := json.Marshal(out["variants"])
	if strings.Contains(string(raw), lost) {
		t.Errorf("the copy that lost (%q) is offered again: %s", lost, raw)
	}
	if h10Dropped(t, out)[lost] != "The test this follows, “Offline hero”, already tried this copy." {
		t.Errorf("dropped %v", out["dropped"])
	}
}
