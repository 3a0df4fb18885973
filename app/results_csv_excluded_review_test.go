package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsCSVExcludedOnce: the excluded visitors are counted for the
// experiment, not per variant, so the results CSV gives them once, on the
// first row (the original's), and leaves the cells of the other variants
// empty: a spreadsheet that sums excluded_bots or
// excluded_multiple_variants gets the document's excluded counts, not
// those times the number of variants. The document is unchanged.
func TestResultsCSVExcludedOnce(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original", "New", "Newer")
	x = e.transition(x.ID, experiments.ActionStart)
	e.send(events(site.Key, "cat", x.ID, exposure("control")), browserUA)
	e.send(events(site.Key, "cat", x.ID, exposure("b")), browserUA) // both: excluded
	e.send(events(site.Key, "dan", x.ID, exposure("b")), testBotUA)
	e.send(events(site.Key, "fay", x.ID, exposure("c")), testBotUA)
	e.send(events(site.Key, "eve", x.ID, exposure("c"), conversion), browserUA)

	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	excluded, _ := doc["excluded"].(map[string]any)
	if fmt.Sprint(excluded["multiple_variants"], excluded["bots"]) != "1 2" {
		t.Fatalf("document's excluded %v, want 1 multiple_variants and 2 bots", excluded)
	}
	for _, path := range []string{"/experiments/" + x.ID + "/results.csv", "/r/" + x.ShareToken + "/results.csv"} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(rows) != 4 {
			t.Fatalf("%s: %d rows, want a header and 3 variants", path, len(rows))
		}
		for col, field := range map[string]string{"excluded_multiple_variants": "multiple_variants", "excluded_bots": "bots"} {
			i := csvColumn(t, rows[0], col)
			want := fmt.Sprint(excluded[field])
			sum := 0
			for r, row := range rows[1:] {
				switch {
				case r == 0 && row[i] != want:
					t.Errorf("%s: %s's %s is %q, want the experiment's %s", path, row[0], col, row[i], want)
				case r > 0 && row[i] != "":
					t.Errorf("%s: %s's %s is %q, want empty (the experiment's count is on the first row)", path, row[0], col, row[i])
				}
				if row[i] == "" {
					continue
				}
				n, err := strconv.Atoi(row[i])
				if err != nil {
					t.Fatalf("%s: %s %q: %v", path, col, row[i], err)
				}
				sum += n
			}
			if strconv.Itoa(sum) != want {
				t.Errorf("%s: the column %s adds up to %d, the document says %s", path, col, sum, want)
			}
		}
	}
}
