package stats

import (
	"strings"
	"testing"
)

// TestVerdictSplitBrokenSaysTag: the broken split's advice names the tag,
// as every other page does ("the tag loads late or twice"), not the
// snippet.
func TestVerdictSplitBrokenSaysTag(t *testing.T) {
	arms := labelledArms(arm("control", 100, 1000), arm("b", 100, 1400))
	arms[0].WeightBP, arms[1].WeightBP = 5000, 5000
	for _, o := range []Options{{}, {Ended: true}, {ReadOnly: true}, {ReadOnly: true, Ended: true}, {Paused: true}} {
		an := Analyze(arms, o)
		if an.Verdict.Status != StatusSRM {
			t.Fatalf("%+v: status %q, want srm", o, an.Verdict.Status)
		}
		if !strings.Contains(an.Verdict.Text, "check how the tag is installed") || strings.Contains(an.Verdict.Text, "snippet") {
			t.Errorf("%+v: %q should say to check how the tag is installed", o, an.Verdict.Text)
		}
	}
}
