package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentsListNoLeaderInNoise: the list names a leader only where
// the verdict does, at the results' bar for a call (stats.DecisionProb): a
// lead that is a coin flip (51% chance to be best) or well within the
// noise (78%, its uplift interval from −20% to +67%) is "No clear leader
// yet" beside "Keep the test running", never "Variant B leads"; a test
// with no meaningful difference names no leader either; and an early
// winner still leads, as its verdict says it does so far.
func TestExperimentsListNoLeaderInNoise(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		end    func(e *env, x experiments.Experiment)
		want   string // the line under the chip; "" for none
	}{
		{"coin flip", [][2]int64{{3000, 300}, {3000, 301}}, nil, "No clear leader yet"},
		{"within the noise", [][2]int64{{1000, 50}, {1000, 58}}, nil, "No clear leader yet"},
		{"within the noise, paused", [][2]int64{{1000, 50}, {1000, 58}}, pauseTest, "No clear leader yet"},
		{"within the noise, stopped", [][2]int64{{1000, 50}, {1000, 58}}, stopTest, "No clear leader"},
		{"no meaningful difference", [][2]int64{{100000, 10000}, {100000, 10050}}, nil, ""},
		{"early winner", [][2]int64{{1000, 50}, {1000, 100}}, nil, "Variant B leads (+100.0%)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, tt.counts...)
			if tt.end != nil {
				tt.end(e, x)
			}
			for _, path := range []string{"/experiments", "/sites/" + x.SiteID} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				cells := findAll(parseHTML(t, body), hasClass("list-result"))
				if len(cells) != 1 {
					t.Fatalf("%s: %d result cells", path, len(cells))
				}
				var got string
				if lines := findAll(cells[0], hasClass("small")); len(lines) > 0 {
					got = strings.Join(strings.Fields(textOf(lines[0])), " ")
				}
				if got != tt.want {
					t.Errorf("%s: line under the chip %q, want %q (cell %q)", path, got, tt.want,
						strings.Join(strings.Fields(textOf(cells[0])), " "))
				}
			}
		})
	}
}
