package app

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments/stats"
)

// TestResultsTooFewConversionsWording: with 100 visitors in every variant
// but fewer than 10 clicks in all, the verdict (not_enough_data, the
// spec's rule) said "roughly 14,000 more visitors per variant are needed
// to detect a 10% change in clicks", the plan's number, though the test is
// called as soon as it has its 10 clicks. It says what is missing instead,
// and how many visitors that takes at the rate so far, on the results
// page, the share page, the API and the CSV alike; the table's rows quote
// the same number. With a variant also short of its 100 visitors, the
// sentence names both what that variant lacks and the clicks the test has.
func TestResultsTooFewConversionsWording(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		want   string
		row    string // every row's "Chance to be best" cell
	}{
		{
			// 7 clicks in 600 visitors: 10 take about 429 visitors in
			// all per variant, 129 more, rounded up to 130.
			name:   "every variant has its visitors",
			counts: [][2]int64{{300, 3}, {300, 4}},
			want:   "Not enough data yet: the test has 7 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 130 more visitors per variant.",
			row:    "Too few clicks yet About 130 more visitors per variant needed",
		},
		{
			// 5 clicks in 200 visitors: 10 take 200 a variant, 110
			// more for the original.
			name:   "a variant short of visitors too",
			counts: [][2]int64{{90, 2}, {110, 3}},
			want: "Not enough data yet: copylab calls a test once each variant has 100 visitors and the test has 10 clicks in all, " +
				"so the original needs 10 more visitors, and the test has 5 of the 10 clicks; " +
				"at the rate so far, the clicks take roughly 110 more visitors per variant.",
			row: "Too few visitors yet About 110 more visitors per variant needed",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
			v := doc["verdict"].(map[string]any)
			if v["status"] != stats.StatusNotEnoughData || v["text"] != tc.want {
				t.Errorf("API verdict %v %q\nwant %s %q", v["status"], v["text"], stats.StatusNotEnoughData, tc.want)
			}
			for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				if got := verdictText(t, body); got != tc.want {
					t.Errorf("%s: verdict %q\nwant %q", path, got, tc.want)
				}
				for i, got := range chanceCells(t, body) {
					if got != tc.row {
						t.Errorf("%s: row %d %q, want %q", path, i, got, tc.row)
					}
				}
				// The plan line still gives the plan; the verdict no
				// longer passes it off as what is missing.
				wantNotContains(t, verdictText(t, body), "10% change", "to detect")
			}
			for _, path := range []string{"/experiments/" + x.ID + "/results.csv", "/r/" + x.ShareToken + "/results.csv"} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				col := csvColumn(t, rows[0], "verdict")
				for _, row := range rows[1:] {
					if row[col] != tc.want {
						t.Errorf("%s: verdict %q\nwant %q", path, row[col], tc.want)
					}
				}
			}
		})
	}
}
