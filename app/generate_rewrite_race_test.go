package app

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"copylab/variants"
)

// TestOfflineRewritesAtOnceNeverRepeatADraft: two drafts of one page
// rewritten at the same moment by the offline generator never end up
// with the same line. Each rewrite avoids the drafts as they were when it
// was asked for, so both would take the first line of the angle no draft
// used ("different angle"); the one that finishes second takes the next
// line instead, or says there is none. Several rounds, since the
// requests' order is the scheduler's.
func TestOfflineRewritesAtOnceNeverRepeatADraft(t *testing.T) {
	g := newGenFixture(t, nil)
	statusURL, body := offlineDrafts(t, g, 3)
	for round := range 6 {
		texts := draftTexts(body)
		if len(texts) != 3 {
			t.Fatalf("round %d: %d drafts on the page, want 3", round, len(texts))
		}
		// As the page posts it: the drafts' texts and revisions, so that
		// a request does not undo the other's rewrite (syncDrafts).
		v := draftsForm(texts, nil, nil)
		for _, m := range revRe.FindAllStringSubmatch(body, -1) {
			v.Set(m[1], m[2])
		}
		form := v.Encode()
		var (
			start = make(chan struct{})
			wg    sync.WaitGroup
			errs  = make([]error, 2)
		)
		for i := range 2 {
			req := newRequest(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=%s", statusURL, i,
				strings.ReplaceAll(variants.InstructionDifferentAngle, " ", "+")), strings.NewReader(form))
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-CSRF-Token", g.c.csrf)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range g.c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resp, err := g.e.app.Fiber().Test(req, -1)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("draft %d: status %d", i, resp.StatusCode)
					}
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		body = waitRewrites(t, g, statusURL)
		// A card shows its rewrite done just before the rewrite gives its
		// slot back: wait for that, or the next round's may be refused.
		waitNoModelCalls(t, g.e)
		before := texts
		texts = draftTexts(body)
		// Each rewrite took a new line, or says why not.
		for i := range 2 {
			if texts[i] == before[i] && !strings.Contains(body, "The rewrite did not work: the offline generator has no") {
				t.Errorf("round %d: draft %d is still %q, and its card says no why:\n%s", round, i+1, texts[i], body)
			}
		}
		for i := range texts {
			for k := i + 1; k < len(texts); k++ {
				if variants.Similar(texts[i], texts[k]) {
					t.Fatalf("round %d: drafts %d and %d are the same line %q after two rewrites at once:\n%q", round, i+1, k+1, texts[i], texts)
				}
			}
		}
	}
}

var revRe = regexp.MustCompile(`name="(drafts\[\d+\]\.rev)" value="(\d+)"`)

// waitRewrites polls the job's page until no draft is being rewritten,
// and returns the last fragment.
func waitRewrites(t *testing.T, g *genFixture, statusURL string) string {
	t.Helper()
	for range 500 {
		body := g.wait(t, statusURL)
		if !strings.Contains(body, "draft-busy") {
			return body
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the rewrites did not finish")
	return ""
}

// TestModelRewritesAtOnceNeverRepeatADraft: two rewrites of one page
// that a model answers with the same line do not both keep it. The one
// checked second asks the model again with the line among the drafts
// to avoid, and, when the model still writes nothing else, says so on
// its card and keeps its draft.
func TestModelRewritesAtOnceNeverRepeatADraft(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	body := g.wait(t, statusURL)
	texts := draftTexts(body)
	if len(texts) != 3 {
		t.Fatalf("%d drafts, want 3", len(texts))
	}
	const same = "Ship it calmly"
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		return 0, nil, completion(`{"variants":[{"text":"` + same + `","angle":"short and punchy","rationale":"Short."}]}`)
	})
	release := llm.hold()
	defer release()
	form := draftsForm(texts, nil, nil)
	for _, m := range revRe.FindAllStringSubmatch(body, -1) {
		form.Set(m[1], m[2])
	}
	for i := range 2 {
		calls := llm.calls()
		resp, card := g.c.hx(http.MethodPost, fmt.Sprintf("%s/drafts/%d/regenerate?instruction=%s", statusURL, i,
			strings.ReplaceAll(variants.InstructionDifferentAngle, " ", "+")), form)
		wantStatus(t, resp, http.StatusOK, card)
		waitCalls(t, llm, calls+1)
	}
	calls := llm.calls()
	release()

	body = waitRewrites(t, g, statusURL)
	got := draftTexts(body)
	n := 0
	for _, text := range got {
		if variants.Similar(text, same) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d drafts are %q after two rewrites at once, want 1: %q", n, same, got)
	}
	wantContains(t, body, "The rewrite did not work")
	if llm.calls() == calls {
		t.Error("the model was not asked again for the draft that repeated the other")
	}
}
