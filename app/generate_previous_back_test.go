package app

import (
	"html"
	"net/http"
	"path"
	"testing"
	"time"
)

// A new brief that fails offers the way back to the drafts it left as
// they were, on its status and on its page; a first brief that fails has
// none to offer.
func TestFailedNewBriefLinksBackToThePreviousDrafts(t *testing.T) {
	const back = "Back to your previous drafts"
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)

	llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	firstURL, _ := g.start(t, g.brief(2))
	frag := g.wait(t, firstURL)
	wantContains(t, frag, `data-state="failed"`)
	wantNotContains(t, frag, back)

	llm.setReply(nil)
	oldURL, _ := g.start(t, g.brief(2))
	g.wait(t, oldURL)
	want := `href="` + html.EscapeString(jobPageURL(g.x.ID, path.Base(oldURL))) + `"`

	llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	newURL, _ := g.start(t, answered(g.brief(3)))
	frag = g.wait(t, newURL)
	wantContains(t, frag, `data-state="failed"`, back, "kept as you left them", want)
	_, page := g.c.get(g.base + "?job=" + path.Base(newURL))
	wantContains(t, page, back, want)
}
