package app

import (
	"net/http"
	"regexp"
	"testing"
	"time"
)

// f7GoneRe finds the sentence about drafts that are not there.
var f7GoneRe = regexp.MustCompile(`These drafts are [^<"]*`)

// f7Gone is the sentence about drafts that are not there in body.
func f7Gone(t *testing.T, body string) string {
	t.Helper()
	s := f7GoneRe.FindString(body)
	if s == "" {
		t.Fatalf("no sentence about the drafts:\n%.3000s", body)
	}
	return s
}

// TestF7DraftsNotHereWordedTruly: on a copylab that never restarted, the
// drafting page of a job id that never existed, or that is another
// person's, refuses it (nothing of the other person's drafts shows, and
// the answer is the same for both, so it does not tell that the job
// exists) with a sentence true of every case: it does not say that
// copylab restarted, nor that the drafts were here once. An hour after
// the start it is as true. Drafts that were added are still said to be
// no longer here, with what was added.
func TestF7DraftsNotHereWordedTruly(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) == 0 {
		t.Fatal("no drafts")
	}
	annJob := statusURL[len(g.base+"/jobs/"):]
	const never = "aaaaaaaaaaaaaaaaaaaa"

	bob := g.e.signIn("bob@example.com")
	bob.get(g.base)
	check := func(t *testing.T, when string) {
		t.Helper()
		var pages, frags []string
		for _, id := range []string{annJob, never} {
			resp, page := bob.get(g.base + "?job=" + id)
			wantStatus(t, resp, http.StatusOK, page)
			_, frag := bob.hx(http.MethodGet, jobURL(g.x.ID, id), nil)
			wantNotContains(t, page+frag, texts[0])
			pages, frags = append(pages, f7Gone(t, page)), append(frags, f7Gone(t, frag))
		}
		for _, s := range append(pages, frags...) {
			t.Logf("%s: %s", when, s)
			wantContains(t, s, "These drafts are not here:", "by someone else")
			wantNotContains(t, s, "no longer here", "restarted")
		}
		if pages[0] != pages[1] || frags[0] != frags[1] {
			t.Errorf("%s: another person's job is answered apart from one that never existed:\n%q\n%q", when, pages, frags)
		}
		wantContains(t, pages[0], "Your brief is kept: write new ones below.")
		wantContains(t, frags[0], "Open the generation page to write new ones.")
	}
	t.Run("just started", func(t *testing.T) {
		check(t, "just started")
		wantContains(t, f7Gone(t, bodyOf(bob.get(g.base+"?job="+never))), "before copylab started less than a minute ago")
	})
	t.Run("14 minutes after the start", func(t *testing.T) {
		g.e.app.now = func() time.Time { return time.Now().Add(14 * time.Minute) }
		check(t, "14 minutes")
		wantContains(t, f7Gone(t, bodyOf(bob.get(g.base+"?job="+never))), "before copylab started 14 minutes ago")
	})
	t.Run("an hour after the start", func(t *testing.T) {
		g.e.app.now = func() time.Time { return time.Now().Add(genJobTTL + time.Minute) }
		check(t, "an hour")
		wantContains(t, f7Gone(t, bodyOf(bob.get(g.base+"?job="+never))), "kept for an hour")
	})
}

// bodyOf is the body of a client's answer.
func bodyOf(_ *http.Response, body string) string { return body }
