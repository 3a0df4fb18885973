package app

import (
	"math"
	"testing"

	"copylab/experiments"
)

// TestPlanVisitorsPerDayOnceAnHour: the document's plan.visitors_per_day
// is null only until the test has run an hour (as the README says): a
// test that reached its planned sample, and one that stopped, whether
// before or after it, give their traffic per day too.
func TestPlanVisitorsPerDayOnceAnHour(t *testing.T) {
	for _, tc := range []struct {
		name      string
		threshold float64
		stop      bool
		reached   bool
	}{
		{"running, planned sample reached", 0.5, false, true},
		{"stopped after its planned sample", 0.5, true, true},
		{"stopped before its planned sample", 0.1, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			if _, err := e.store.Writer().Exec(`update experiments set threshold = ? where id = ?`, tc.threshold, x.ID); err != nil {
				t.Fatal(err)
			}
			x = e.transition(x.ID, experiments.ActionStart)
			backdate(e, x, 8)
			e.setCounts(x, [2]int64{800, 80}, [2]int64{800, 102})
			if tc.stop {
				e.transition(x.ID, experiments.ActionStop)
			}
			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			plan := out["plan"].(map[string]any)
			if plan["reached"] != tc.reached {
				t.Fatalf("reached %v, want %v: %v", plan["reached"], tc.reached, plan["text"])
			}
			// 1,600 visitors over 8 days.
			perDay, ok := plan["visitors_per_day"].(float64)
			if !ok || math.Abs(perDay-200) > 1 {
				t.Errorf("visitors_per_day %v, want about 200", plan["visitors_per_day"])
			}
		})
	}
}
