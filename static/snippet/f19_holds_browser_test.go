package snippet_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

// holdsWhy is why with the words for an element that holds more than its
// text (the server writes its own: app's previewWhy). They hold markup,
// which must reach the notice as text.
var holdsWhy = func() static.PreviewWhy {
	w := why
	w.Holds = [2]string{`The element <b>[data-copylab="hero"]</b> holds more than its text (`,
		`): copylab replaces all of it, so a framework such as React that updates it later may break the page.`}
	return w
}()

// holdsLine is the notice's line for an element that held what.
func holdsLine(what string) string { return holdsWhy.Holds[0] + what + holdsWhy.Holds[1] }

// TestQAHoldsMoreThanText: the reviewer's case. React writes
// <h1>Welcome to {brand}</h1> as two text nodes (on the server with a
// comment between them), and a button with its spinner as an element and
// a text; Vue's v-if leaves a comment where its element will go. The
// tag's swap replaces them all, which breaks the framework's next update
// of them. A preview of such an element says so on the notice's second
// line and once in the console, with what the element held when the tag
// first wrote it; the copy still shows, as it would for visitors. An
// element holding its text alone gets neither. A page the test does not
// run on keeps its own line first.
func TestQAHoldsMoreThanText(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	warned := browsertest.Warnings(t, ctx, "holds more than its text")
	s := newSite(t, prod, static.SnippetConfig{Site: "test", TimeoutMS: 300, PreviewLabel: "copylab preview: Pricing headline · Variant C",
		PreviewWhy: holdsWhy, Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 0, 10000)}})
	// As React renders it in the browser: the parser would join the two
	// texts, so the page's script makes the element whole.
	s.page("/pricing/client", tag, `<main></main><script>
		const h = document.createElement("h1");
		h.dataset.copylab = "hero";
		h.append("Welcome to ", "Acme");
		document.querySelector("main").append(h);
	</script>`)
	s.page("/pricing/server", tag, `<h1 data-copylab="hero">Welcome to <!-- -->Acme</h1>`)
	s.page("/pricing/spinner", tag, `<button data-copylab="hero"><span class="spinner"></span>Buy now</button>`)
	s.page("/pricing/single", tag, `<h1 data-copylab="hero">`+original+`</h1>`)

	for i, c := range []struct {
		path, line string
	}{
		{"/pricing/client", holdsLine("2 pieces of text")},
		{"/pricing/server", holdsLine("2 pieces of text and 1 comment")},
		{"/pricing/spinner", holdsLine("1 piece of text and 1 element")},
	} {
		navigate(t, ctx, s.URL+c.path+"?copylab="+expID+":c")
		waitJS(t, ctx, noticeJS)
		waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
		waitWhy(t, ctx, c.path, c.line)
		if n := eval[float64](t, ctx, noticeJS+`.shadowRoot.querySelectorAll("b").length`); n != 0 {
			t.Errorf("%s: the line's words made %v elements, want text only", c.path, n)
		}
		time.Sleep(600 * time.Millisecond) // past the timeout and a check of the notice after it
		if got := eval[string](t, ctx, whyText); got != c.line {
			t.Errorf("%s: after the timeout the line is %q, want %q", c.path, got, c.line)
		}
		w := warned()
		if len(w) != i+1 || !strings.Contains(w[i], c.line) {
			t.Errorf("%s: the console's warnings %q, want one more with %q", c.path, w, c.line)
		}
	}

	// The page the test does not run on says so first.
	eval[bool](t, ctx, `history.pushState(null, "", "/about"), true`)
	waitWhy(t, ctx, "a route off the test's pages", why.OffPage)

	navigate(t, ctx, s.URL+"/pricing/single?copylab="+expID+":c")
	waitJS(t, ctx, noticeJS)
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
	time.Sleep(900 * time.Millisecond)
	if got := eval[string](t, ctx, whyText); got != "" {
		t.Errorf("an element with its text alone: the line %q, want none", got)
	}
	if w := warned(); len(w) != 3 {
		t.Errorf("an element with its text alone: the console's warnings %q, want the 3 from before", w)
	}
	noExceptions(t, exceptions)
}

// TestQAHoldsOnlyQA: the words are only in the QA build: the live tag's
// bytes are the same with or without them.
func TestQAHoldsOnlyQA(t *testing.T) {
	cfg := static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 10000, 0)}}
	wordsOnlyInQA(t, cfg, holdsWhy, `holds more than its text (`)
}

// wordsOnlyInQA checks that cfg with the preview's words why renders the
// same live tag as without them, and a QA build that holds want.
func wordsOnlyInQA(t *testing.T, cfg static.SnippetConfig, why static.PreviewWhy, want string) {
	t.Helper()
	with := cfg
	with.PreviewWhy = why
	a, err := prod.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := prod.Render(with)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the preview's words change the live tag")
	}
	with.Preview = true
	if qa, err := prod.Render(with); err != nil || !bytes.Contains(qa, []byte(want)) {
		t.Errorf("the QA build lacks the words %q (%v)", want, err)
	}
}
