package app

import (
	"fmt"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsPausedPlanNoRunTime: a paused test gets no visitors, so its
// plan line gives no time left "at current traffic" (which would assume
// they keep coming): it says that none come until the test is resumed,
// and what each variant still needs. The API's plan says the same and
// has no days_remaining. Resumed, the estimate comes back.
func TestResultsPausedPlanNoRunTime(t *testing.T) {
	e, c, tok, x := startedWithEvents(t, 60, [2]int{3, 5}) // not enough data
	plans := func(t *testing.T) map[string]string {
		t.Helper()
		out := map[string]string{}
		for name, doc := range resultsPanels(t, e, c, x) {
			lines := findAll(doc, hasClass("plan-line"))
			if len(lines) != 1 {
				t.Fatalf("%s: %d plan lines", name, len(lines))
			}
			out[name] = words(lines[0])
		}
		_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
		p, _ := doc["plan"].(map[string]any)
		out["api"], _ = p["text"].(string)
		if _, ok := p["days_remaining"]; !ok {
			t.Errorf("API plan %v: no days_remaining", p)
		}
		out["api days_remaining"] = fmt.Sprint(p["days_remaining"])
		return out
	}

	e.transition(x.ID, experiments.ActionPause)
	t.Run("paused", func(t *testing.T) {
		const want = "No estimate of the time left while the test is paused: no visitors come until it is resumed. Each variant needs about 32,000 visitors to detect a 10% lift from the original’s 5.00% rate, and the smallest has 60. The plan assumes 5% significance and 80% power."
		for name, got := range plans(t) {
			switch {
			case name == "api days_remaining":
				if got != "<nil>" {
					t.Errorf("API days_remaining %s, want null while paused", got)
				}
			case got != want:
				t.Errorf("%s: plan %q, want %q", name, got, want)
			}
		}
	})
	e.transition(x.ID, experiments.ActionResume)
	t.Run("resumed", func(t *testing.T) {
		for name, got := range plans(t) {
			switch {
			case name == "api days_remaining":
				if got == "<nil>" {
					t.Errorf("API days_remaining null once resumed")
				}
			case !strings.HasPrefix(got, "At current traffic, about "):
				t.Errorf("%s: plan %q, want the estimate at current traffic", name, got)
			}
		}
	})
}
