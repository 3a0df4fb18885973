package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestResultsTooFewLabelNamesWhatIsShort: the table's rows said "Too few
// visitors yet" while every variant had its 100 visitors and what the test
// lacked was clicks, as the verdict says ("the test has 7 of the 10 clicks
// copylab needs to call it"). The label names the goal's noun then, on the
// results page and the share page, and stays "Too few visitors" while a
// variant is short of its visitors. The line under it is unchanged.
func TestResultsTooFewLabelNamesWhatIsShort(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		stop   bool
		row    string
	}{
		{name: "clicks short", counts: [][2]int64{{300, 3}, {300, 4}},
			row: "Too few clicks yet About 130 more visitors per variant needed"},
		{name: "clicks short, stopped", counts: [][2]int64{{300, 3}, {300, 4}}, stop: true,
			row: "Too few clicks About 130 more visitors per variant were needed"},
		{name: "no click yet", counts: [][2]int64{{150, 0}, {150, 0}},
			row: "Too few clicks yet At least 10 clicks and 100 visitors per variant needed"},
		{name: "visitors short", counts: [][2]int64{{90, 2}, {110, 3}},
			row: "Too few visitors yet About 110 more visitors per variant needed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, tc.counts...)
			if tc.stop {
				x = e.transition(x.ID, experiments.ActionStop)
			}
			for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				cells := chanceCells(t, body)
				if len(cells) != len(tc.counts) {
					t.Fatalf("%s: %d chance cells, want %d", path, len(cells), len(tc.counts))
				}
				for i, got := range cells {
					if got != tc.row {
						t.Errorf("%s: row %d %q\nwant %q", path, i, got, tc.row)
					}
				}
			}
		})
	}
}
