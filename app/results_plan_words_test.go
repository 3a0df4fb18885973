package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// planLineOf reads the plan line of a rendered results page.
func planLineOf(t *testing.T, body string) string {
	t.Helper()
	lines := findAll(parseHTML(t, body), hasClass("plan-line"))
	if len(lines) != 1 {
		t.Fatalf("%d plan lines", len(lines))
	}
	return strings.TrimSpace(textOf(lines[0]))
}

// TestPlanLineOneSentence: the plan line of a running test short of its
// planned sample says the time left, the goal and the visitors needed in
// one sentence, the goal once ("to detect a 10% lift (about 32,000
// visitors per version to detect a 10% change …)" said it twice). When a
// version short of the plan gets no traffic (weight 0), there is no time
// left to give, and the line says why instead of "No traffic yet". The
// page and the API's plan.text agree.
func TestPlanLineOneSentence(t *testing.T) {
	for _, tc := range []struct {
		name    string
		weights []int // nil: the default, equal
		want    string
	}{
		{"equal split", nil,
			"At current traffic, about 5 weeks to detect a 10% lift from the original’s 5.00% rate: each version needs about 32,000 visitors, and the smallest has 1,000 so far."},
		{"a version without traffic", []int{10000, 0},
			"No estimate of the time left: a version short of the planned sample gets no new visitors at its 0% weight. The test needs about 32,000 visitors per version to detect a 10% change from the original’s 5.00% rate, and the smallest has 1,000 so far."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			for i, w := range tc.weights {
				if _, err := e.store.Writer().Exec(`update variants set weight_bp = ? where experiment_id = ? and key = ?`, w, x.ID, x.Variants[i].Key); err != nil {
					t.Fatal(err)
				}
			}
			// 2,000 visitors on the first day: about 30 days to the
			// 31,000 or so per version that a 10% change from 5% needs.
			e.setCounts(x, [2]int64{1000, 50}, [2]int64{1000, 60})

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			if got := planLineOf(t, body); got != tc.want {
				t.Errorf("plan line\n %q\nwant\n %q", got, tc.want)
			}
			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if got := out["plan"].(map[string]any)["text"]; got != tc.want {
				t.Errorf("API plan.text %q, want the page's", got)
			}
		})
	}
}
