package stats

import (
	"strings"
	"testing"
)

// TestVerdictOneMoreVisitor: a variant one visitor short of the minimum,
// while clicks are short too, needs "1 more visitor", not "1 more
// visitors"; two short still read in the plural.
func TestVerdictOneMoreVisitor(t *testing.T) {
	for _, tt := range []struct {
		name string
		arms []Arm
		want string
	}{
		{"each one short", labelledArms(arm("control", 1, 99), arm("b", 7, 99)), "each variant needs 1 more visitor,"},
		{"the original one short", labelledArms(arm("control", 1, 99), arm("b", 7, 120)), "the original needs 1 more visitor,"},
		{"two short", labelledArms(arm("control", 1, 98), arm("b", 7, 98)), "each variant needs 2 more visitors,"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, Options{GoalNoun: "clicks"})
			if an.Verdict.Status != StatusNotEnoughData {
				t.Fatalf("status %s, want %s", an.Verdict.Status, StatusNotEnoughData)
			}
			if !strings.Contains(an.Verdict.Text, tt.want) {
				t.Errorf("verdict %q lacks %q", an.Verdict.Text, tt.want)
			}
		})
	}
}
