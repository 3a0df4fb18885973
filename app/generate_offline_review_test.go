package app

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// offlineDrafts writes n drafts of the brief with the offline generator
// (the fixture's app has no model) and returns the finished fragment.
func offlineDrafts(t *testing.T, g *genFixture, n int) (string, string) {
	t.Helper()
	g.c.get(g.base)
	v := g.brief(n)
	v.Set("product", "Acme Boards, a kanban tool")
	statusURL, _ := g.start(t, v)
	body := g.wait(t, statusURL)
	wantContains(t, body, `data-state="done"`, "Offline suggestions")
	return statusURL, body
}

var checkedBoxRe = regexp.MustCompile(`<input type="checkbox" name="drafts\[(\d+)\]\.include"[^>]*>`)

// tickedDrafts lists the drafts whose box a fragment renders ticked.
func tickedDrafts(body string) []string {
	var out []string
	for _, m := range checkedBoxRe.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[0], "checked") {
			out = append(out, m[1])
		}
	}
	return out
}

// TestOfflineDraftsOfferNoWrittenRequest: the offline generator cannot
// follow a request in words, so its drafts offer no box for one, and the
// page says why; with a model, the box is there.
func TestOfflineDraftsOfferNoWrittenRequest(t *testing.T) {
	g := newGenFixture(t, nil)
	_, body := offlineDrafts(t, g, 3)
	wantNotContains(t, body, "Or say what to change", `data-instruction="custom"`, `name="drafts[0].note"`)
	wantContains(t, body, `data-instruction="shorter"`, `data-instruction="different angle"`,
		"a request in your own words needs a model")

	llm := newFakeLLM(t)
	m := newGenFixture(t, llm.generator(5*time.Second))
	m.c.get(m.base)
	statusURL, _ := m.start(t, m.brief(2))
	wantContains(t, m.wait(t, statusURL), "Or say what to change", `data-instruction="custom"`)
}

// TestDraftsStartWithTwoTicked: a set of drafts starts as a three-way
// test at most, not one variant per draft, and the page says how the
// visitors would be split, for the ticks it renders.
func TestDraftsStartWithTwoTicked(t *testing.T) {
	g := newGenFixture(t, nil) // the experiment has the original and one variant
	statusURL, body := offlineDrafts(t, g, 5)
	if got := tickedDrafts(body); strings.Join(got, ",") != "0,1" {
		t.Errorf("ticked drafts %v, want the first two", got)
	}
	wantContains(t, body, "Original and 3 variants (1 already in the experiment): 25% of the test&#39;s visitors each.",
		"every one you add makes the test take longer")

	// The page re-rendered after a refused add keeps the person's ticks,
	// and its split follows them.
	texts := draftTexts(body)
	resp, page := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1, 2, 3}, map[int]string{3: "<b>x</b>"}))
	wantStatus(t, resp, http.StatusUnprocessableEntity, page)
	if got := tickedDrafts(page); strings.Join(got, ",") != "0,1,2,3" {
		t.Errorf("ticked drafts %v after a refused add", got)
	}
	wantContains(t, page, "Original and 5 variants (1 already in the experiment): about 17% of the test&#39;s visitors each.")

	resp, page = g.c.post(statusURL+"/approve", draftsForm(texts, nil, nil))
	wantStatus(t, resp, http.StatusUnprocessableEntity, page)
	wantContains(t, page, "No drafts ticked.", "Tick at least one draft")
}

// TestOfflineLinkSaysHowToConnect: the offline drafting page does not
// promise a setting that is not there: it points to the steps (environment
// variables and a restart), which the settings page opens when offline.
func TestOfflineLinkSaysHowToConnect(t *testing.T) {
	g := newGenFixture(t, nil)
	_, page := g.c.get(g.base)
	_, drafts := offlineDrafts(t, g, 2)
	for _, body := range []string{page, drafts} {
		wantContains(t, body, `<a href="/settings#llm-connect">How to connect a model</a>`)
		wantNotContains(t, body, "Connect an LLM", "connect an LLM")
	}
	wantContains(t, page, "it takes a few environment variables and a restart")

	_, settings := g.c.get("/settings")
	wantContains(t, settings, `<details class="details" id="llm-connect" open>`, "<summary>How to connect a model</summary>",
		"A model is connected with environment variables, not on this page", "COPYLAB_LLM_BASE_URL")

	llm := newFakeLLM(t)
	m := newGenFixture(t, llm.generator(5*time.Second))
	_, settings = m.c.get("/settings")
	wantContains(t, settings, `<details class="details" id="llm-connect">`)
}

// TestGenerateGoalFromExperiment: a brief with no goal yet starts from the
// experiment's goal, in the words of the experiment page; a goal typed
// before stays.
func TestGenerateGoalFromExperiment(t *testing.T) {
	g := newGenFixture(t, nil) // its goal is a click on #buy
	_, page := g.c.get(g.base)
	wantContains(t, page, `name="goal" type="text" value="A click on #buy"`)

	if err := g.e.store.SaveBrief(context.Background(), g.x.ID, `{"goal":"Get visitors to start a free trial"}`); err != nil {
		t.Fatal(err)
	}
	_, page = g.c.get(g.base)
	wantContains(t, page, `name="goal" type="text" value="Get visitors to start a free trial"`)

	tests := []struct {
		name string
		goal experiments.Goal
		want string
	}{
		{"click", experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, "A click on #signup"},
		{"page view", experiments.Goal{Type: experiments.GoalPageview, URL: "/thanks*"}, "A visit to /thanks*"},
		{"event", experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, `The custom event "signup"`},
		{"none", experiments.Goal{}, ""},
		{"too long for the field", experiments.Goal{Type: experiments.GoalClick, Selector: "#" + strings.Repeat("a", 300)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := briefGoal(tt.goal); got != tt.want {
				t.Errorf("briefGoal(%+v) = %q, want %q", tt.goal, got, tt.want)
			}
		})
	}
}

// TestOfflineRewriteOnThePage: through the page, the review's steps with
// the offline generator: Shorter keeps the draft's angle and says nothing
// of limits, and Different angle never brings back another draft's text.
func TestOfflineRewriteOnThePage(t *testing.T) {
	g := newGenFixture(t, nil)
	statusURL, body := offlineDrafts(t, g, 5)
	texts := draftTexts(body)
	if texts[0] != "See what Acme Boards can do for small agency owners" {
		t.Fatalf("draft 1 is %q", texts[0])
	}
	rewrite := func(i int, instruction string) string {
		t.Helper()
		resp, card := g.c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=%s", statusURL, i, strings.ReplaceAll(instruction, " ", "+")),
			draftsForm(texts, []int{0, 1}, nil))
		wantStatus(t, resp, http.StatusOK, card)
		for deadline := time.Now().Add(20 * time.Second); strings.Contains(card, "draft-busy"); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the rewrite did not finish")
			}
			_, card = g.c.hx(http.MethodGet, fmt.Sprintf("%s/drafts/%d", statusURL, i), nil)
		}
		return card
	}

	card := rewrite(0, "shorter")
	wantContains(t, card, ">See what Acme Boards can do for you</textarea>", "Rewritten shorter.", `badge-angle" title="Persuasion angle">benefit<`)
	wantNotContains(t, card, "limits")
	texts[0] = draftTexts(card)[0]

	card = rewrite(1, "different angle")
	got := draftTexts(card)[0]
	for i, o := range texts {
		if i != 1 && strings.EqualFold(strings.Join(strings.Fields(got), " "), strings.Join(strings.Fields(o), " ")) {
			t.Errorf("different angle on draft 2 gave %q, the text of draft %d", got, i+1)
		}
	}
	wantNotContains(t, card, "fallback")
}
