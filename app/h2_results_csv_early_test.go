package app

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsCSVEarly: the results CSV has an early column, true on every
// row exactly when the results page marks the answer as not called yet
// and the results document's verdict.early is true: a spreadsheet user
// tells an early lead from a call without reading verdict_caution's
// sentence. It stands right after verdict_caution, last, so every older
// column keeps its place. The page's download, the API's (with a token)
// and the share link's are the same file.
func TestResultsCSVEarly(t *testing.T) {
	big := [][2]int64{{100000, 5000}, {100000, 6500}}
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		days   int
		end    func(e *env, x experiments.Experiment)
		early  bool
	}{
		{"winner, two days in", big, 2, nil, true},
		{"the original ahead, two days in", [][2]int64{{100000, 6500}, {100000, 5000}}, 2, nil, true},
		{"winner, stopped two days in", big, 2, stopTest, true},
		{"winner, two weeks in and past the plan", big, 14, nil, false},
		{"broken split, two days in", [][2]int64{{10000, 500}, {8000, 400}}, 2, nil, false},
		{"not enough data", [][2]int64{{50, 2}, {50, 3}}, 2, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			backdate(e, x, tc.days)
			if tc.end != nil {
				tc.end(e, x)
			}
			_, body := c.get("/experiments/" + x.ID + "/results")
			title, _, pageEarly, _ := verdictOn(t, body)
			if pageEarly != tc.early {
				t.Fatalf("the page heads it %q, early %v; the case wants %v", title, pageEarly, tc.early)
			}
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if v, _ := doc["verdict"].(map[string]any); v["early"] != pageEarly {
				t.Fatalf("verdict.early %#v, the page %v", v["early"], pageEarly)
			}

			files := map[string]string{}
			for _, path := range []string{"/experiments/" + x.ID + "/results.csv", "/r/" + x.ShareToken + "/results.csv"} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				files[path] = body
			}
			req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results.csv", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp := e.do(req)
			files["api"] = readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, files["api"])

			for path, body := range files {
				rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				head := rows[0]
				if n := len(head); n < 2 || head[n-2] != "verdict_caution" || head[n-1] != "early" {
					t.Fatalf("%s: header %q, want early last, right after verdict_caution", path, head)
				}
				col := len(head) - 1
				if len(rows) != 3 {
					t.Fatalf("%s: %d rows, want the header and two variants", path, len(rows))
				}
				for _, row := range rows[1:] {
					if row[col] != strconv.FormatBool(pageEarly) {
						t.Errorf("%s: %s's early is %q, want %v as the page", path, row[0], row[col], pageEarly)
					}
				}
			}
		})
	}
}

// TestResultsCSVColumnsKept: the early column is added after every older
// one, which keep their names and places, so a sheet that reads the
// columns by position keeps working.
func TestResultsCSVColumnsKept(t *testing.T) {
	_, c, _, x := startedWithCounts(t, [2]int64{1000, 100}, [2]int64{1000, 130})
	rows := resultsCSVRows(t, c, x.ID, "results")
	want := []string{"key", "label", "text", "exposures", "conversions", "rate", "rate_interval_low", "rate_interval_high",
		"prob_best", "prob_beat_control", "uplift", "uplift_interval_low", "uplift_interval_high", "p_value", "p_value_adjusted",
		"applied", "missed", "median_ms", "verdict_status", "verdict", "srm_p_value", "srm_flagged", "threshold", "shipped",
		"recordings", "excluded_multiple_variants", "excluded_bots", "verdict_caution", "early"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header\n %q\nwant\n %q", rows[0], want)
	}
}
