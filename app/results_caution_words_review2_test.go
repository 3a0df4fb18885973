package app

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments/stats"
)

// TestResultsCautionPlannedSample: a clear lead two weeks in whose
// smallest variant is short of the planned sample is cautioned in a
// sentence that reads naturally ("of the roughly 15,000 visitors
// planned", not "of the about"), on the results page and in the API's
// caution alike.
func TestResultsCautionPlannedSample(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{10000, 500}, [2]int64{9908, 650})
	backdate(e, x, 14)

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	v := out["verdict"].(map[string]any)
	caution, _ := out["caution"].(string)
	if v["status"] != stats.StatusWinner || caution == "" {
		t.Fatalf("verdict %v, caution %q: want a winner with a caution", v, caution)
	}
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	page := html.UnescapeString(body)

	const want = "the smallest variant has 9,908 of the roughly "
	for _, got := range []struct{ where, text string }{{"API caution", caution}, {"results page", page}} {
		if !strings.Contains(got.text, want) {
			t.Errorf("%s lacks %q: %.300q", got.where, want, got.text)
		}
		if strings.Contains(got.text, "the about ") {
			t.Errorf("%s says %q", got.where, "the about")
		}
	}
}
