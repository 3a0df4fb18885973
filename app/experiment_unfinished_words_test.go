package app

import (
	"net/http"
	"testing"
)

// TestUnfinishedDraftWords: on a draft saved before its page, element and
// goal were chosen, adding drafts said "Check the copy, then press Start
// to show it to visitors" under "Not ready to start yet" (and "it" for
// several variants), the tag notice ended "You can start it all the
// same.", and a duplicate claimed "the same page, element, goal and
// variants". Each now says what the draft has, and what it still needs.
func TestUnfinishedDraftWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "")
	g := &genFixture{e: e, c: c, site: site, x: x, base: "/experiments/" + x.ID + "/generate"}
	c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	resp, body := c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get(resp.Header.Get("Location"))
	want := "Added 2 offline suggestions to the experiment as variants B and C. Check the copy. Before it can start, the experiment still needs its page, element and goal."
	if got := flashText(page); got != want {
		t.Errorf("flash %q\nwant %q", got, want)
	}
	wantContains(t, page, "Not ready to start yet")
	wantNotContains(t, page, "You can start it all the same", "press Start to show it")
	wantContains(t, page, `show the page unchanged. <a href="/sites/`)

	body = flashAfter(t, c, "/experiments/"+x.ID+"/duplicate", nil)
	want = "A new draft with the same variants, and no results yet. It still needs its page, element and goal before it can start."
	if got := flashText(body); got != want {
		t.Errorf("duplicate: flash %q\nwant %q", got, want)
	}
}

// TestApprovedSentencePlural: drafts added to a draft ready to start are
// "them" when there are several.
func TestApprovedSentencePlural(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := g.c.get(resp.Header.Get("Location"))
	wantContains(t, page, "Added 2 offline suggestions to the experiment as variants C and D. Check the copy, then press Start to show them to visitors.")
}
