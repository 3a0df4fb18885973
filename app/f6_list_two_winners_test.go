package app

import (
	"testing"

	"copylab/experiments"
)

// TestListTwoBeatTheOriginal: where Variant B and Variant C both beat the
// original and the results cannot tell yet which is best, the list and
// the site's page say so in short under the chip, not "No clear leader
// yet", which reads as nothing ahead of the original. Once the test has
// stopped, the line says it stopped too early to pick one.
func TestListTwoBeatTheOriginal(t *testing.T) {
	two := [][2]int{{100, 4}, {100, 22}, {100, 17}}
	for _, tc := range []struct {
		name string
		end  func(e *env, x experiments.Experiment)
		says string // in every verdict sentence of the results
		line string
	}{
		{"running", nil, "Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call",
			"2 variants beat the original; too early to pick one"},
		{"paused", pauseTest, "Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call",
			"2 variants beat the original; too early to pick one"},
		{"stopped", stopTest, "Variant B and Variant C both beat the original on clicks (each >99% chance), but the test stopped before it could tell",
			"2 variants beat the original; it stopped too early to pick one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, site, _ := inVerdictState(t, two, tc.end, tc.says)
			for _, path := range []string{"/experiments", "/sites/" + site.ID} {
				if _, line := listResult(t, c, path); line != tc.line {
					t.Errorf("%s: line %q, want %q", path, line, tc.line)
				}
			}
		})
	}
}
