package stats

import (
	"strings"
	"testing"
)

// TestVerdictSoFarOnce: a not-enough-data sentence that already speaks of
// "the rate so far" and then of a difference already large said "so far"
// twice: "…at the rate so far that takes roughly 56 more visitors per
// variant; Variant B is far ahead of the original so far, but…". The
// difference now goes without it there; the numbers and the status are
// unchanged, and a sentence without "so far" of its own keeps the tail's.
func TestVerdictSoFarOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		arms []Arm
		opts Options
		want string
	}{
		{
			name: "clicks short",
			arms: labelledArms(arm("control", 1, 500), arm("b", 8, 500)),
			opts: Options{GoalNoun: "clicks"},
			want: "Not enough data yet: the test has 9 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 56 more visitors per variant; " +
				"Variant B is far ahead of the original, but that is not confirmed until then.",
		},
		{
			name: "clicks short, paused",
			arms: labelledArms(arm("control", 1, 500), arm("b", 8, 500)),
			opts: Options{GoalNoun: "clicks", Paused: true},
			want: "Not enough data yet: the test has 9 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 56 more visitors per variant; " +
				"Variant B is far ahead of the original, but that is not confirmed until then; resume the test to get them.",
		},
		{
			name: "visitors and clicks short",
			arms: labelledArms(arm("control", 1, 95), arm("b", 8, 105)),
			opts: Options{GoalNoun: "clicks"},
			want: "Not enough data yet: copylab calls a test once each variant has 100 visitors and the test has 10 clicks in all, so the original needs 5 more visitors, " +
				"and the test has 9 of the 10 clicks; at the rate so far, the clicks take roughly 17 more visitors per variant; " +
				"Variant B is far ahead of the original, but that is not confirmed until then.",
		},
		{
			name: "visitors short, no rate to speak of",
			arms: labelledArms(arm("control", 2, 74), arm("b", 33, 76)),
			opts: Options{GoalNoun: "clicks"},
			want: "Not enough data yet: copylab calls a test once each variant has 100 visitors, so the original needs 26 more and Variant B 24 more; " +
				"Variant B is far ahead of the original so far, but that is not confirmed until then.",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, tt.opts)
			if an.Verdict.Status != StatusNotEnoughData {
				t.Fatalf("status %s, want %s", an.Verdict.Status, StatusNotEnoughData)
			}
			if an.Verdict.Text != tt.want {
				t.Errorf("verdict\n %q\nwant\n %q", an.Verdict.Text, tt.want)
			}
			if n := strings.Count(an.Verdict.Text, "so far"); n != 1 {
				t.Errorf("%q says \"so far\" %d times", an.Verdict.Text, n)
			}
		})
	}
}
