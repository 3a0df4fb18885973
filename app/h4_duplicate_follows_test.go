package app

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// TestH4DuplicateFollowUpFlash: Duplicate of a follow-up makes a draft
// that follows the same test (its page says so), and the message after
// it says so too, in one sentence; a copy of a test that follows none
// says nothing of it.
func TestH4DuplicateFollowUpFlash(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := h9ShippedTest(t, e, site.ID)

	resp, body := c.post("/experiments/"+x.ID+"/follow-up", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id, _ := strings.CutSuffix(strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/"), "/generate")
	c.get(resp.Header.Get("Location")) // reads the follow-up's flash

	const same = "Like the original, it follows “Pricing hero”, so its drafts leave out the copy tried there."

	resp, body = c.post("/experiments/"+id+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	to := resp.Header.Get("Location")
	_, body = c.get(to)
	text := html.UnescapeString(body)
	wantContains(t, withoutBdi(text), "Pricing hero (follow-up) (copy)", `Follows <a href="/experiments/`+x.ID+`" dir="auto">Pricing hero</a>`,
		"A new draft with the same page, element, goal and variants, and no results yet. "+same+" Change what you like, then start it.")

	// The shipped test follows none: its copy's message says nothing of it.
	resp, body = c.post("/experiments/"+x.ID+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "A new draft with the same page, element, goal and variants, and no results yet. Change what you like, then start it.")
	wantNotContains(t, html.UnescapeString(body), "Like the original, it follows")
}
