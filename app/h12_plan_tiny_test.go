package app

import (
	"net/http"
	"testing"
)

// TestPlanTooFewVisitors: with a visitor or two, the original converting
// all of them says nothing about its rate: the plan says there are too
// few visitors yet for an estimate, not that "the original converts every
// visitor". With visitors enough, that sentence stays. Found by a review:
// one visitor, who converted, read as an original that always converts.
func TestPlanTooFewVisitors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		want   string
	}{
		{"one visitor", [][2]int64{{1, 1}, {0, 0}}, "Too few visitors yet, so no estimate of how long the test needs."},
		{"a handful", [][2]int64{{5, 5}, {4, 1}}, "Too few visitors yet, so no estimate of how long the test needs."},
		{"visitors enough", [][2]int64{{150, 150}, {150, 120}}, "The original converts every visitor, so there is no estimate of how long the test needs."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			token := e.token("ci@example.com")
			c := e.signIn("owner@example.com")
			_, x := e.runningExperiment()
			e.setCounts(x, tt.counts...)
			_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
			plan, _ := doc["plan"].(map[string]any)
			if text, _ := plan["text"].(string); text != tt.want {
				t.Errorf("plan text %q, want %q", text, tt.want)
			}
			_, body := c.get("/experiments/" + x.ID + "/results")
			wantContains(t, body, tt.want)
		})
	}
}
