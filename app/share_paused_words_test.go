package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// resumeOrder is a sentence telling its reader to resume the test:
// "resume the test to …", "resume it and keep it running …", "Resume the
// test to reach a verdict", "… stops, resume this one".
var resumeOrder = regexp.MustCompile(`(?i)\bresume (the test|it|this one)\b`)

// TestSharePausedWordsForViewer: whoever holds a share link cannot resume
// a paused test, so nothing on its share page, its live fragment or its
// CSV tells them to: the verdict, its title and the caution say instead
// that the numbers change only when the team resumes it. The team's own
// results page and CSV keep telling the team to resume it.
func TestSharePausedWordsForViewer(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		behind bool // a newer test of the element runs, so the team cannot resume it yet
	}{
		{"too early to call", [][2]int64{{1000, 50}, {1000, 58}}, false},
		{"early winner, with a caution", [][2]int64{{1000, 50}, {1000, 100}}, false},
		{"early winner, behind a newer test", [][2]int64{{1000, 50}, {1000, 100}}, true},
		{"not enough data", [][2]int64{{20, 2}, {20, 3}}, false},
		{"no visitors", [][2]int64{{0, 0}, {0, 0}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, tt.counts...)
			e.transition(x.ID, experiments.ActionPause)
			if tt.behind {
				e.transition(e.experimentOn(x.SiteID, "Hero again", x.Page, x.Selector).ID, experiments.ActionStart)
			}
			anon := e.client()
			share := "/r/" + x.ShareToken
			for _, path := range []string{share, share + "/live", share + "/results.csv"} {
				resp, body := anon.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				if m := resumeOrder.FindString(body); m != "" {
					i := strings.Index(body, m)
					t.Errorf("%s tells a viewer to %q: …%s…", path, m, body[max(0, i-120):min(len(body), i+80)])
				}
				wantContains(t, body, "when the team resumes it")
			}
			for _, path := range []string{"/experiments/" + x.ID + "/results", "/experiments/" + x.ID + "/results.csv"} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				if !resumeOrder.MatchString(body) {
					t.Errorf("%s no longer tells the team to resume the test", path)
				}
				wantNotContains(t, body, "the team resumes it")
			}
		})
	}
}
