package app

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/static/browsertest"
	"copylab/variants"
)

// TestBrowserGenerateFailed looks at a failed generation in Chromium, on
// a desktop and a phone: the sentence, the advice and the Try again
// button each stand apart, and nothing sticks out sideways.
func TestBrowserGenerateFailed(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	llm := newFakeLLM(t)
	llm.setReply(failWith(500, nil, "boom"))
	base, store := serveGenerating(t, llm.generator(5*time.Second))
	x := seedAnnsDraft(t, store)
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	num := func(js string) float64 {
		t.Helper()
		f, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return f
	}

	signInTab(t, tab, base+"/login?next=/experiments/"+x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] button[form="brief-form"]`)))

	for _, width := range []int64{1280, 390} {
		do(chromedp.EmulateViewport(width, 844), chromedp.Sleep(100*time.Millisecond))
		w := strconv.Itoa(int(width))
		if over := num(`document.documentElement.scrollWidth - document.documentElement.clientWidth`); over != 0 {
			t.Errorf("at %spx the page is %.0fpx too wide", w, over)
		}
		// The gap between the last line of advice and the button.
		gap := num(`(function () {
			var g = document.querySelector("#generation");
			var help = g.querySelector(".help");
			var btn = g.querySelector('button[form="brief-form"]');
			return btn.getBoundingClientRect().top - help.getBoundingClientRect().bottom;
		})()`)
		if gap < 8 {
			t.Errorf("at %spx the Try again button sits %.1fpx under the advice, want 8px or more", w, gap)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// TestBrowserGenerateProgress looks at the progress of a slow model in
// Chromium, on a desktop and a phone: it counts the seconds between polls
// without replacing the region, says how long copylab waits for the
// model, then (its clock moved on 40 seconds) that it is still working
// and that the marketer may leave; and leaving for the experiment's page
// and coming back shows the same generation. A self-hosted model's long
// name wraps, and nothing sticks out sideways.
func TestBrowserGenerateProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	llm := newFakeLLM(t)
	release := llm.hold()
	defer release()
	const model = "hf.co/bartowski/Meta_Llama_3.1_8B_Instruct_GGUF:Q4_K_M_with_a_long_tag"
	gen, err := variants.New(variants.Config{BaseURL: llm.srv.URL + "/v1", Model: model, Timeout: 30 * time.Second, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	var ahead atomic.Int64
	base, store := serveGenerating(t, gen, clockAhead(&ahead))
	x := seedAnnsDraft(t, store)
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	note := func() string {
		t.Helper()
		return eval(`document.querySelector("#generation .gen-progress-note").textContent.replace(/\s+/g, " ").trim()`)
	}
	// layout checks the progress at each width: no sideways scroll, and
	// the progress line and the note inside the card.
	layout := func(state string) {
		t.Helper()
		for _, width := range []int64{1280, 390} {
			do(chromedp.EmulateViewport(width, 844), chromedp.Sleep(100*time.Millisecond))
			if over := eval(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`); over != "0" {
				t.Errorf("%s, at %dpx: the page is %spx too wide: %s", state, width, over, eval(`Array.from(document.querySelectorAll("body *")).filter(function (e) { return e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5; }).map(function (e) { return e.tagName + "." + e.className; }).join(", ")`))
			}
			out := eval(`(function () {
				var card = document.getElementById("generation").getBoundingClientRect();
				var out = [];
				[".gen-progress-text", ".gen-progress-note", ".refresh-link"].forEach(function (sel) {
					var r = document.querySelector("#generation " + sel).getBoundingClientRect();
					if (r.width === 0 || r.left < card.left || r.right > card.right + 0.5) out.push(sel + " " + Math.round(r.left) + "–" + Math.round(r.right));
				});
				return out.join(", ");
			})()`)
			if out != "" {
				t.Errorf("%s, at %dpx: outside the card: %s", state, width, out)
			}
		}
		do(chromedp.EmulateViewport(1280, 900))
	}

	signInTab(t, tab, base+"/login?next=/experiments/"+x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"] .gen-progress-note`)))
	if got := eval(`document.querySelector(".gen-progress-text").textContent`); got != "Writing 3 drafts with "+model+"…" {
		t.Errorf("progress %q", got)
	}
	first := note()
	runningRe := regexp.MustCompile(`^Running for (less than a second|\d+ seconds?); this page updates by itself\. copylab waits up to 30 seconds for each answer from the model, 3 minutes in all\. Refresh$`)
	if !runningRe.MatchString(first) {
		t.Errorf("progress note %q", first)
	}
	// generate.js counts the seconds; the polls in between swap nothing.
	// (Read until the count moved on: its timer may run late on a busy
	// machine.)
	do(chromedp.Evaluate[chromedp.Void](`document.getElementById("generation").progressMark = 1`), chromedp.Sleep(2500*time.Millisecond))
	later := note()
	for deadline := time.Now().Add(10 * time.Second); later == first && time.Now().Before(deadline); later = note() {
		time.Sleep(100 * time.Millisecond)
	}
	if !runningRe.MatchString(later) || later == first {
		t.Errorf("after 2.5 s the note went from %q to %q, want the seconds counted on", first, later)
	}
	if eval(`String(document.getElementById("generation").progressMark)`) != "1" {
		t.Error("a poll replaced the progress while only the seconds changed")
	}
	layout("running")

	// The model is slow: 40 seconds on, the next poll says so.
	ahead.Store(int64(40 * time.Second))
	do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-poll-quiet$="(still working)"]`)))
	stillRe := regexp.MustCompile(`^Still working after 4\d seconds; you can leave this page and come back within the hour\. copylab waits up to 30 seconds for each answer from the model, 3 minutes in all\. Refresh$`)
	if got := note(); !stillRe.MatchString(got) {
		t.Errorf("still-working note %q", got)
	}
	var said string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if said = eval(`(document.getElementById("announcer") || {}).textContent || ""`); strings.Contains(said, "Still working") {
			break
		}
	}
	if !strings.Contains(said, "Still working; you can leave this page and come back within the hour.") {
		t.Errorf("the announcer says %q", said)
	}
	layout("still working")

	// Leave for the experiment's page, and come back through its link.
	do(chromedp.Navigate(base+"/experiments/"+x.ID), chromedp.WaitVisible(chromedp.CSS("h1")),
		chromedp.Navigate(base+"/experiments/"+x.ID+"/generate"),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"] .gen-progress-note`)))
	if got := note(); !stillRe.MatchString(got) {
		t.Errorf("coming back, the note is %q", got)
	}
	release()
	do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// seedAnnsDraft adds the user Ann and a draft experiment with only its
// original copy, on a site of its own: what the drafting page starts from.
func seedAnnsDraft(t *testing.T, store *experiments.Store) experiments.Experiment {
	t.Helper()
	ctx := context.Background()
	if _, _, err := addUser(ctx, store, "ann@example.com", "Ann", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Acme Boards", Domain: "acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Homepage hero", Page: "/", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}}})
	if err != nil {
		t.Fatal(err)
	}
	return x
}
