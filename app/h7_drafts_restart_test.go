package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/variants"
)

// restartWith puts in e.app a new App on e's database, as copylab after
// a restart: nothing in memory, the sessions still signed in. It drafts
// with gen; opts come after (a clock, say).
func (e *env) restartWith(gen *variants.Generator, opts ...Option) {
	e.t.Helper()
	a, err := newApp(Config{
		Addr: "127.0.0.1:0", PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler),
	}.withDefaults(), e.store, e.ing, append([]Option{WithGenerator(gen)}, opts...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.app = a
}

// keptJobs is how many drafting jobs the database keeps.
func keptJobs(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.store.Reader().QueryRow(`select count(*) from drafting_jobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitKept waits until the database keeps the job with the id as ok
// says, its state and JSON: a job is written as it changes, and a
// generation or a rewrite in the background writes it after its page
// shows the change, so a restart just then would miss that.
func waitKept(t *testing.T, e *env, id string, ok func(state, data string) bool) {
	t.Helper()
	var state, data string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		err := e.store.Reader().QueryRow(`select state, data from drafting_jobs where id = ?`, id).Scan(&state, &data)
		if err == nil && ok(state, data) {
			return
		}
	}
	t.Fatalf("the job %s is kept as %s %s", id, state, data)
}

// keptAs is a waitKept check: the job is kept in the state, its JSON
// holding each of has.
func keptAs(want string, has ...string) func(state, data string) bool {
	return func(state, data string) bool {
		for _, h := range has {
			if !strings.Contains(data, h) {
				return false
			}
		}
		return state == want
	}
}

// repeatOnce makes the fake model's first answer start with the copy of
// the experiment's variant B, which the drafting page leaves out with
// its reason; later answers are the fake's usual drafts.
func repeatOnce(t *testing.T, llm *fakeLLM, repeat string) {
	var once sync.Once
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		var out struct {
			Variants []map[string]string `json:"variants"`
		}
		first := false
		once.Do(func() { first = true })
		if !first {
			if err := json.Unmarshal([]byte(llm.drafts(n, limit)), &out); err != nil {
				t.Error(err)
			}
			return 0, nil, completion(mustJSON(t, out))
		}
		if err := json.Unmarshal([]byte(llm.drafts(n-1, limit)), &out); err != nil {
			t.Error(err)
		}
		out.Variants = append([]map[string]string{{"text": repeat, "angle": "echo", "rationale": "Says it again."}}, out.Variants...)
		return 0, nil, completion(mustJSON(t, out))
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFinishedDraftsSurviveARestart: drafts written, one of them
// rewritten, are there after a restart exactly as before (texts, angles,
// rationales, the rewrite's revision, the draft left out with its
// reason), on the job's page, its poll and the page opened afresh.
// After the restart a draft can be rewritten, and the drafts added with
// an edit; a restart after that still says they were added.
func TestFinishedDraftsSurviveARestart(t *testing.T) {
	llm := newFakeLLM(t)
	gen := llm.generator(10 * time.Second)
	g := newGenFixture(t, gen)
	repeatOnce(t, llm, g.x.Variants[1].Text)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) < 2 {
		t.Fatalf("drafts %q", texts)
	}
	rewriteAndWait(t, g, statusURL, draftsForm(texts, []int{0, 1}, nil), 1)

	_, before := g.c.hx(http.MethodGet, statusURL, nil)
	wantContains(t, before, `data-state="done"`, g.x.Variants[1].Text, "The experiment already has this text.", "Rewritten shorter.",
		`name="drafts[1].rev" value="1"`)
	page := g.base + "?job=" + jobOf(statusURL)
	_, pageBefore := g.c.get(page)

	waitKept(t, g.e, jobOf(statusURL), func(state, data string) bool {
		return state == keptDone && strings.Contains(data, `"rev":1`) && !strings.Contains(data, `"rewriting":true`)
	})
	g.e.restartWith(gen)
	resp, after := g.c.hx(http.MethodGet, statusURL, nil)
	wantStatus(t, resp, http.StatusOK, after)
	if after != before {
		t.Errorf("the drafts' poll after the restart differs:\nbefore: %s\nafter:  %s", before, after)
	}
	if _, pageAfter := g.c.get(page); pageAfter != pageBefore {
		t.Errorf("the job's page after the restart differs:\nbefore: %s\nafter:  %s", pageBefore, pageAfter)
	}
	_, fresh := g.c.get(g.base)
	wantContains(t, fresh, `data-job="`+jobOf(statusURL)+`"`)
	wantNotContains(t, fresh, "no longer here", "drafts are not here")

	// A rewrite after the restart, then Add with an edit.
	texts = draftTexts(after)
	rewritten := rewriteAndWait(t, g, statusURL, draftsForm(texts, []int{0, 1}, nil), 0)
	if rewritten == texts[0] {
		t.Errorf("the rewrite after the restart kept %q", rewritten)
	}
	texts[0] = rewritten
	const edit = "Plan the launch by hand, after the restart"
	form := draftsForm(texts, []int{0, 1}, map[int]string{1: edit})
	resp, body := g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	x, err := g.e.store.Experiment(context.Background(), g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range x.Variants {
		got = append(got, v.Text)
	}
	if !strings.Contains(strings.Join(got, "\n"), edit) || !strings.Contains(strings.Join(got, "\n"), rewritten) {
		t.Errorf("variants after Add: %q", got)
	}

	waitKept(t, g.e, jobOf(statusURL), keptAs(keptAdded))
	g.e.restartWith(gen)
	_, body = g.c.get(page)
	wantContains(t, body, "Open the experiment")
	wantNotContains(t, body, "no longer here", "drafts are not here")
}

// rewriteAndWait asks for draft i shorter and waits for the rewrite;
// it returns the new text.
func rewriteAndWait(t *testing.T, g *genFixture, statusURL string, form url.Values, i int) string {
	t.Helper()
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/"+itoa(i)+"/regenerate?instruction=shorter", form)
	wantStatus(t, resp, http.StatusOK, card)
	card = waitCard(t, g.c, statusURL+"/drafts/"+itoa(i))
	wantContains(t, card, "Rewritten shorter.")
	texts := draftTexts(card)
	if len(texts) != 1 {
		t.Fatalf("card %s", card)
	}
	return texts[0]
}

// TestDraftsBeingWrittenAtARestartOfferTheBriefAgain: drafts still being
// written when copylab restarts are lost; their page and their poll say
// so plainly (the poll ends), with the brief as typed and a button to
// write them again, which works.
func TestDraftsBeingWrittenAtARestartOfferTheBriefAgain(t *testing.T) {
	slow := newFakeLLM(t)
	g := newGenFixture(t, slow.generator(30*time.Second))
	release := slow.hold()
	defer release()
	g.c.get(g.base)
	brief := g.brief(2)
	brief.Set("product", "Acme Boards, a kanban tool for agencies")
	statusURL, first := g.start(t, brief)
	wantContains(t, first, `data-state="running"`)
	waitKept(t, g.e, jobOf(statusURL), keptAs(keptRunning, "Acme Boards, a kanban tool for agencies"))

	llm := newFakeLLM(t)
	g.e.restartWith(llm.generator(10 * time.Second))
	const lost = "copylab restarted while these drafts were being written, so they were lost."
	resp, poll := g.c.hx(http.MethodGet, statusURL, nil)
	wantStatus(t, resp, http.StatusOK, poll)
	wantContains(t, poll, `data-state="failed"`, lost, "Write drafts again")
	wantNotContains(t, poll, "hx-trigger", "no longer here", "drafts are not here")

	for _, page := range []string{g.base + "?job=" + jobOf(statusURL), g.base} {
		_, body := g.c.get(page)
		wantContains(t, body, lost, "Write drafts again", "Acme Boards, a kanban tool for agencies", "small agency owners")
		wantNotContains(t, body, "no longer here", "drafts are not here")
	}

	// The button sends the brief form again.
	brief.Set("job", jobOf(statusURL))
	statusURL2, _ := g.start(t, brief)
	if texts := draftTexts(g.wait(t, statusURL2)); len(texts) != 2 {
		t.Errorf("drafts written again: %q", texts)
	}
}

// TestExpiredDraftsAreDeleted: a job's row goes once the job is an hour
// old: when copylab starts, when the page finds it expired, and in the
// hourly housekeeping.
func TestExpiredDraftsAreDeleted(t *testing.T) {
	later := func() time.Time { return time.Now().Add(genJobTTL + time.Minute) }
	tests := []struct {
		name   string
		expire func(g *genFixture, gen *variants.Generator)
	}{
		{"at start", func(g *genFixture, gen *variants.Generator) {
			g.e.restartWith(gen, func(a *App) { a.now = later })
		}},
		{"when looked at", func(g *genFixture, _ *variants.Generator) {
			g.e.app.genJobs.now = later
		}},
		{"by the housekeeping", func(g *genFixture, _ *variants.Generator) {
			g.e.app.genJobs.now = later
			g.e.app.housekeeping(context.Background())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			gen := llm.generator(10 * time.Second)
			g := newGenFixture(t, gen)
			g.c.get(g.base)
			statusURL, _ := g.start(t, g.brief(2))
			g.wait(t, statusURL)
			waitKept(t, g.e, jobOf(statusURL), keptAs(keptDone))
			if n := keptJobs(t, g.e); n != 1 {
				t.Fatalf("%d jobs kept, want 1", n)
			}
			tt.expire(g, gen)
			if tt.name != "by the housekeeping" {
				_, body := g.c.get(g.base + "?job=" + jobOf(statusURL))
				wantContains(t, body, "These drafts are not here")
			}
			if n := keptJobs(t, g.e); n != 0 {
				t.Errorf("%d jobs kept after they expired", n)
			}
		})
	}
}

// TestDeletingTheExperimentDeletesItsDrafts: the drafts kept for an
// experiment go with it, and a restart brings nothing back.
func TestDeletingTheExperimentDeletesItsDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	gen := llm.generator(10 * time.Second)
	g := newGenFixture(t, gen)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	g.wait(t, statusURL)
	waitKept(t, g.e, jobOf(statusURL), keptAs(keptDone))
	if n := keptJobs(t, g.e); n != 1 {
		t.Fatalf("%d jobs kept, want 1", n)
	}
	g.c.get("/experiments/" + g.x.ID)
	resp, body := g.c.post("/experiments/"+g.x.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if n := keptJobs(t, g.e); n != 0 {
		t.Errorf("%d jobs kept after the experiment was deleted", n)
	}
	g.e.restartWith(gen)
	if n := len(g.e.app.genJobs.jobs); n != 0 {
		t.Errorf("%d jobs back after a restart", n)
	}
}

// TestARewriteCutOffByARestartSaysSo: a draft being rewritten when
// copylab restarts comes back as it was before the rewrite, saying that
// the rewrite was lost; asked again, it is rewritten.
func TestARewriteCutOffByARestartSaysSo(t *testing.T) {
	slow := newFakeLLM(t)
	g := newGenFixture(t, slow.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	release := slow.hold()
	defer release()
	rewriteHeld(t, g.c, slow, statusURL, draftsForm(texts, []int{0, 1}, nil), 0)
	waitKept(t, g.e, jobOf(statusURL), keptAs(keptDone, `"rewriting":true`))

	llm := newFakeLLM(t)
	g.e.restartWith(llm.generator(10 * time.Second))
	resp, card := g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, rewriteLost)
	wantNotContains(t, card, "draft-busy")
	if got := draftTexts(card); len(got) != 1 || got[0] != texts[0] {
		t.Errorf("draft 1 after the restart: %q, want %q", got, texts[0])
	}
	if got := rewriteAndWait(t, g, statusURL, draftsForm(texts, []int{0, 1}, nil), 0); got == texts[0] {
		t.Errorf("the rewrite asked again kept %q", got)
	}
}
