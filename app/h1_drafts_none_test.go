package app

import (
	"net/http"
	"regexp"
	"testing"
)

// draftsCountRe finds the count beside the drafts' heading ("5 drafts").
var draftsCountRe = regexp.MustCompile(`<span class="muted small">\d+ drafts?</span>`)

// TestNoDraftsIsAnEmptyState: a brief whose drafts were all left out
// (each repeats copy the experiment has) showed the drafts' heading with
// "0 drafts" beside it, a count of nothing, above the sentence that says
// what happened. It is now an empty state of its own: a heading that
// says there are no new drafts, why, and what to do, with no count.
func TestNoDraftsIsAnEmptyState(t *testing.T) {
	g := newGenFixture(t, nil)
	statusURL, body := offlineDrafts(t, g, 2)
	texts := draftTexts(body)
	if len(texts) != 2 {
		t.Fatalf("%d drafts, want 2", len(texts))
	}
	if m := draftsCountRe.FindString(body); m == "" {
		t.Errorf("no count beside the drafts' heading: the test looks for the wrong thing")
	}
	resp, page := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding the drafts: %d %.300s", resp.StatusCode, page)
	}

	// The same brief again: the offline generator writes the same two.
	statusURL, frag := offlineDrafts(t, g, 2)
	if n := len(draftTexts(frag)); n != 0 {
		t.Fatalf("%d drafts, want none", n)
	}
	_, page = g.c.get(g.base + "?job=" + jobIDOf(statusURL))
	for name, body := range map[string]string{"the polled fragment": frag, "the page": page} {
		if m := draftsCountRe.FindString(body); m != "" {
			t.Errorf("%s shows a count of no drafts: %s", name, m)
		}
		wantContains(t, body,
			`<div class="empty empty-sm drafts-none"><h2>No new drafts this time</h2>`,
			"Every draft written for this brief was left out, each for the reason listed below, so there is nothing to add.",
			"change the brief (another product line, audience or tone), then press Suggest drafts.",
			"2 drafts were discarded")
		wantNotContains(t, body, `id="drafts-form"`)
	}
}

// jobIDOf is the job's id at the end of its status URL.
func jobIDOf(statusURL string) string {
	return regexp.MustCompile(`[^/]+$`).FindString(statusURL)
}
