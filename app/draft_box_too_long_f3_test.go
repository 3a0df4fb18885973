package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"copylab/experiments"
)

// TestDraftBoxOverKeptLength: a job keeps at most keptDraftLen (2,000)
// characters of a draft's "Or say what to change" box and of its text, to
// stay small in memory. A longer note or text was cut to 2,000 without a
// word: the page showed the first 2,000 characters again, and a refused
// rewrite said "(this is 2000)" of a 2,520-character request. Now a
// drafts form that brings one is refused before anything is taken: the
// box comes back with every character typed, marked, beside the limit
// and the length typed; without a script the page itself answers 422
// (not a redirect to a page that would read the job), and an htmx Add
// is answered 422 with the sentence, which leaves the typed words in the
// browser. Nothing is added, the model is asked nothing, and the job
// never keeps a cut box.
func TestDraftBoxOverKeptLength(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	pageURL := g.base + "?job=" + statusURL[strings.LastIndex(statusURL, "/")+1:]
	long := strings.Repeat("Mention the free trial, café included. ", 64) + "Thanks" // two-byte é
	n := utf8.RuneCountInString(long)
	if n <= keptDraftLen {
		t.Fatalf("the long note is %d characters, not over %d", n, keptDraftLen)
	}
	calls := llm.calls()
	variantsBefore := len(g.variants(t))

	wantNote := func(t *testing.T, body, want string) {
		t.Helper()
		doc := parseHTML(t, body)
		note := find1(t, doc, "f-drafts-0-note")
		if got := attrOf(note, "value"); got != long {
			t.Errorf("the note box holds %d characters, want the %d typed", utf8.RuneCountInString(got), n)
		}
		if got := attrOf(note, "aria-invalid"); got != "true" {
			t.Errorf("the note's aria-invalid is %q, want true", got)
		}
		id := attrOf(note, "aria-describedby")
		if id == "" {
			t.Fatal("the note is described by nothing")
		}
		if got := textOf(find1(t, doc, id)); !strings.Contains(got, want) {
			t.Errorf("the note is described by %q, want it to say %q", got, want)
		}
	}
	noteSays := "at most 300 characters (this is " + itoa(n) + ")"

	t.Run("rewrite, htmx", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[0].note", long)
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", form)
		wantStatus(t, resp, http.StatusOK, card)
		wantNote(t, card, noteSays)
	})
	t.Run("rewrite, no script", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[0].note", long)
		resp, page := g.c.post(statusURL+"/drafts/0/regenerate?instruction=custom", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		wantNote(t, page, noteSays)
	})
	t.Run("add, no script", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[0].note", long)
		resp, page := g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		wantNote(t, page, noteSays)
	})
	t.Run("add, htmx", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[0].note", long)
		resp, body := g.c.hx(http.MethodPost, statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "draft 1", "at most 300 characters")
	})
	t.Run("a draft's text, no script", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, map[int]string{1: long})
		resp, page := g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		doc := parseHTML(t, page)
		box := find1(t, doc, "f-drafts-1-text")
		if got := textOf(box); got != long {
			t.Errorf("the draft's box holds %d characters, want the %d typed", utf8.RuneCountInString(got), n)
		}
		if got := attrOf(box, "aria-invalid"); got != "true" {
			t.Errorf("the draft's aria-invalid is %q, want true", got)
		}
		wantContains(t, page, "at most 1000 characters (this is "+itoa(n)+")")
	})

	// The job kept no cut box: the page shows the drafts as they were.
	_, page := g.c.get(pageURL)
	doc := parseHTML(t, page)
	if got := attrOf(find1(t, doc, "f-drafts-0-note"), "value"); got != "" {
		t.Errorf("the job kept %d characters of the refused note", utf8.RuneCountInString(got))
	}
	if got := draftTexts(page); len(got) != 2 || got[1] != texts[1] {
		t.Errorf("the job's second draft is now %d characters", utf8.RuneCountInString(got[1]))
	}
	if llm.calls() != calls {
		t.Errorf("the model was asked %d times for refused forms", llm.calls()-calls)
	}
	if got := len(g.variants(t)); got != variantsBefore {
		t.Errorf("the experiment has %d variants, had %d: a refused Add added drafts", got, variantsBefore)
	}
}

// variants are the fixture experiment's variants as stored.
func (g *genFixture) variants(t *testing.T) []experiments.Variant {
	t.Helper()
	x, err := g.e.store.Experiment(context.Background(), g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return x.Variants
}
