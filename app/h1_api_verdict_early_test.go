package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestAPIVerdictEarlyAsThePage: a script reading the results document can
// tell what the results page tells a person. verdict.status stays the
// spec's machine code (a winner two days in is still "winner"),
// verdict.early is true exactly when the page marks the answer as not
// called yet: a winner, the original ahead or no difference while the test
// is under a full week or short of its planned sample, running or stopped;
// and verdict.headline is the page's heading, word for word.
func TestAPIVerdictEarlyAsThePage(t *testing.T) {
	big := [][2]int64{{100000, 5000}, {100000, 6500}}
	for _, tc := range []struct {
		name     string
		counts   [][2]int64
		days     int
		end      func(e *env, x experiments.Experiment)
		status   string
		early    bool
		headline string
	}{
		{"winner, two days in", big, 2, nil, stats.StatusWinner, true, "Early lead: not called yet"},
		{"winner, two weeks in but short of the plan", [][2]int64{{10000, 500}, {10000, 650}}, 14, nil, stats.StatusWinner, true, "Early lead: not called yet"},
		{"winner, stopped two days in", big, 2, stopTest, stats.StatusWinner, true, "Too early to call"},
		{"winner, paused two days in", big, 2, pauseTest, stats.StatusWinner, true, "Early lead: not called yet"},
		{"the original ahead, two days in", [][2]int64{{100000, 6500}, {100000, 5000}}, 2, nil, stats.StatusControlWins, true, "Original ahead: not called yet"},
		{"no difference, two days in", [][2]int64{{1000000, 50000}, {1000000, 50100}}, 2, nil, stats.StatusNoMeaningfulDifference, true, "No difference so far: not called yet"},
		{"winner, two weeks in and past the plan", big, 14, nil, stats.StatusWinner, false, "We have a winner"},
		{"broken split, two days in", [][2]int64{{10000, 500}, {8000, 400}}, 2, nil, stats.StatusSRM, false, "Results can’t be trusted yet"},
		{"not enough data", [][2]int64{{50, 2}, {50, 3}}, 2, nil, stats.StatusNotEnoughData, false, "Not enough data yet"},
		{"keep running, paused", [][2]int64{{1000, 50}, {1000, 55}}, 2, pauseTest, stats.StatusKeepRunning, false, "Resume the test to reach a verdict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			backdate(e, x, tc.days)
			if tc.end != nil {
				tc.end(e, x)
			}
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			title, _, pageEarly, _ := verdictOn(t, body)
			if pageEarly != tc.early || title != tc.headline {
				t.Fatalf("the page heads it %q, early %v; want %q, %v", title, pageEarly, tc.headline, tc.early)
			}

			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			v, _ := doc["verdict"].(map[string]any)
			if v["status"] != tc.status {
				t.Errorf("verdict.status %v, want %s", v["status"], tc.status)
			}
			early, ok := v["early"].(bool)
			if !ok {
				t.Fatalf("verdict.early is %#v, want a bool", v["early"])
			}
			if early != pageEarly {
				t.Errorf("verdict.early %v, the page %v", early, pageEarly)
			}
			if v["headline"] != title {
				t.Errorf("verdict.headline %#v, the page %q", v["headline"], title)
			}
		})
	}
}

// TestAPIVerdictHeadlineOfADraft: a draft's results page heads itself "No
// results yet" and shows no verdict, so the document's headline says the
// same, not the "Not enough data yet" of a started test with few visitors.
func TestAPIVerdictHeadlineOfADraft(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "<h2>No results yet</h2>")
	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	v, _ := doc["verdict"].(map[string]any)
	if v["headline"] != "No results yet" || v["early"] != false || v["status"] != stats.StatusNotEnoughData {
		t.Fatalf("a draft's verdict is %v; want headline \"No results yet\", early false, status not_enough_data", v)
	}
}
