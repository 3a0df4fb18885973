package app

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
	"copylab/variants"
)

// serveRestartable is serveGenerating with a restart: restart stops
// copylab and starts a new one on the same database and address,
// drafting with gen, as a deploy or a crash and a start would. Browsers
// signed in stay signed in.
func serveRestartable(t *testing.T, gen *variants.Generator) (base string, store *experiments.Store, restart func(*variants.Generator)) {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	base = "http://" + addr
	store, err = experiments.Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	var mu sync.Mutex
	var current *App
	serve := func(ln net.Listener, gen *variants.Generator) {
		t.Helper()
		a, err := New(Config{Addr: addr, DBPath: store.Path(), PublicURL: base, BcryptCost: 10,
			SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler)}, store, ing, WithGenerator(gen))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		current = a
		mu.Unlock()
		go a.Fiber().Listener(ln)
	}
	serve(ln, gen)
	t.Cleanup(func() {
		mu.Lock()
		a := current
		mu.Unlock()
		a.Fiber().ShutdownWithTimeout(5 * time.Second)
		ing.Close(ctx)
		store.Close()
	})
	restart = func(gen *variants.Generator) {
		t.Helper()
		mu.Lock()
		a := current
		mu.Unlock()
		if err := a.Fiber().ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		serve(ln, gen)
	}
	return base, store, restart
}

// TestBrowserWriteDraftsAgainAfterARestartAsks: the reviewer's steps.
// The marketer edits draft 1, sends a new brief that the model takes its
// time over, and says yes to replacing her edit; copylab restarts, and
// the new brief's page says so, with Write drafts again, and the way
// back to her drafts, not the drafts. Write drafts again asks before it
// replaces them, naming her edit, and also an edit made since on their
// page that only this browser keeps; Cancel sends nothing. The answer
// writes new drafts.
func TestBrowserWriteDraftsAgainAfterARestartAsks(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	llm := newFakeLLM(t)
	r := &rewriteTab{t: t, tab: browsertest.NewTab(t), llm: llm} // NewTab skips without Chromium, fails under CI
	base, store, restart := serveRestartable(t, llm.generator(30*time.Second))
	r.base, r.store = base, store
	r.x = seedAnnsDraft(t, store)
	r.exceptions = browsertest.Exceptions(t, r.tab)
	const edited, again = "Second hand edit", "Third hand edit"
	first := editAndWrite(t, r, edited)

	// The model takes its time; she says yes, and copylab restarts.
	release := llm.hold()
	defer release()
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	answerQuestion(t, r, "Write drafts", "Get new drafts for this brief? Your edits to 1 draft will be replaced.", "Write drafts",
		"#confirm-dialog .confirm-ok")
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))
	loc, err := url.Parse(r.eval(`location.href`))
	if err != nil {
		t.Fatal(err)
	}
	newer := loc.Query().Get("job")
	if newer == "" || newer == first {
		t.Fatalf("the new brief's page is %s", loc)
	}
	waitRow(t, store, newer, keptRunning)
	after := newFakeLLM(t)
	restart(after.generator(10 * time.Second))

	failure := base + "/experiments/" + r.x.ID + "/generate?job=" + newer
	openFailure := func() {
		t.Helper()
		r.do(chromedp.Navigate(failure), chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] button[form="brief-form"]`)))
		if got := r.eval(`document.querySelector("#generation").innerText`); !strings.Contains(got, "copylab restarted while these drafts were being written") {
			t.Fatalf("the new brief's page says %q", got)
		}
		r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('` + tryAgainBtn + `').scrollIntoView({block: "center"})`))
	}
	unsent := func(when string) {
		t.Helper()
		time.Sleep(300 * time.Millisecond) // a request sent would have had time to leave
		if n := after.calls(); n != 0 {
			t.Errorf("%s: %d model calls, want none", when, n)
		}
	}

	openFailure()
	r.do(chromedp.Click(chromedp.CSS(tryAgainBtn)))
	answerQuestion(t, r, "Write drafts again",
		"Get new drafts for this brief? New drafts replace the 3 drafts of your previous brief. Your edits to 1 draft will be replaced.",
		"Write drafts again", "#confirm-dialog .btn-secondary")
	unsent("after Cancel")

	// Her drafts, as she left them; she edits draft 2 there too, kept by
	// this browser only.
	r.do(chromedp.Click(chromedp.CSS(`#generation a[data-replaces]`)),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	if got := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`); got != first {
		t.Fatalf("the way back led to the drafts %s, want %s", got, first)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
		t.Errorf("draft 1 reads %q, want her edit", got)
	}
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-1-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-1-text"), again))

	openFailure()
	r.do(chromedp.Click(chromedp.CSS(tryAgainBtn)))
	askedQuestion(t, r, "Write drafts again after another edit",
		"Get new drafts for this brief? New drafts replace the 3 drafts of your previous brief. Your edits to 2 drafts will be replaced.",
		"Write drafts again")
	newSet(t, r, "#confirm-dialog .confirm-ok", first, "Write drafts again's answer")
	if msg := r.eval(`document.querySelector("#brief-form .flash-error")?.textContent || ""`); msg != "" {
		t.Errorf("the brief came back with %q after the answer", msg)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// editAndWrite signs the marketer in, has three drafts written, and
// writes draft 1 in her own words; it returns the drafts' job.
func editAndWrite(t *testing.T, r *rewriteTab, edited string) string {
	t.Helper()
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 800))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited))
	return r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
}

// waitRow waits until the database keeps the drafting job with the id in
// the state: a job is written as it changes, after its page shows it.
func waitRow(t *testing.T, store *experiments.Store, id, state string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err := store.Reader().QueryRow(`select state from drafting_jobs where id = ?`, id).Scan(&got); err == nil && got == state {
			return
		}
	}
	t.Fatalf("the job %s is kept as %q, want %q", id, got, state)
}
