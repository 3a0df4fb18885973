package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentsListNoLeaderInNoise: the list names a leader only where
// the verdict does: a lead that is a coin flip (51% chance to be best) is
// "No clear leader yet" beside "Keep the test running", never "Variant B
// leads"; a test with no meaningful difference names no leader either; a
// lead the verdict calls ahead though too early to call (78%, twice the
// runner-up's chance: stats.ClearLead) leads, or led once stopped, as the
// verdict says it is, or was, ahead (TestListLeaderAsResults); and an
// early winner leads, as its verdict says it does so far.
func TestExperimentsListNoLeaderInNoise(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		end    func(e *env, x experiments.Experiment)
		want   string // the line under the chip; "" for none
	}{
		{"coin flip", [][2]int64{{3000, 300}, {3000, 301}}, nil, "No clear leader yet"},
		{"ahead, too early to call", [][2]int64{{1000, 50}, {1000, 58}}, nil, "Variant B leads (+16.0%)"},
		{"ahead, too early to call, paused", [][2]int64{{1000, 50}, {1000, 58}}, pauseTest, "Variant B leads (+16.0%)"},
		{"ahead, stopped too early to call", [][2]int64{{1000, 50}, {1000, 58}}, stopTest, "Variant B led (+16.0%)"},
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
