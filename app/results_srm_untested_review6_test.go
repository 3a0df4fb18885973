package app

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsSRMUntested: right after a split change nobody has come
// since, so the split check has tested nothing: the document's
// srm.p_value is null and the CSV's srm_p_value empty, not the 1 that
// reads as "checked and perfect"; the pages say it waits for new visitors.
func TestResultsSRMUntested(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{500, 50}, [2]int64{500, 60})
	x.Variants[0].WeightBP, x.Variants[1].WeightBP = 7000, 3000
	if _, err := e.store.UpdateExperiment(experiments.WithActor(context.Background(), "ann@example.com"), x); err != nil {
		t.Fatal(err)
	}
	_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
	srm := doc["srm"].(map[string]any)
	if p, ok := srm["p_value"]; !ok || p != nil || srm["flagged"] != false {
		t.Errorf("srm %v, want p_value null (present) and flagged false", srm)
	}
	for _, path := range []string{"/experiments/" + x.ID + "/results.csv", "/r/" + x.ShareToken + "/results.csv"} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		i := csvColumn(t, rows[0], "srm_p_value")
		for _, row := range rows[1:] {
			if row[i] != "" {
				t.Errorf("%s: %s's srm_p_value %q, want empty", path, row[0], row[i])
			}
		}
	}
	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
		_, body := c.get(path)
		wantContains(t, body, "so it waits for new visitors")
		wantNotContains(t, body, "The traffic split is broken")
	}
}
