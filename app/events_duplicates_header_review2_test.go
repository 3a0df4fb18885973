package app

import (
	"context"
	"net/http"
	"testing"
)

// TestEventsHeaderSaysEveryPart: a request with events received before
// and events stored but not counted says both in X-Copylab. Before, the
// duplicates went unsaid whenever something else was not counted.
func TestEventsHeaderSaysEveryPart(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	seen := exposureEv(x.ID, "b")
	resp, body := e.postEventsAs(evBodyOf(site.Key, "v1", seen), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)

	wrongGoal := conversionEv(x.ID)
	wrongGoal["goal"] = "pageview" // the test's goal is a click
	tests := []struct {
		name   string
		events []map[string]any
		header string
	}{
		{"received before and not counted", []map[string]any{seen, wrongGoal},
			"stored; 1 not counted: goal_mismatch; 1 already received"},
		{"only received before", []map[string]any{seen}, "stored; 1 already received"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.postEventsAs(evBodyOf(site.Key, "v1", tt.events...), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
		})
	}

	counts, err := e.store.Counts(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range counts.Variants {
		if v.Key == "b" && (v.Exposures != 1 || v.Conversions != 0) {
			t.Errorf("b: %d exposures, %d conversions; want 1 and 0", v.Exposures, v.Conversions)
		}
	}
}
