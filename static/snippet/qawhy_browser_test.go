package snippet_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

// why is the words the tests give the QA build for why the link's
// experiment shows nothing (the server writes its own: app's previewWhy).
// The selector holds markup, which must reach the notice as text.
var why = static.PreviewWhy{
	OffPage: "This page is not one the test runs on (it runs on /pricing/*).",
	Missing: `The element <b>[data-copylab="hero"]</b> is not on this page.`,
	Late:    `The element <b>[data-copylab="hero"]</b> appeared after the hide timeout (300 ms), so it keeps its original copy, as it would for visitors.`,
}

// whyText is the notice's line under its words ("" when it has none), or
// "no notice".
const whyText = `(h => h ? h.shadowRoot.querySelector("small")?.textContent ?? "no line" : "no notice")(` + noticeJS + `)`

// whySite is a site whose QA build has the words of why, with a hide
// timeout of timeoutMS and the hero experiment on page.
func whySite(t *testing.T, page string, timeoutMS int) *site {
	t.Helper()
	return newSite(t, prod, static.SnippetConfig{Site: "test", TimeoutMS: timeoutMS, PreviewLabel: "copylab preview: Pricing headline · Variant C",
		PreviewWhy: why, Experiments: []static.SnippetExperiment{heroExperiment(page, 10000, 0, 0)}})
}

// waitWhy waits until the notice's line reads want.
func waitWhy(t *testing.T, ctx context.Context, step, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := eval[string](t, ctx, whyText)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the notice's line %q, want %q", step, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestQAWhyOffPage: a preview on a page the experiment's pattern does not
// match (/pricing/* and the page /pricing/, whose trailing slash goes
// before matching) leaves the page's copy, and the notice says that the
// test does not run on this page and where it does, at once; a route
// change to a page it runs on shows the variant, and the line goes.
func TestQAWhyOffPage(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := whySite(t, "/pricing/*", 300)
	s.page("/pricing/", tag, `<h1 data-copylab="hero">`+original+`</h1>`)

	navigate(t, ctx, s.URL+"/pricing/?copylab="+expID+":c")
	waitJS(t, ctx, noticeJS)
	waitWhy(t, ctx, "off the pattern", why.OffPage)
	if text, vis := heroState(t, ctx); text != original || vis != "visible" {
		t.Errorf("hero %q %s, want the original: the page is not the test's", text, vis)
	}

	eval[bool](t, ctx, `history.pushState(null, "", "/pricing/team"), true`)
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
	waitWhy(t, ctx, "after a route change to a page of the test", "")
	noExceptions(t, exceptions)
}

// TestQAWhyMissing: on a page the test runs on but without its element,
// the notice says the element is not on the page once the tag stopped
// waiting for it (not before: it may still come); an element that comes
// later keeps the page's copy, and the line says why. The words are
// text, not markup.
func TestQAWhyMissing(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	// A hide timeout long enough to look at the notice before it ends,
	// even on a busy machine; the look counts only if it really came
	// before (performance.now() counts from before the tag started).
	const timeoutMS = 1500
	s := whySite(t, "/pricing*", timeoutMS)
	s.page("/pricing", tag, `<main><p>No headline here.</p></main>`)

	navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
	waitJS(t, ctx, noticeJS)
	early := eval[[]any](t, ctx, `[`+whyText+`, performance.now()]`)
	if at, _ := early[1].(float64); at < timeoutMS && early[0] != "" {
		t.Errorf("while the tag waits for the element (%.0f ms) the line is %q, want none", at, early[0])
	} else if at >= timeoutMS {
		t.Logf("the notice came after the hide timeout (%.0f ms): the line before it was not seen", at)
	}
	waitWhy(t, ctx, "no element", why.Missing)
	if n := eval[float64](t, ctx, noticeJS+`.shadowRoot.querySelectorAll("b").length`); n != 0 {
		t.Errorf("the line's words made %v elements, want text only", n)
	}

	eval[bool](t, ctx, `document.querySelector("main").insertAdjacentHTML("beforeend", '<h1 data-copylab="hero">`+original+`</h1>'), true`)
	waitWhy(t, ctx, "the element after the timeout", why.Late)
	if text, vis := heroState(t, ctx); text != original || vis != "visible" {
		t.Errorf("late hero %q %s, want the original", text, vis)
	}
	noExceptions(t, exceptions)
}

// TestQAWhyShown: on a page the test runs on, with its element (there at
// once, or added by the page's script before the timeout), the variant
// shows and the notice has no such line, also well after the timeout.
func TestQAWhyShown(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	s := whySite(t, "/pricing*", 300)
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	s.page("/pricing/later", tag, `<main></main><script>
		setTimeout(() => document.querySelector("main").insertAdjacentHTML("beforeend", '<h1 data-copylab="hero">`+original+`</h1>'), 150)
	</script>`)

	for _, path := range []string{"/pricing", "/pricing/later"} {
		navigate(t, ctx, s.URL+path+"?copylab="+expID+":c")
		waitJS(t, ctx, noticeJS)
		waitJS(t, ctx, `document.querySelector('`+hero+`')?.textContent == `+jsString(textC))
		time.Sleep(900 * time.Millisecond) // past the timeout and a check after it
		if got := eval[string](t, ctx, whyText); got != "" {
			t.Errorf("%s: the notice's line %q, want none: the variant shows", path, got)
		}
	}
}

// TestQAWhyOnlyQA: the words are only in the QA build: the live tag's
// bytes are the same with or without them, and a QA build without them
// (a link that cannot be shown) has no slot for them after its label.
func TestQAWhyOnlyQA(t *testing.T) {
	cfg := static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 10000, 0)}}
	render := func(cfg static.SnippetConfig) []byte {
		t.Helper()
		js, err := prod.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	without := render(cfg)
	withWhy := cfg
	withWhy.PreviewWhy = why
	if live := render(withWhy); !bytes.Equal(live, without) {
		t.Errorf("PreviewWhy changes the live tag")
	}
	withWhy.Preview = true
	if qa := render(withWhy); !bytes.Contains(qa, []byte(`"This page is not one the test runs on (it runs on /pricing/*)."`)) {
		t.Errorf("the QA build lacks the words")
	}
	cfg.Preview, cfg.PreviewLabel = true, "L"
	if qa := render(cfg); !bytes.HasSuffix(qa, []byte(`,"L"]);`+"\n")) {
		t.Errorf("a QA build without the words ends %q, want its config to end with the label", qa[max(0, len(qa)-60):])
	}
}
