package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// apiAnswer is one JSON API answer, read off the test's goroutine.
type apiAnswer struct {
	status     int
	retryAfter string
	code, msg  string
	err        error
}

// apiGenerateAsync asks the API for one draft of experiment expID, as the
// token's person, without waiting: the answer comes on the channel. It
// never calls t.Fatal, so it may run while the test waits for the model.
func apiGenerateAsync(e *env, token, expID string) <-chan apiAnswer {
	ch := make(chan apiAnswer, 1)
	req := newRequest(http.MethodPost, "/api/v1/experiments/"+expID+"/generate",
		strings.NewReader(`{"n":1,"brief":{"goal":"Get visitors to start a free trial"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	go func() {
		var a apiAnswer
		defer func() { ch <- a }()
		resp, err := e.app.Fiber().Test(req, -1)
		if err != nil {
			a.err = err
			return
		}
		defer resp.Body.Close()
		a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
		raw, _ := io.ReadAll(resp.Body)
		var out struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(raw, &out)
		a.code, a.msg = out.Error.Code, out.Error.Message
	}()
	return ch
}

// answerNow waits for an answer that the limits give at once, and fails
// if the request reached the model instead.
func answerNow(t *testing.T, llm *fakeLLM, ch <-chan apiAnswer) apiAnswer {
	t.Helper()
	calls := llm.calls()
	select {
	case a := <-ch:
		if a.err != nil {
			t.Fatal(a.err)
		}
		if llm.calls() != calls {
			t.Errorf("the refused generation reached the model")
		}
		return a
	case <-time.After(20 * time.Second):
		t.Fatalf("no answer after 20 s: the generation went on to the model (%d calls, %d before)", llm.calls(), calls)
		return apiAnswer{}
	}
}

// waitCalls waits until the fake model has had n requests.
func waitCalls(t *testing.T, llm *fakeLLM, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); llm.calls() < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the model had %d requests, want %d", llm.calls(), n)
		}
	}
}

// tokenFor makes an API token for an existing user.
func tokenFor(t *testing.T, e *env, email string) string {
	t.Helper()
	tok, err := CreateToken(context.Background(), e.store, email, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// startBusy posts a brief to the drafting page at base as c and expects
// it to be refused by a limit: with htmx, the workspace says sentence and
// starts no job; without, the page answers status with Retry-After.
func startBusy(t *testing.T, llm *fakeLLM, c *client, g *genFixture, base string, status int, retryAfter, sentence string) {
	t.Helper()
	calls := llm.calls()
	resp, body := c.hx(http.MethodPost, base, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, sentence)
	if push := resp.Header.Get("HX-Push-Url"); push != "" {
		t.Errorf("a job was started: %s", push)
	}
	resp, body = c.post(base, g.brief(2))
	wantStatus(t, resp, status, body)
	wantContains(t, body, sentence)
	if got := resp.Header.Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After %q, want %q", got, retryAfter)
	}
	if llm.calls() != calls {
		t.Error("a refused generation reached the model")
	}
}

const (
	gensBusySentence = "You already have 2 sets of drafts being written; wait for one to finish, then try again."
	genBusySentence  = "copylab is already writing several sets of drafts; try again in a minute."
)

// One person has at most genUserMax generations in flight, on the page
// and through the API together: the next, for another experiment, is
// refused at once with a sentence (429 and Retry-After without htmx and
// in the API) and asks no model. A new brief for an experiment already
// being drafted replaces that generation, so it is not refused; a
// teammate is not held back; once a generation ends, the person can
// start another.
func TestGenerationsPerPersonLimit(t *testing.T) {
	if genUserMax != 2 {
		t.Fatalf("the sentences here say 2, genUserMax is %d", genUserMax)
	}
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	release := llm.hold()
	defer release()
	b := g.e.experiment(g.site.ID, "Pricing", "Simple pricing for every team", "Pay for what you use")
	c := g.e.experiment(g.site.ID, "Signup", "Start your free trial", "Try it free for 30 days")
	baseB, baseC := "/experiments/"+b.ID+"/generate", "/experiments/"+c.ID+"/generate"

	g.c.get(g.base)
	first, _ := g.start(t, g.brief(2))
	resp, body := g.c.hx(http.MethodPost, baseB, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-state="running"`)
	waitCalls(t, llm, 2)

	startBusy(t, llm, g.c, g, baseC, http.StatusTooManyRequests, "30", gensBusySentence)
	a := answerNow(t, llm, apiGenerateAsync(g.e, tokenFor(t, g.e, "ann@example.com"), c.ID))
	if a.status != http.StatusTooManyRequests || a.code != "too_many_generations" || a.msg != gensBusySentence || a.retryAfter != "30" {
		t.Errorf("API: %d %s %q, Retry-After %q", a.status, a.code, a.msg, a.retryAfter)
	}

	// A new brief for the first experiment replaces its generation.
	second, body := g.start(t, g.brief(3))
	wantContains(t, body, `data-state="running"`)
	if second == first {
		t.Fatal("the new brief got the old job")
	}
	wantContains(t, g.wait(t, first), "Replaced by a newer brief")

	// A teammate drafts as usual.
	bob := g.e.signIn("bob@example.com")
	bob.get(baseC)
	resp, body = bob.hx(http.MethodPost, baseC, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-state="running"`)
	wantNotContains(t, body, gensBusySentence)

	release()
	wantContains(t, g.wait(t, second), `data-state="done"`)
	// A job shows as done just before its goroutine gives its place back
	// (startGeneration): wait for that, or the next brief may still find
	// both of Ann's generations counted.
	waitNoModelCalls(t, g.e)
	resp, body = g.c.hx(http.MethodPost, baseC, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, gensBusySentence)
	if resp.Header.Get("HX-Push-Url") == "" {
		t.Errorf("no generation started once one had finished: %s", body)
	}
}

// The API's generations take their places in the same limits as the
// page's: two through the API keep the person from a third on the page,
// and when the process's genRunningMax model calls are all taken, by
// the API and the page together, the next asker gets 503
// generation_busy with Retry-After from the API and the sentence on the
// page, without a model call. Once they end, the API drafts again.
func TestAPIGenerateSharesTheLimits(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	release := llm.hold()
	defer release()

	// Ann drafts twice through the API, on two experiments.
	annTok := tokenFor(t, g.e, "ann@example.com")
	var held []<-chan apiAnswer
	for i := range genUserMax {
		x := g.e.experiment(g.site.ID, fmt.Sprintf("Ann's API test %d", i), "Start your free trial", "Try it free for 30 days")
		held = append(held, apiGenerateAsync(g.e, annTok, x.ID))
	}
	waitCalls(t, llm, genUserMax)
	g.c.get(g.base)
	startBusy(t, llm, g.c, g, g.base, http.StatusTooManyRequests, "30", gensBusySentence)
	a := answerNow(t, llm, apiGenerateAsync(g.e, annTok, g.x.ID))
	if a.status != http.StatusTooManyRequests || a.code != "too_many_generations" {
		t.Errorf("Ann's third through the API: %d %s %q", a.status, a.code, a.msg)
	}

	// The rest of the process's slots: teammates, half on the page and
	// half through the API.
	for n := 0; llm.calls() < genRunningMax; n++ {
		email := fmt.Sprintf("mate%d@example.com", n)
		x := g.e.experiment(g.site.ID, "Mate's test "+email, "Start your free trial", "Try it free for 30 days")
		if n%2 == 0 {
			mate := g.e.signIn(email)
			base := "/experiments/" + x.ID + "/generate"
			mate.get(base)
			resp, body := mate.hx(http.MethodPost, base, g.brief(1))
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, `data-state="running"`)
		} else {
			held = append(held, apiGenerateAsync(g.e, g.e.token(email), x.ID))
		}
		waitCalls(t, llm, genUserMax+n+1)
	}

	zed := g.e.signIn("zed@example.com")
	x := g.e.experiment(g.site.ID, "Zed's test", "Start your free trial", "Try it free for 30 days")
	zedBase := "/experiments/" + x.ID + "/generate"
	zed.get(zedBase)
	startBusy(t, llm, zed, g, zedBase, http.StatusServiceUnavailable, "60", genBusySentence)
	zedTok := tokenFor(t, g.e, "zed@example.com")
	a = answerNow(t, llm, apiGenerateAsync(g.e, zedTok, x.ID))
	if a.status != http.StatusServiceUnavailable || a.code != "generation_busy" || a.msg != genBusySentence || a.retryAfter != "60" {
		t.Errorf("API when the process is full: %d %s %q, Retry-After %q", a.status, a.code, a.msg, a.retryAfter)
	}

	release()
	for _, ch := range held {
		if a := <-ch; a.err != nil || a.status != http.StatusOK {
			t.Errorf("a held API generation: %d %s %q %v", a.status, a.code, a.msg, a.err)
		}
	}
	if a := <-apiGenerateAsync(g.e, zedTok, x.ID); a.status != http.StatusOK {
		t.Errorf("the API after the others ended: %d %s %q", a.status, a.code, a.msg)
	}
	r := g.e.app.genJobs
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r.mu.Lock()
		running, people := r.running, len(r.generating)
		r.mu.Unlock()
		if running == 0 && people == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after every generation ended: %d slots and %d people still counted", running, people)
		}
	}
}

// waitNoModelCalls waits until the registry counts no model call: no
// slot taken, nobody's generations or rewrites.
func waitNoModelCalls(t *testing.T, e *env) {
	t.Helper()
	r := e.app.genJobs
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r.mu.Lock()
		running, gens, rewrites := r.running, len(r.generating), len(r.rewriting)
		r.mu.Unlock()
		if running == 0 && gens == 0 && rewrites == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after every model call ended: %d slots taken, %d people's generations and %d people's rewrites still counted",
				running, gens, rewrites)
		}
	}
}

// SQLite gives the id of a removed user to the next one added (users.id
// is an integer primary key without AUTOINCREMENT, so the largest id is
// taken again). The person who gets a removed person's id is a new
// person: the removed one's generations still waiting for the model
// through the API do not count against them. Removed on the users page,
// those generations stop, and their API calls say why, rather than add
// drafts approved by nobody who is still here; removed any other way
// (the store alone), they run on, still not counting for the newcomer.
func TestRemovedPersonsGenerationsDoNotCountForTheNext(t *testing.T) {
	for _, byPage := range []bool{true, false} {
		name := "removed on the users page"
		if !byPage {
			name = "removed in the store"
		}
		t.Run(name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(30*time.Second))
			release := llm.hold()
			defer release()

			bob := g.e.addUser("bob@example.com")
			bobTok := tokenFor(t, g.e, "bob@example.com")
			var held []<-chan apiAnswer
			for i := range genUserMax {
				x := g.e.experiment(g.site.ID, fmt.Sprintf("Bob's test %d", i), "Start your free trial", "Try it free for 30 days")
				held = append(held, apiGenerateAsync(g.e, bobTok, x.ID))
			}
			waitCalls(t, llm, genUserMax)

			if byPage {
				action := "/users/" + itoa64(bob.ID) + "/delete"
				_, page := g.c.get("/users")
				resp, body := g.c.post(action, h4PageForm(t, page, action))
				wantStatus(t, resp, http.StatusSeeOther, body)
				for _, ch := range held {
					select {
					case a := <-ch:
						if a.err != nil || a.status != http.StatusUnauthorized || a.code != "invalid_token" {
							t.Errorf("the removed person's API generation: %d %s %q %v", a.status, a.code, a.msg, a.err)
						}
					case <-time.After(20 * time.Second):
						t.Fatal("the removed person's API generation went on")
					}
				}
				if !llm.waitCancelled(genUserMax, 20*time.Second) {
					t.Error("the removed person's model calls went on")
				}
				held = nil
			} else if _, err := g.e.store.DeleteUser(context.Background(), bob.ID); err != nil {
				t.Fatal(err)
			}

			dan := g.e.signIn("dan@example.com")
			if u, _, err := g.e.store.UserByEmail(context.Background(), "dan@example.com"); err != nil || u.ID != bob.ID {
				t.Fatalf("Dan got id %d (%v), Bob had %d: ids are no longer given again, so this test shows nothing", u.ID, err, bob.ID)
			}
			dan.get(g.base)
			resp, body := dan.hx(http.MethodPost, g.base, g.brief(2))
			wantStatus(t, resp, http.StatusOK, body)
			wantNotContains(t, body, gensBusySentence)
			wantContains(t, body, `data-state="running"`)
			x := g.e.experiment(g.site.ID, "Dan's test", "Start your free trial", "Try it free for 30 days")
			danAPI := apiGenerateAsync(g.e, tokenFor(t, g.e, "dan@example.com"), x.ID)
			waitCalls(t, llm, genUserMax+2)

			release()
			if a := <-danAPI; a.err != nil || a.status != http.StatusOK {
				t.Errorf("Dan's API generation: %d %s %q %v", a.status, a.code, a.msg, a.err)
			}
			for _, ch := range held {
				<-ch
			}
			waitNoModelCalls(t, g.e)
		})
	}
}

const (
	// Ann's model calls in TestGenerationsAndRewritesPerPersonLimit: one set of drafts
	// through the API and two rewrites on the page.
	personCallsRewrite  = "You already have 1 set of drafts and 2 rewrites being written, the most at once; wait for one to finish, then ask again."
	personCallsGenerate = "You already have 1 set of drafts and 2 rewrites being written, the most at once; wait for one to finish, then try again."
)

// One person holds at most genPersonMax of copylab's genRunningMax model
// calls at once, sets of drafts and rewrites together, on the page and
// through the API: past it, a rewrite says so on its card, and a
// generation is refused with the sentence (429 too_many_generations with
// Retry-After in the API and without htmx), neither asking the model. A
// teammate drafts as usual, and once a call ends the person can ask
// again.
func TestGenerationsAndRewritesPerPersonLimit(t *testing.T) {
	if genPersonMax != 3 {
		t.Fatalf("the sentences here add up to 3, genPersonMax is %d", genPersonMax)
	}
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(4))
	texts := draftTexts(g.wait(t, statusURL))
	all := []int{0, 1, 2, 3}
	release := llm.hold()
	defer release()

	b := g.e.experiment(g.site.ID, "Pricing", "Simple pricing for every team", "Pay for what you use")
	annTok := tokenFor(t, g.e, "ann@example.com")
	calls := llm.calls()
	api := apiGenerateAsync(g.e, annTok, b.ID)
	waitCalls(t, llm, calls+1)
	rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, all, nil), 0)
	rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, all, nil), 1)

	calls = llm.calls()
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/2/regenerate?instruction=shorter", draftsForm(texts, all, nil))
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, personCallsRewrite, "regen-failed")
	wantNotContains(t, card, "draft-busy")

	x := g.e.experiment(g.site.ID, "Signup", "Start your free trial", "Try it free for 30 days")
	a := answerNow(t, llm, apiGenerateAsync(g.e, annTok, x.ID))
	if a.status != http.StatusTooManyRequests || a.code != "too_many_generations" || a.msg != personCallsGenerate || a.retryAfter != "30" {
		t.Errorf("API: %d %s %q, Retry-After %q", a.status, a.code, a.msg, a.retryAfter)
	}
	baseX := "/experiments/" + x.ID + "/generate"
	g.c.get(baseX)
	startBusy(t, llm, g.c, g, baseX, http.StatusTooManyRequests, "30", personCallsGenerate)
	if llm.calls() != calls {
		t.Errorf("%d refused calls reached the model", llm.calls()-calls)
	}

	// A teammate is not held back.
	bob := g.e.signIn("bob@example.com")
	bob.get(baseX)
	resp, body := bob.hx(http.MethodPost, baseX, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-state="running"`)

	release()
	if a := <-api; a.err != nil || a.status != http.StatusOK {
		t.Errorf("Ann's API generation: %d %s %q %v", a.status, a.code, a.msg, a.err)
	}
	for i := range 2 {
		waitCard(t, g.c, fmt.Sprintf("%s/drafts/%d", statusURL, i))
	}
	resp, card = g.c.hx(http.MethodPost, statusURL+"/drafts/2/regenerate?instruction=shorter", nil)
	wantStatus(t, resp, http.StatusOK, card)
	wantNotContains(t, card, "the most at once")
	waitNoModelCalls(t, g.e)
}

// A new brief for an experiment stops the rewrites of its earlier drafts
// (the page shows only the newest), so they do not count against it:
// with genPersonMax rewrites running on the old drafts, the new brief is
// taken, and the old rewrites' model calls are given up.
func TestNewBriefIsNotHeldBackByItsOwnRewrites(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(genPersonMax+1))
	texts := draftTexts(g.wait(t, statusURL))
	release := llm.hold()
	defer release()
	for i := range genPersonMax {
		rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, []int{0}, nil), i)
	}

	// The brief is sent as the answer to its question: the rewrites
	// running on the drafts it replaces ask first.
	v := g.brief(2)
	v.Set("replace", "1")
	resp, body := g.c.hx(http.MethodPost, g.base, v)
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, "You already have")
	wantContains(t, body, `data-state="running"`)
	if !llm.waitCancelled(genPersonMax, 20*time.Second) {
		t.Error("the old drafts' rewrites went on")
	}
	release()
	waitNoModelCalls(t, g.e)
}
