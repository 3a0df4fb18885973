package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestF1ShipBetweenWinners: where two variants both beat the original
// and the results cannot yet tell which is best, each Ship button's
// question says so, as the verdict does, and that shipping one is a
// choice between winners, not that the results have no answer. The help
// above the folded buttons says the same.
func TestF1ShipBetweenWinners(t *testing.T) {
	two := [][2]int{{100, 4}, {100, 22}, {100, 17}}
	const both = "Variant B and Variant C both beat the original on clicks (each >99% chance)"
	for _, tc := range []struct {
		name string
		end  func(e *env, x experiments.Experiment)
		asks []string // each Ship button's question, in order
		help string   // in the help above the folded buttons
	}{
		{"running", nil, []string{
			"Variant B converts 450.0% better than the original so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners. Show Variant B (“New headline”) to every visitor? This ends the test: nobody is counted from then on.",
			"Variant C converts 325.0% better than the original so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners. Show Variant C (“Newer headline”) to every visitor? This ends the test: nobody is counted from then on.",
		}, "Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best, so shipping one now is a choice between winners."},
		{"paused", pauseTest, []string{
			"Variant B converts 450.0% better than the original so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners. Show Variant B (“New headline”) to every visitor? This ends the test: nobody is counted from then on.",
			"Variant C converts 325.0% better than the original so far. Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best: shipping this one now is a choice between winners. Show Variant C (“Newer headline”) to every visitor? This ends the test: nobody is counted from then on.",
		}, "Variant B and Variant C both beat the original, but the results cannot tell yet which of them is best, so shipping one now is a choice between winners."},
		{"stopped", stopTest, []string{
			"Variant B converted 450.0% better than the original. Variant B and Variant C both beat the original, but the test stopped before it could tell which of them is best: shipping this one is a choice between winners. Show Variant B (“New headline”) to every visitor?",
			"Variant C converted 325.0% better than the original. Variant B and Variant C both beat the original, but the test stopped before it could tell which of them is best: shipping this one is a choice between winners. Show Variant C (“Newer headline”) to every visitor?",
		}, "Variant B and Variant C both beat the original, but the test stopped before it could tell which of them is best, so shipping one is a choice between winners."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, _, x := inVerdictState(t, two, tc.end, both)
			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
			got := pageButtons(t, body, x.ID, "/ship")
			if len(got) != len(tc.asks) {
				t.Fatalf("Ship buttons %+v, want %d", got, len(tc.asks))
			}
			for i, b := range got {
				if b.confirm != tc.asks[i] {
					t.Errorf("Ship button %d asks\n%q, want\n%q", i, b.confirm, tc.asks[i])
				}
				if strings.Contains(b.confirm, "no answer") || strings.Contains(b.confirm, "guess") {
					t.Errorf("Ship button %d still says the results have no answer: %q", i, b.confirm)
				}
			}
			if !strings.Contains(body, tc.help) {
				t.Errorf("the help above the Ship buttons does not say %q", tc.help)
			}
		})
	}
}
