package stats

import (
	"strings"
	"testing"
)

// labelledArms names the arms as the results page does: "the original",
// "Variant B", …
func labelledArms(arms ...Arm) []Arm {
	arms[0].Label = "the original"
	for i := 1; i < len(arms); i++ {
		arms[i].Label = "Variant " + strings.ToUpper(arms[i].Key)
	}
	return arms
}

// TestVerdictSeveralBeatTheOriginal: when no variant is yet the clear best
// but several clearly beat the original (each past DecisionProb), the
// sentence says that they all do and that which is best is open, rather
// than only that the leader is "ahead … 65% chance it is the best".
func TestVerdictSeveralBeatTheOriginal(t *testing.T) {
	arms := labelledArms(arm("control", 48, 977), arm("b", 156, 1010), arm("c", 163, 1013))
	for _, tt := range []struct {
		name string
		opts Options
		want string
	}{
		{"running", Options{GoalNoun: "clicks"},
			"Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call: keep the test running."},
		{"paused", Options{GoalNoun: "clicks", Paused: true},
			"Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call: resume the test to reach a verdict."},
		{"paused, read only", Options{GoalNoun: "clicks", Paused: true, ReadOnly: true},
			"Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call: " + PausedReadOnly + "."},
		{"stopped", Options{GoalNoun: "clicks", Ended: true},
			"Variant B and Variant C both beat the original on clicks (each >99% chance), but the test stopped before it could tell which of them is best. Duplicate it to run it again for longer."},
		{"stopped, read only", Options{GoalNoun: "clicks", Ended: true, ReadOnly: true},
			"Variant B and Variant C both beat the original on clicks (each >99% chance), but the test stopped before it could tell which of them is best. The team can run it again for longer."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(arms, tt.opts)
			if an.Verdict.Status != StatusKeepRunning || an.Verdict.Text != tt.want {
				t.Errorf("verdict %s %q\nwant %s %q", an.Verdict.Status, an.Verdict.Text, StatusKeepRunning, tt.want)
			}
		})
	}

	// Three, with chances that read differently.
	three := labelledArms(arm("control", 100, 1000), arm("b", 160, 1000), arm("c", 165, 1000), arm("d", 125, 1000))
	an := Analyze(three, Options{GoalNoun: "clicks"})
	pb := FormatProbability(*an.Variants[3].ProbBeatControl)
	if *an.Variants[3].ProbBeatControl < DecisionProb {
		t.Fatalf("set-up: Variant D beats the original at %s", pb)
	}
	if want := "Variant B, Variant C and Variant D all beat the original on clicks (>99%, >99% and " + pb + " chance); which of them is best is too early to call"; !strings.Contains(an.Verdict.Text, want) {
		t.Errorf("verdict %q\nwant %q", an.Verdict.Text, want)
	}
}
