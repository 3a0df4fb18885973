package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rewriteHeld asks, as client c, for a rewrite of draft i of the job at
// statusURL while the fake model holds every request, and waits until the
// model has the request. It returns the busy card.
func rewriteHeld(t *testing.T, c *client, llm *fakeLLM, statusURL string, form url.Values, i int) string {
	t.Helper()
	calls := llm.calls()
	resp, card := c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=shorter", statusURL, i), form)
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, "draft-busy", "Rewriting (shorter)")
	for deadline := time.Now().Add(20 * time.Second); llm.calls() == calls; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the rewrite never reached the model")
		}
	}
	return card
}

// modelCallsInFlight is how many of the process's model slots are taken.
func modelCallsInFlight(g *genFixture) int {
	r := g.e.app.genJobs
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// A rewrite ends with its job: when the drafts are added, a newer brief
// replaces them, they expire, their experiment, site or person is
// deleted, the model call is given up at once (its connection closes) and
// its slot is free again, rather than running on for minutes for a draft
// nobody can see.
func TestRewritesEndWithTheirJob(t *testing.T) {
	tests := []struct {
		name string
		// bob: the job is Bob's, and Ann does the ending.
		bob bool
		end func(t *testing.T, g *genFixture, statusURL string, texts []string)
	}{
		{"drafts added", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{1}, nil))
			wantStatus(t, resp, http.StatusSeeOther, body)
		}},
		{"a newer brief", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			// Sent as the answer to its question: the rewrite running on
			// the drafts it replaces asks first.
			v := g.brief(2)
			v.Set("replace", "1")
			resp, body := g.c.hx(http.MethodPost, g.base, v)
			wantStatus(t, resp, http.StatusOK, body)
		}},
		{"expired", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			r := g.e.app.genJobs
			r.mu.Lock()
			r.now = func() time.Time { return time.Now().Add(genJobTTL + time.Minute) }
			r.mu.Unlock()
			r.prune() // as the hourly housekeeping does
		}},
		{"experiment deleted", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			g.c.get("/experiments/" + g.x.ID)
			resp, body := g.c.post("/experiments/"+g.x.ID+"/delete", nil)
			wantStatus(t, resp, http.StatusSeeOther, body)
		}},
		{"experiment deleted through the API", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			resp, out := g.e.api("DELETE", "/api/v1/experiments/"+g.x.ID, g.e.token("api@example.com"), "")
			wantStatus(t, resp, http.StatusNoContent, fmt.Sprint(out))
		}},
		{"site deleted", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			g.c.get("/sites/" + g.site.ID)
			resp, body := g.c.post("/sites/"+g.site.ID+"/delete", nil)
			wantStatus(t, resp, http.StatusSeeOther, body)
		}},
		{"person removed", true, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			u, _, err := g.e.store.UserByEmail(context.Background(), "bob@example.com")
			if err != nil {
				t.Fatal(err)
			}
			action := "/users/" + itoa64(u.ID) + "/delete"
			_, page := g.c.get("/users")
			resp, body := g.c.post(action, h4PageForm(t, page, action))
			wantStatus(t, resp, http.StatusSeeOther, body)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(30*time.Second))
			owner := g.c
			if tt.bob {
				owner = g.e.signIn("bob@example.com")
			}
			owner.get(g.base)
			statusURL, _ := g.start(t, g.brief(2))
			if tt.bob {
				statusURL = bobStart(t, g, owner)
			}
			texts := draftTexts(waitAs(t, owner, statusURL))
			release := llm.hold()
			defer release()
			rewriteHeld(t, owner, llm, statusURL, draftsForm(texts, []int{1}, nil), 0)

			tt.end(t, g, statusURL, texts)
			if !llm.waitCancelled(1, 20*time.Second) {
				t.Fatal("the rewrite's model call went on after its job ended")
			}
			// The slot is free again (a newer brief's generation, still
			// held, keeps its own).
			want := 0
			if tt.name == "a newer brief" {
				want = 1
			}
			for deadline := time.Now().Add(20 * time.Second); modelCallsInFlight(g) != want; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%d model calls still hold a slot, want %d", modelCallsInFlight(g), want)
				}
			}
		})
	}
}

// bobStart starts a generation as Bob and returns its status URL.
func bobStart(t *testing.T, g *genFixture, bob *client) string {
	t.Helper()
	resp, body := bob.hx(http.MethodPost, g.base, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	m := jobRe.FindStringSubmatch(resp.Header.Get("HX-Push-Url"))
	if m == nil {
		t.Fatalf("no job for Bob: %s", body)
	}
	return g.base + "/jobs/" + m[1]
}

// waitAs polls a job's status as c until it has finished.
func waitAs(t *testing.T, c *client, statusURL string) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, body := c.hx(http.MethodGet, statusURL, nil)
		wantStatus(t, resp, http.StatusOK, body)
		if !strings.Contains(body, `data-state="running"`) {
			return body
		}
	}
	t.Fatal("the generation did not finish")
	return ""
}

// One person holds at most genPersonMax rewrites at once (as many as
// all their model calls): the next says so on its card, without asking the model, while a teammate can still
// ask for theirs. Once one of the rewrites is done, the person can ask
// again.
func TestRewritesPerPersonLimit(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(genPersonMax+2))
	texts := draftTexts(g.wait(t, statusURL))
	bob := g.e.signIn("bob@example.com")
	bob.get(g.base)
	bobURL := bobStart(t, g, bob)
	bobTexts := draftTexts(waitAs(t, bob, bobURL))

	release := llm.hold()
	defer release()
	all := make([]int, len(texts))
	for i := range all {
		all[i] = i
	}
	for i := 0; i < genPersonMax; i++ {
		rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, all, nil), i)
	}
	calls := llm.calls()
	resp, card := g.c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=shorter", statusURL, genPersonMax), draftsForm(texts, all, nil))
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, fmt.Sprintf("You already have %d rewrites running; wait for one to finish, then ask again.", genPersonMax), "regen-failed")
	wantNotContains(t, card, "draft-busy")
	if llm.calls() != calls {
		t.Error("the rewrite over the limit reached the model")
	}

	// A teammate is not held back by Ann's rewrites.
	rewriteHeld(t, bob, llm, bobURL, draftsForm(bobTexts, []int{0, 1}, nil), 0)

	release()
	for i := 0; i < genPersonMax; i++ {
		waitCard(t, g.c, fmt.Sprintf("%s/drafts/%d", statusURL, i))
	}
	// A card shows the rewrite done just before its goroutine gives the
	// slot back (startRegeneration): wait for that too.
	waitNoModelCalls(t, g.e)
	resp, card = g.c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=shorter", statusURL, genPersonMax), nil)
	wantStatus(t, resp, http.StatusOK, card)
	if strings.Contains(card, "rewrites running") {
		t.Errorf("the limit still holds after the rewrites finished: %s", card)
	}
}

// Rewrites also count against the process's limit on model calls, which
// generations share: with it reached, a rewrite says so.
func TestRewritesRespectTheProcessLimit(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	r := g.e.app.genJobs
	r.mu.Lock()
	r.running = genRunningMax // every slot taken by other people's drafts
	r.mu.Unlock()
	calls := llm.calls()
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, "copylab is already writing several sets of drafts; try again in a minute.")
	if llm.calls() != calls {
		t.Error("a rewrite over the process's limit reached the model")
	}
	r.mu.Lock()
	if r.running != genRunningMax || len(r.rewriting) != 0 {
		t.Errorf("a refused rewrite kept a slot: running %d, rewrites by person %v", r.running, r.rewriting)
	}
	r.running = 0
	r.mu.Unlock()
}

// waitCard polls a draft's card until its rewrite is done, and returns it.
func waitCard(t *testing.T, c *client, cardURL string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, card := c.hx(http.MethodGet, cardURL, nil)
		wantStatus(t, resp, http.StatusOK, card)
		if !strings.Contains(card, "draft-busy") {
			return card
		}
		if time.Now().After(deadline) {
			t.Fatalf("the rewrite of %s did not finish", cardURL)
		}
	}
}

// A finished rewrite leaves the draft's tick as the person last set it: a
// draft unticked while it was rewritten stays unticked, whether the
// untick came with the card's poll or with another form sent meanwhile.
func TestRewriteKeepsTheUntick(t *testing.T) {
	tests := []struct {
		name string
		// after: the untick comes once the rewrite is done, from a page
		// that had not shown it yet.
		after  bool
		untick func(t *testing.T, g *genFixture, statusURL string, texts []string)
	}{
		{"with the card's poll", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			// The polling card sends its checkbox (absent: unticked).
			resp, card := g.c.hx(http.MethodGet, statusURL+"/drafts/0?"+shownOnly, nil)
			wantStatus(t, resp, http.StatusOK, card)
			wantContains(t, card, "draft-busy")
		}},
		{"with another rewrite's form", false, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=shorter", draftsForm(texts, []int{1}, nil))
			wantStatus(t, resp, http.StatusOK, card)
		}},
		{"with the last poll, after the rewrite", true, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			resp, card := g.c.hx(http.MethodGet, statusURL+"/drafts/0?"+shownOnly, nil)
			wantStatus(t, resp, http.StatusOK, card)
		}},
		{"with a form from before the rewrite", true, func(t *testing.T, g *genFixture, statusURL string, texts []string) {
			form := draftsForm(texts, []int{1}, nil)
			form.Set("drafts[0].rev", "0")
			form.Set("drafts[1].rev", "0")
			resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=shorter", form)
			wantStatus(t, resp, http.StatusOK, card)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(30*time.Second))
			g.c.get(g.base)
			statusURL, _ := g.start(t, g.brief(2))
			texts := draftTexts(g.wait(t, statusURL))
			release := llm.hold()
			defer release()
			busy := rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, []int{0, 1}, nil), 0)
			wantContains(t, busy, `hx-include="find .draft-head"`, `hx-get="`+statusURL+`/drafts/0"`,
				`<input type="hidden" name="drafts[0].include_shown" value="1">`)

			if !tt.after {
				tt.untick(t, g, statusURL, texts)
			}
			release()
			card := waitCard(t, g.c, statusURL+"/drafts/0")
			wantContains(t, card, "Rewritten shorter.")
			if tt.after {
				tt.untick(t, g, statusURL, texts)
				_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
				if got := draftTexts(card); len(got) != 1 || got[0] == texts[0] {
					t.Errorf("the late form undid the rewrite: %q", got)
				}
			}
			if box := includeBox.FindString(card); strings.Contains(box, "checked") {
				t.Errorf("the finished rewrite ticked the draft again: %s", box)
			}

			// The page, opened again, shows it unticked too.
			_, page := g.c.get(strings.Replace(statusURL, "/jobs/", "?job=", 1))
			if box := includeBox.FindString(page); !strings.Contains(box, "drafts[0]") || strings.Contains(box, "checked") {
				t.Errorf("the page shows draft 1 as %s", box)
			}
		})
	}
}

// shownOnly is the query of a rewriting card's poll with its box unticked.
var shownOnly = url.Values{"drafts[0].include_shown": {"1"}}.Encode()

// includeBox is draft 1's checkbox.
var includeBox = regexp.MustCompile(`<input type="checkbox" name="drafts\[0\]\.include"[^>]*>`)
