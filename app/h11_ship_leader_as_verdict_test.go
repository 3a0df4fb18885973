package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestShipButtonsLeadAsVerdict: the Ship buttons say a variant "leads so
// far" (or "led") exactly where the verdict above them names it ahead.
// Where two variants both beat the original and which of them is best is
// too early to call, the verdict names neither in the lead, and no button
// or question does either: each keeps its uplift, and the question says
// both beat the original, so that shipping one is a choice between winners. Where the verdict does name one ahead,
// its button still says so.
func TestShipButtonsLeadAsVerdict(t *testing.T) {
	two := [][2]int{{100, 4}, {100, 22}, {100, 17}}
	const both = "Variant B and Variant C both beat the original on clicks (each >99% chance)"
	for _, tc := range []struct {
		name   string
		counts [][2]int // visitors and clicks per variant, sent through POST /e
		end    func(e *env, x experiments.Experiment)
		says   string   // in every verdict sentence of the results
		labels []string // the Ship buttons, in order
		asks   string   // in every Ship button's question
	}{
		{"two beat the original", two, nil, both,
			[]string{"Ship Variant B (+450.0%)", "Ship Variant C (+325.0%)"},
			"so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners."},
		{"two beat the original, paused", two, pauseTest, both,
			[]string{"Ship Variant B (+450.0%)", "Ship Variant C (+325.0%)"},
			"so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners."},
		{"two beat the original, stopped", two, stopTest, both,
			[]string{"Ship Variant B (+450.0%)", "Ship Variant C (+325.0%)"},
			". Variant B and Variant C both beat the original, but the test stopped before it could tell which of them is best: shipping this one is a choice between winners."},
		{"one ahead", [][2]int{{100, 7}, {100, 13}}, nil,
			"Variant B is ahead on clicks (+85.7% against the original, 91% chance it is the best), but it is too early to call",
			[]string{"Ship Variant B (+85.7%, leads so far)"},
			"so far. It leads so far, but the results have no answer yet."},
		{"one ahead, stopped", [][2]int{{100, 7}, {100, 13}}, stopTest,
			"Variant B was ahead on clicks (+85.7% against the original, 91% chance it is the best), but the test stopped",
			[]string{"Ship Variant B (+85.7%, led, too early to call)"},
			". It led, but the test stopped before the results had an answer."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, _, x := inVerdictState(t, tc.counts, tc.end, tc.says)
			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
			got := pageButtons(t, body, x.ID, "/ship")
			if len(got) != len(tc.labels) {
				t.Fatalf("Ship buttons %+v, want %q", got, tc.labels)
			}
			for i, b := range got {
				if b.label != tc.labels[i] {
					t.Errorf("Ship button %d says %q, want %q", i, b.label, tc.labels[i])
				}
				if !strings.Contains(b.confirm, tc.asks) {
					t.Errorf("Ship button %d asks %q, want it to say %q", i, b.confirm, tc.asks)
				}
			}
		})
	}
}
