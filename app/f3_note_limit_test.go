package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGenerateNoteOverLimit: a draft's "Or say what to change" box had
// maxlength="300", so a browser cut a longer paste without a word and the
// model was asked for the first 300 characters of it. The box has no
// maxlength now, as the other fields with a limit; the server refuses a
// request over 300 characters (counted as characters, not bytes) in the
// draft's card, marks the box, says "at most 300 characters" and how
// many were typed beside it, keeps the words as typed, and asks the model
// nothing. 300 characters are still taken.
func TestGenerateNoteOverLimit(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	fragment := g.wait(t, statusURL)
	texts := draftTexts(fragment)
	pageURL := g.base + "?job=" + statusURL[strings.LastIndex(statusURL, "/")+1:]

	_, page := g.c.get(pageURL)
	for name, body := range map[string]string{"fragment": fragment, "page": page} {
		note := find1(t, parseHTML(t, body), "f-drafts-0-note")
		if ml := attrOf(note, "maxlength"); ml != "" {
			t.Errorf("%s: the note has maxlength %s: a browser cuts a longer paste without a word", name, ml)
		}
	}

	// 301 characters, most of them two bytes each.
	long := "Mention the free trial, " + strings.Repeat("é", 301-len([]rune("Mention the free trial, ")))
	calls := llm.calls()
	for _, tc := range []struct {
		name string
		hx   bool
	}{{"htmx", true}, {"no script", false}} {
		t.Run(tc.name, func(t *testing.T) {
			form := draftsForm(texts, []int{0, 1}, nil)
			form.Set("drafts[0].note", long)
			path := statusURL + "/drafts/0/regenerate?instruction=custom"
			var card string
			if tc.hx {
				var resp *http.Response
				resp, card = g.c.hx(http.MethodPost, path, form)
				wantStatus(t, resp, http.StatusOK, card)
			} else {
				resp, body := g.c.post(path, form)
				wantStatus(t, resp, http.StatusSeeOther, body)
				if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, pageURL) {
					t.Fatalf("redirected to %q, want the job's page", loc)
				}
				_, card = g.c.get(pageURL)
			}
			doc := parseHTML(t, card)
			note := find1(t, doc, "f-drafts-0-note")
			if got := attrOf(note, "value"); got != long {
				t.Errorf("the note keeps %d characters, want the %d typed", len([]rune(got)), len([]rune(long)))
			}
			if got := attrOf(note, "maxlength"); got != "" {
				t.Errorf("the refused note has maxlength %s", got)
			}
			if got := attrOf(note, "aria-invalid"); got != "true" {
				t.Errorf("the note's aria-invalid is %q, want true", got)
			}
			id := attrOf(note, "aria-describedby")
			if id == "" {
				t.Fatal("the note is described by nothing")
			}
			if got := textOf(find1(t, doc, id)); !strings.Contains(got, "at most 300 characters (this is 301)") {
				t.Errorf("the note is described by %q, want it to say “at most 300 characters (this is 301)”", got)
			}
			if n := llm.calls(); n != calls {
				t.Errorf("the model was asked %d times for a refused note", n-calls)
			}
		})
	}

	// The limit itself is taken.
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("drafts[0].note", long[:strings.LastIndex(long, "é")])
	_, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", form)
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Rewritten as asked.")
	if llm.calls() != calls+1 {
		t.Errorf("the model was asked %d times for a note of 300 characters, want once", llm.calls()-calls)
	}
}
