package app

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments/stats"
)

// TestResultsCSVCaution: the results CSV says when a decisive
// verdict_status is not called yet, as the page ("Early lead: not called
// yet") and the document (caution) do, in a verdict_caution column
// added after every older one (only early, TestResultsCSVEarly, came
// after it), so that a sheet reading by position keeps working. A called
// answer has it empty.
func TestResultsCSVCaution(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		days   int
		early  bool
	}{
		// 6,010 visitors in the first hour: a clear lead, not called.
		{"winner in the first hour", [][2]int64{{3005, 100}, {3005, 180}}, 0, true},
		// Two weeks in and past the planned sample: the answer.
		{"winner two weeks in", [][2]int64{{100000, 5000}, {100000, 6500}}, 14, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			backdate(e, x, tc.days)

			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			v := out["verdict"].(map[string]any)
			caution, _ := out["caution"].(string)
			if v["status"] != stats.StatusWinner || (caution != "") != tc.early {
				t.Fatalf("document verdict %v, want a winner with a caution %v (%q)", v, tc.early, caution)
			}
			_, body := c.get("/experiments/" + x.ID + "/results")
			if title, _, early, _ := verdictOn(t, body); early != tc.early {
				t.Fatalf("page headed %q, early %v", title, early)
			}

			for _, path := range []string{"/experiments/" + x.ID + "/results.csv", "/r/" + x.ShareToken + "/results.csv"} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				head := rows[0]
				if col := csvColumn(t, head, "verdict_caution"); col < 1 || head[col-1] != "excluded_bots" {
					t.Fatalf("%s: header %q, want verdict_caution right after excluded_bots", path, head)
				}
				status, col := csvColumn(t, head, "verdict_status"), csvColumn(t, head, "verdict_caution")
				for _, row := range rows[1:] {
					if row[status] != stats.StatusWinner {
						t.Errorf("%s: verdict_status %q", path, row[status])
					}
					if row[col] != caution {
						t.Errorf("%s: verdict_caution %q, want the document's %q", path, row[col], caution)
					}
				}
			}
		})
	}
}
