package app

import (
	"net/http"
	"testing"
)

// TestAddSaysTheOtherDraftsGo: adding drafts lets the set go, so the
// confirmation says that the drafts not added were not kept, rather than
// leave the marketer to find an empty brief when they come back for them.
func TestAddSaysTheOtherDraftsGo(t *testing.T) {
	tests := []struct {
		name    string
		include []int
		want    string // the sentence about the others, "" for none
	}{
		{name: "one of five", include: []int{0}, want: "The other 4 drafts were not kept."},
		{name: "four of five", include: []int{0, 1, 2, 3}, want: "The other draft was not kept."},
		{name: "all five", include: []int{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			statusURL, body := offlineDrafts(t, g, 5)
			resp, out := g.c.post(statusURL+"/approve", draftsForm(draftTexts(body), tt.include, nil))
			wantStatus(t, resp, http.StatusSeeOther, out)
			_, page := g.c.get("/experiments/" + g.x.ID)
			wantContains(t, page, "to the experiment as variant")
			if tt.want == "" {
				wantNotContains(t, page, "not kept")
				return
			}
			wantContains(t, page, tt.want)
			// The drafting page, opened again, shows the brief alone, as
			// the sentence said.
			_, again := g.c.get(g.base)
			wantNotContains(t, again, `id="drafts-form"`)
		})
	}
}
