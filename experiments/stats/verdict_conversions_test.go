package stats

import (
	"strings"
	"testing"
)

// TestVerdictTooFewConversions: once every variant has MinExposures
// visitors, what holds the verdict back is the MinConversions conversions
// in all, and the test is called as soon as it has them. The sentence says
// that, with how many visitors they take at the rate so far (all variants
// together), not the visitors for detecting the practical threshold: 3/300
// against 4/300 was told "roughly 170,000 more visitors per variant are
// needed to detect a 10% change in clicks", where about 130 more bring the
// 10 clicks. With a variant still short of its visitors too, the sentence
// names what it lacks and the clicks the test has.
func TestVerdictTooFewConversions(t *testing.T) {
	few := labelledArms(arm("control", 3, 300), arm("b", 4, 300))
	for _, tt := range []struct {
		name    string
		arms    []Arm
		opts    Options
		want    string
		more    int64
		minimum bool
	}{
		{
			name: "running",
			arms: few,
			opts: Options{GoalNoun: "clicks"},
			want: "Not enough data yet: the test has 7 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 130 more visitors per variant.",
			more: 130,
		},
		{
			name: "paused",
			arms: few,
			opts: Options{GoalNoun: "clicks", Paused: true},
			want: "Not enough data yet: the test has 7 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 130 more visitors per variant; resume the test to get them.",
			more: 130,
		},
		{
			name: "paused, read only",
			arms: few,
			opts: Options{GoalNoun: "clicks", Paused: true, ReadOnly: true},
			want: "Not enough data yet: the test has 7 of the 10 clicks copylab needs to call it; at the rate so far that takes roughly 130 more visitors per variant; " + PausedReadOnly + ".",
			more: 130,
		},
		{
			name: "stopped",
			arms: few,
			opts: Options{GoalNoun: "clicks", Ended: true},
			want: "Not enough data: the test stopped with 7 of the 10 clicks copylab needs to call it.",
			more: 130,
		},
		{
			// 9 clicks in 180 visitors: the 10th comes with the 100
			// visitors a variant.
			name:    "a variant short of visitors, the clicks come with them",
			arms:    labelledArms(arm("control", 4, 90), arm("b", 5, 90)),
			opts:    Options{GoalNoun: "clicks"},
			want:    "Not enough data yet: copylab calls a test once each variant has 100 visitors and the test has 10 clicks in all, so each variant needs 10 more visitors, and the test has 9 of the 10 clicks.",
			more:    10,
			minimum: true,
		},
		{
			// 5 clicks in 200 visitors: 10 take 200 a variant.
			name: "a variant short of visitors, and the clicks take more",
			arms: labelledArms(arm("control", 2, 90), arm("b", 3, 110)),
			opts: Options{GoalNoun: "clicks"},
			want: "Not enough data yet: copylab calls a test once each variant has 100 visitors and the test has 10 clicks in all, " +
				"so the original needs 10 more visitors, and the test has 5 of the 10 clicks; at the rate so far, the clicks take roughly 110 more visitors per variant.",
			more: 110,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, tt.opts)
			if an.Verdict.Status != StatusNotEnoughData || an.Verdict.Text != tt.want {
				t.Errorf("verdict %s %q\nwant %s %q", an.Verdict.Status, an.Verdict.Text, StatusNotEnoughData, tt.want)
			}
			for _, no := range []string{"detect", "change in", "170,000"} {
				if strings.Contains(an.Verdict.Text, no) {
					t.Errorf("verdict %q says %q", an.Verdict.Text, no)
				}
			}
			if an.Need.More != tt.more || an.Need.Minimum != tt.minimum {
				t.Errorf("need %+v, want More %d, Minimum %v", an.Need, tt.more, tt.minimum)
			}
		})
	}
}
