package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsTooFewSegmentsNamesWhatIsShort: the segments card said "Too
// few visitors to compare segments" while every variant had its 100
// visitors and what the test lacked was clicks, where the table's rows
// say "Too few clicks yet" (TestResultsTooFewLabelNamesWhatIsShort). The
// line names the goal's noun then, as the rows do, on the results page and
// the share page, and stays "visitors" while a variant is short of them.
func TestResultsTooFewSegmentsNamesWhatIsShort(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		want   string
	}{
		{name: "clicks short", counts: [][2]int64{{300, 3}, {300, 4}},
			want: "Too few clicks to compare segments: a segment is marked only once the test has clicks enough for a verdict."},
		{name: "no click yet", counts: [][2]int64{{150, 0}, {150, 0}},
			want: "Too few clicks to compare segments: a segment is marked only once the test has clicks enough for a verdict."},
		{name: "visitors short", counts: [][2]int64{{90, 2}, {110, 3}},
			want: "Too few visitors to compare segments: a segment is marked only once the test has visitors enough for a verdict."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, tc.counts...)
			var rows []segmentCounts
			for i, n := range tc.counts {
				rows = append(rows, segmentCounts{"mobile", x.Variants[i].Key, n[0], n[1]})
			}
			setSegments(t, e, x, experiments.DimDevice, rows)
			for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				var got []string
				for _, p := range findAll(parseHTML(t, body), hasClass("finding-none")) {
					got = append(got, strings.Join(strings.Fields(textOf(p)), " "))
				}
				if len(got) != 1 || got[0] != tc.want {
					t.Errorf("%s: segments line %q\nwant %q", path, got, tc.want)
				}
			}
		})
	}
}
