package snippet_test

import (
	"strings"
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

// showsWhy is holdsWhy with the words for an element whose text the tag
// cannot show (the server writes its own: app's previewWhy). They hold
// markup, which must reach the notice as text.
var showsWhy = func() static.PreviewWhy {
	w := holdsWhy
	w.Shows = [5]string{
		"The element <b>.buy</b> is ",
		": copylab's tag writes text, which ",
		" does not show",
		" (a button input shows its value attribute)",
		". Test the text of a <button>, an <a> or a <label> instead.",
	}
	return w
}()

// showsLine is the notice's line for an element that is el ("an <img>");
// an <input> adds its note.
func showsLine(el string) string {
	s := showsWhy.Shows
	line := s[0] + el + s[1] + el + s[2]
	if el == "an <input>" {
		line += s[3]
	}
	return line + s[4]
}

// buyExperiment tests the copy of the elements sel finds on /pricing*.
func buyExperiment(sel string) static.SnippetExperiment {
	x := heroExperiment("/pricing*", 0, 0, 10000)
	x.Selector = sel
	return x
}

// showsCase is a page with its element, and the notice's line a preview
// of it has once the tag wrote its copy ("" for none).
type showsCase struct{ path, body, line string }

// checkShows previews variant C on each page in turn, in one tab: the tag
// writes the copy (into the element's text, whether it shows or not), the
// notice's line reads c.line and stays so past the hide timeout, and each
// page with a line adds one console warning with its words.
func checkShows(t *testing.T, sel string, cases []showsCase) {
	t.Helper()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	warned := browsertest.Warnings(t, ctx, showsWhy.Shows[1])
	s := newSite(t, prod, static.SnippetConfig{Site: "test", TimeoutMS: 300, PreviewLabel: "copylab preview: Buy button · Variant C",
		PreviewWhy: showsWhy, Experiments: []static.SnippetExperiment{buyExperiment(sel)}})
	for _, c := range cases {
		s.page(c.path, tag, c.body)
	}
	n := 0
	for _, c := range cases {
		navigate(t, ctx, s.URL+c.path+"?copylab="+expID+":c")
		waitJS(t, ctx, noticeJS)
		waitJS(t, ctx, `document.querySelector('`+sel+`').textContent == `+jsString(textC))
		waitWhy(t, ctx, c.path, c.line)
		if n := eval[float64](t, ctx, noticeJS+`.shadowRoot.querySelectorAll("b").length`); n != 0 {
			t.Errorf("%s: the line's words made %v elements, want text only", c.path, n)
		}
		time.Sleep(600 * time.Millisecond) // past the timeout and a check of the notice after it
		if got := eval[string](t, ctx, whyText); got != c.line {
			t.Errorf("%s: after the timeout the line is %q, want %q", c.path, got, c.line)
		}
		if c.line != "" {
			n++
		}
		if w := warned(); len(w) != n || c.line != "" && !strings.Contains(w[n-1], c.line) {
			t.Errorf("%s: the console's warnings %q, want %d, the last with %q", c.path, w, n, c.line)
		}
	}
	noExceptions(t, exceptions)
}

// TestQAShowsInput: the reviewer's case. A selector that finds an
// <input> by an attribute passes the server's check; the tag writes the
// copy into the input's text, which the page never shows: the button
// still reads its value, "Buy now", under a notice that names the
// variant. The preview says why, on the notice's second line and once in
// the console. A <button> the same selector finds shows the copy, and
// gets neither.
func TestQAShowsInput(t *testing.T) {
	t.Parallel()
	checkShows(t, "[type=submit]", []showsCase{
		{"/pricing/input", `<form><input type=submit value="Buy now"></form>`, showsLine("an <input>")},
		{"/pricing/button", `<form><button type=submit>Buy now</button></form>`, ""},
	})
}

// TestQAShowsOthers: the other elements whose text does not show, by
// their tag name (an SVG element's keeps its case), and the SVG elements
// that show text: a <text> and what is inside one. A <select> that holds
// its options also holds more than its text; the line says the first.
func TestQAShowsOthers(t *testing.T) {
	t.Parallel()
	checkShows(t, ".buy", []showsCase{
		{"/pricing/img", `<img class=buy alt="Buy now" width=10 height=10>`, showsLine("an <img>")},
		{"/pricing/select", `<select class=buy><option>Buy now</option></select>`, showsLine("a <select>")},
		{"/pricing/video", `<video class=buy></video>`, showsLine("a <video>")},
		{"/pricing/iframe", `<iframe class=buy></iframe>`, showsLine("an <iframe>")},
		{"/pricing/svg", `<svg class=buy width=10 height=10><rect width=5 height=5></rect></svg>`, showsLine("an <svg>")},
		{"/pricing/rect", `<svg width=10 height=10><rect class=buy width=5 height=5></rect></svg>`, showsLine("a <rect>")},
		{"/pricing/foreign", `<svg width=10 height=10><foreignObject class=buy width=5 height=5></foreignObject></svg>`,
			showsLine("a <foreignObject>")},
		{"/pricing/text", `<svg width=100 height=20><text class=buy y=15>Buy now</text></svg>`, ""},
		{"/pricing/textpath", `<svg width=100 height=20><path id=p d="M0 15H100"/><text><textPath class=buy href="#p">Buy now</textPath></text></svg>`, ""},
		{"/pricing/label", `<label class=buy>Buy now</label>`, ""},
	})
}

// TestQAShowsOnlyQA: the words are only in the QA build: the live tag's
// bytes are the same with or without them.
func TestQAShowsOnlyQA(t *testing.T) {
	cfg := static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{buyExperiment("[type=submit]")}}
	wordsOnlyInQA(t, cfg, showsWhy, `tag writes text, which `)
}
