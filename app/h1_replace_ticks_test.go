package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestReplaceQuestionCountsOnlyTheMarketersTicks: the first drafts of a
// set start ticked (defaultTicked); those ticks are not the marketer's,
// so the question neither counts them nor asks for them. It names the
// ticks the marketer gave, and counts in the singular or plural.
func TestReplaceQuestionCountsOnlyTheMarketersTicks(t *testing.T) {
	tests := []struct {
		name    string
		include []int
		edits   map[int]string
		want    string // the question, "" for none
	}{
		{name: "as written", include: []int{0, 1}},
		{name: "one draft edited", include: []int{0, 1}, edits: map[int]string{0: "Plan the launch in one calm place, by hand"},
			want: "Your edits to 1 draft will be replaced."},
		{name: "one draft ticked", include: []int{0, 1, 2},
			want: "Your tick on 1 draft will be replaced."},
		{name: "two drafts ticked", include: []int{0, 1, 2, 3},
			want: "Your ticks on 2 drafts will be replaced."},
		{name: "one ticked instead of the first ones", include: []int{3},
			want: "Your tick on 1 draft will be replaced."},
		{name: "edited and ticked", include: []int{1, 2}, edits: map[int]string{1: "Plan the launch in one calm place", 3: "Every project, one calm board"},
			want: "Your edits to 2 drafts and your tick on 1 draft will be replaced."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			statusURL, body := offlineDrafts(t, g, 4)
			texts := draftTexts(body)
			v := withDrafts(g.newBrief(), draftsForm(texts, tt.include, tt.edits), jobOf(statusURL))
			resp, frag := g.c.hx(http.MethodPost, g.base, v)
			wantStatus(t, resp, http.StatusOK, frag)
			if tt.want == "" {
				if resp.Header.Get("HX-Push-Url") == "" {
					t.Fatalf("nothing of the marketer's to lose, yet asked: %s", frag)
				}
				return
			}
			wantContains(t, frag, tt.want+replaceThen)
			if n := strings.Count(frag, "ticked draft"); n > 0 {
				t.Errorf("the question counts ticked drafts: %s", frag[strings.Index(frag, "Your "):][:120])
			}
		})
	}
}
