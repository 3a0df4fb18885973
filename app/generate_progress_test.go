package app

import (
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"
)

var pollKeyRe = regexp.MustCompile(`data-poll-quiet="([^"]*)"`)

// clockAhead stops the app's clock where it is and runs it on by what
// ahead holds, so that a test can let a generation run for a while at
// once. It is safe to change ahead while requests are served. The clock
// does not follow the real one: a job's elapsed time is exactly ahead
// (a job started at ahead 0, polled at 40 s, has run 40 s), however
// slowly a loaded machine runs the test in between.
func clockAhead(ahead *atomic.Int64) Option {
	return func(a *App) {
		at := time.Now()
		a.now = func() time.Time { return at.Add(time.Duration(ahead.Load())) }
	}
}

// TestGenerateProgressIsHonest: while a model writes the drafts, the
// progress says how long it has been running, counted from the job's
// start, and how long copylab waits for each answer of the model
// (--llm-timeout, which fails the job when it passes) and in all
// (genJobTimeout), not "a few seconds". After a while it says it is still working and that the
// marketer may leave and come back; and that is true: the job runs on,
// and the generation page opened again from the experiment (without the
// job's address) shows it, running and then done, until its drafts are
// added.
func TestGenerateProgressIsHonest(t *testing.T) {
	llm := newFakeLLM(t)
	release := llm.hold()
	defer release()
	g := newGenFixture(t, llm.generator(10*time.Second))
	var ahead atomic.Int64
	clockAhead(&ahead)(g.e.app)
	g.c.get(g.base)

	statusURL, body := g.start(t, g.brief(2))
	wantContains(t, body, `data-state="running"`, "Writing 2 drafts with test-model…",
		"Running for <span data-elapsed-ms=", "this page updates by itself.", "copylab waits up to 10 seconds for each answer from the model, 3 minutes in all.")
	wantNotContains(t, body, "few seconds", "Still working", "leave this page")
	early := pollKeyRe.FindStringSubmatch(body)
	if early == nil {
		t.Fatalf("the running progress does not poll quietly: %s", body)
	}

	// 40 seconds on, the same poll says so, and swaps the progress once.
	ahead.Store(int64(40 * time.Second))
	resp, frag := g.c.hx(http.MethodGet, statusURL, nil)
	wantStatus(t, resp, http.StatusOK, frag)
	wantContains(t, frag, `data-state="running"`, "Still working after <span data-elapsed-ms=\"40",
		">40 seconds</span>; you can leave this page and come back within the hour.", "copylab waits up to 10 seconds for each answer from the model, 3 minutes in all.",
		"Still working; you can leave this page and come back within the hour.") // announced
	if late := pollKeyRe.FindStringSubmatch(frag); late == nil || late[1] == early[1] {
		t.Errorf("the poll key stays %q once the progress says it is still working", early[1])
	}
	// A second later the text is the same but for the seconds, which
	// generate.js counts: the poll swaps nothing.
	ahead.Store(int64(41 * time.Second))
	_, again := g.c.hx(http.MethodGet, statusURL, nil)
	if a, b := pollKeyRe.FindStringSubmatch(frag), pollKeyRe.FindStringSubmatch(again); a == nil || b == nil || a[1] != b[1] {
		t.Error("the poll key changes with each second")
	}

	// The marketer leaves, and comes back through the experiment's page.
	resp, page := g.c.get(g.base)
	wantStatus(t, resp, http.StatusOK, page)
	wantContains(t, page, `id="generation"`, `data-state="running"`, "Still working after", `hx-get="`+statusURL+`"`)

	release()
	g.wait(t, statusURL)
	_, page = g.c.get(g.base)
	wantContains(t, page, `data-state="done"`, "Add selected drafts to the experiment")
	texts := draftTexts(page)
	if len(texts) != 2 {
		t.Fatalf("%d drafts on the page opened again, want 2", len(texts))
	}

	// Once added, the drafts are the experiment's variants: the page opened
	// again starts afresh.
	resp, body = g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page = g.c.get(g.base)
	wantContains(t, page, `id="brief-form"`)
	wantNotContains(t, page, `id="generation"`)
}

// TestGenerateComeBackIsPerPerson: the page opened again shows the
// user's own latest generation, not a teammate's, and not one a newer
// brief replaced.
func TestGenerateComeBackIsPerPerson(t *testing.T) {
	llm := newFakeLLM(t)
	release := llm.hold()
	defer release()
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	first, _ := g.start(t, g.brief(2))
	second, _ := g.start(t, g.brief(3))
	wantContains(t, g.wait(t, first), "Replaced by a newer brief")

	_, page := g.c.get(g.base)
	wantContains(t, page, `hx-get="`+second+`"`, "Writing 3 drafts")
	wantNotContains(t, page, "Replaced by a newer brief")

	bob := g.e.signIn("bob@example.com")
	_, page = bob.get(g.base)
	wantContains(t, page, `id="brief-form"`)
	wantNotContains(t, page, `id="generation"`)
}

// TestGenerateSlowModelTimeout: with --llm-timeout at 3 minutes (a model on
// a CPU), the generator waits that long for an answer, a generation is
// allowed two answers and a minute (7 minutes, past the usual 3), the
// progress says so, and Settings shows the limit and its variable.
func TestGenerateSlowModelTimeout(t *testing.T) {
	llm := newFakeLLM(t)
	gen, err := NewGenerator(Config{LLMBaseURL: llm.srv.URL + "/v1", LLMModel: "test-model", LLMTimeout: 3 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := gen.Describe().Timeout; got != 3*time.Minute {
		t.Fatalf("the generator waits %s for an answer, want 3m", got)
	}
	if def, err := NewGenerator(Config{LLMBaseURL: llm.srv.URL + "/v1"}); err != nil || def.Describe().Timeout != 45*time.Second {
		t.Fatalf("without --llm-timeout: %v, %v", def.Describe().Timeout, err)
	}
	release := llm.hold()
	defer release()
	g := newGenFixture(t, gen)
	g.c.get(g.base)
	_, body := g.start(t, g.brief(2))
	wantContains(t, body, `data-state="running"`, "copylab waits up to 3 minutes for each answer from the model, 7 minutes in all.")

	_, body = g.c.get("/settings")
	wantContains(t, body, "<dt>Waits for an answer</dt><dd>up to 3 minutes</dd>", "COPYLAB_LLM_TIMEOUT",
		"<dt>A set of drafts</dt><dd>up to 7 minutes in all (two answers and a minute more)</dd>")
}
