package app

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestDraftsLeaveOutCopyTheTestHas: the offline generator writes the same
// drafts for the same brief, so asking again after adding some (or on a
// duplicated experiment) brought back drafts the experiment already had,
// the first of them ticked, and the add then failed with "This is the
// same text as Variant B." Such drafts are now left out, as the API
// leaves them out, listed with the reason; the first two new ones start
// ticked; and when no new draft is left the page says so and what to do,
// with nothing to add.
func TestDraftsLeaveOutCopyTheTestHas(t *testing.T) {
	g := newGenFixture(t, nil)
	statusURL, body := offlineDrafts(t, g, 5)
	texts := draftTexts(body)
	if len(texts) != 5 {
		t.Fatalf("%d drafts, want 5", len(texts))
	}
	resp, page := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1, 2}, nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding three drafts: %d %.300s", resp.StatusCode, page)
	}

	_, body = offlineDrafts(t, g, 5)
	again := draftTexts(body)
	if !slices.Equal(again, texts[3:]) {
		t.Errorf("drafts asked again %q, want only the two not added yet %q", again, texts[3:])
	}
	if got := tickedDrafts(body); strings.Join(got, ",") != "0,1" {
		t.Errorf("ticked drafts %v, want the first two new ones", got)
	}
	if n := strings.Count(body, "The experiment already has this text."); n != 3 {
		t.Errorf("%d drafts left out as copy the experiment has, want 3:\n%s", n, body)
	}
	wantContains(t, body, "3 drafts were discarded", "repeats copy the experiment already has")

	// Asked about the two drafts not added, which this brief's page does
	// not show, she said yes.
	v := g.brief(5)
	v.Set("product", "Acme Boards, a kanban tool")
	statusURL, _ = g.start(t, answered(v))
	wantContains(t, g.wait(t, statusURL), `data-state="done"`)
	resp, page = g.c.post(statusURL+"/approve", draftsForm(again, []int{0, 1}, nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding the other two: %d %.300s", resp.StatusCode, page)
	}
	// Room is left for four more variants: the same brief's first four
	// drafts, which the experiment has.
	_, body = offlineDrafts(t, g, 4)
	if n := len(draftTexts(body)); n != 0 {
		t.Errorf("%d drafts offered, want none: the experiment has them all", n)
	}
	wantContains(t, body, "No new drafts this time", "change the brief", "4 drafts were discarded")
	wantNotContains(t, body, `id="drafts-form"`, "These are offline suggestions")
}
