package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// TestGenerateTimeoutAdvice: a model that does not answer in time gets
// advice a marketer can follow (ask for fewer drafts), and a word that
// whoever runs copylab can give a slow model more time; the setting that
// does it is in the log (TestGenerateTimeoutAdviceForWhoCanAct).
func TestGenerateTimeoutAdvice(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
	g := newGenFixture(t, llm.generator(300*time.Millisecond))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	frag := g.wait(t, statusURL)
	wantContains(t, frag, `data-code="llm_timeout"`, "did not answer within", "try again", "fewer drafts", "Whoever runs copylab can let it wait longer.")
	wantNotContains(t, frag, "raise the timeout", "fewer variants", "--llm-timeout")
}

// TestGenerateOfflineCustomRewrite: the offline generator cannot follow a
// request in the marketer's words, so its rewrite does not claim it did.
func TestGenerateOfflineCustomRewrite(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d offline drafts", len(texts))
	}
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("drafts[1].note", "mention the free trial")
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=custom", form)
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/1", nil)
	}
	wantContains(t, card, "Replaced with another offline template: the offline generator cannot follow written requests.")
	wantNotContains(t, card, "Rewritten as asked.")

	// The buttons it can follow still say what they did.
	resp, card = g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=different+angle", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Rewritten with a different angle.")
}

// versionRe finds "version" used for copy. The generation pages call the
// copy a model or the offline generator writes "drafts", and the copy of
// the experiment, once added, "variants"; "prompt v1" is the prompt's
// version, and never spelled out.
var versionRe = regexp.MustCompile(`(?i)\bversions?\b`)

// generateWords is what a generation page says to a reader: its text and
// the attributes read out or shown (titles, labels, placeholders, the
// announcements).
func generateWords(t *testing.T, body string) string {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data + " ")
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "title", "aria-label", "placeholder", "data-announce", "data-confirm":
				b.WriteString(a.Val + " ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestGenerateWordsDraftsAndVariants: on the generation pages, what a
// generator wrote is a draft until it is added, and then it is a variant
// of the experiment: the button, the help, the progress, the errors and
// the flash say so, and none says "version".
func TestGenerateWordsDraftsAndVariants(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))

	_, page := g.c.get(g.base)
	checkWords(t, "the brief form", page, "copylab writes drafts of it", "as variants", "Write drafts",
		"The experiment has 1 variant besides the original already; room for 9 more.")

	bad := g.brief(2)
	bad.Set("n", "eleven")
	bad.Set("max_length", "1200")
	_, body := g.c.hx(http.MethodPost, g.base, bad)
	checkWords(t, "a brief with errors", body, "Ask for between 1 and 10 drafts.", "copylab keeps each variant to at most 1000 characters")
	bad = g.brief(10)
	_, body = g.c.hx(http.MethodPost, g.base, bad)
	checkWords(t, "a brief asking for too many", body, "This experiment has room for 9 more variants")

	release := llm.hold()
	statusURL, body := g.start(t, g.brief(2))
	checkWords(t, "the progress", body, "Writing 2 drafts with test-model…")
	release()
	frag := g.wait(t, statusURL)
	checkWords(t, "the drafts", frag, "They join the experiment as variants.")
	texts := draftTexts(frag)

	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, map[int]string{1: "Projects, finally under control"}))
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	checkWords(t, "a draft that repeats a variant", body, "This is the same text as Variant B.")

	resp, body = g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page = g.c.get("/experiments/" + g.x.ID)
	wantContains(t, page, "Added 2 drafts to the experiment as variants C and D.")

	full := g.e.experiment(g.site.ID, "Full", "Original", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K")
	_, page = g.c.get(generateURL(full.ID))
	checkWords(t, "a full experiment", page, "This experiment already holds the most variants it can")
}

// checkWords fails t when the visible words of body (generateWords) call
// anything a "version", or lack one of want; name says which screen.
func checkWords(t *testing.T, name, body string, want ...string) {
	t.Helper()
	words := generateWords(t, body)
	if m := versionRe.FindAllString(words, -1); len(m) > 0 {
		t.Errorf("%s says %q: %s", name, m, words)
	}
	for _, w := range want {
		if !strings.Contains(words, w) {
			t.Errorf("%s lacks %q: %s", name, w, words)
		}
	}
}
