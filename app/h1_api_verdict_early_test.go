package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestAPIVerdictEarlyAsThePage: a script reading the results document can
// tell what the results page tells a person. verdict.status stays the
// spec's machine code (a winner two days in is still "winner"), and
// verdict.early is true exactly when the page marks the answer as not
// called yet: a winner, the original ahead or no difference while the test
// is under a full week or short of its planned sample, running or stopped.
func TestAPIVerdictEarlyAsThePage(t *testing.T) {
	big := [][2]int64{{100000, 5000}, {100000, 6500}}
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		days   int
		end    func(e *env, x experiments.Experiment)
		status string
		early  bool
	}{
		{"winner, two days in", big, 2, nil, stats.StatusWinner, true},
		{"winner, two weeks in but short of the plan", [][2]int64{{10000, 500}, {10000, 650}}, 14, nil, stats.StatusWinner, true},
		{"winner, stopped two days in", big, 2, stopTest, stats.StatusWinner, true},
		{"winner, paused two days in", big, 2, pauseTest, stats.StatusWinner, true},
		{"the original ahead, two days in", [][2]int64{{100000, 6500}, {100000, 5000}}, 2, nil, stats.StatusControlWins, true},
		{"no difference, two days in", [][2]int64{{1000000, 50000}, {1000000, 50100}}, 2, nil, stats.StatusNoMeaningfulDifference, true},
		{"winner, two weeks in and past the plan", big, 14, nil, stats.StatusWinner, false},
		{"broken split, two days in", [][2]int64{{10000, 500}, {8000, 400}}, 2, nil, stats.StatusSRM, false},
		{"not enough data", [][2]int64{{50, 2}, {50, 3}}, 2, nil, stats.StatusNotEnoughData, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			backdate(e, x, tc.days)
			if tc.end != nil {
				tc.end(e, x)
			}
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			_, _, pageEarly, _ := verdictOn(t, body)
			if pageEarly != tc.early {
				t.Fatalf("the page marks it early: %v, want %v", pageEarly, tc.early)
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
		})
	}
}
