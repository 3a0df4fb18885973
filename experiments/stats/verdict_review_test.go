package stats

import (
	"slices"
	"strings"
	"testing"
)

// TestVerdictMinimumVisitors: while a variant is short of MinExposures,
// the visitor minimum is what the verdict waits for, and the sentence says
// so, with how many more each short variant needs. It does not quote the
// visitors for detecting the practical threshold (a plan, not what holds
// the verdict back): 2/74 against 33/76 was told "roughly 59,000 more
// visitors per variant are needed to detect a 10% change", and was a
// winner 60 visitors later. A difference already far outside the
// practical threshold is said to be large but not confirmed.
func TestVerdictMinimumVisitors(t *testing.T) {
	huge := labelledArms(arm("control", 2, 74), arm("b", 33, 76))
	for _, tt := range []struct {
		name     string
		arms     []Arm
		opts     Options
		want     []string
		more     int64
		wantNots []string
	}{
		{
			name: "a huge difference",
			arms: huge,
			opts: Options{GoalNoun: "clicks"},
			want: []string{"Not enough data yet: copylab calls a test once each variant has 100 visitors, so the original needs 26 more and Variant B 24 more; " +
				"Variant B is far ahead of the original so far, but that is not confirmed until then."},
			more: 26,
		},
		{
			name: "paused",
			arms: huge,
			opts: Options{GoalNoun: "clicks", Paused: true},
			want: []string{"so the original needs 26 more and Variant B 24 more; Variant B is far ahead of the original so far, but that is not confirmed until then; resume the test to get those visitors."},
			more: 26,
		},
		{
			name: "stopped",
			arms: huge,
			opts: Options{GoalNoun: "clicks", Ended: true},
			want: []string{"Not enough data: copylab calls a test once each variant has 100 visitors, and the test stopped with the original at 74 and Variant B at 76; " +
				"Variant B was far ahead of the original, but that was never confirmed."},
			more: 26,
		},
		{
			name: "a far smaller variant",
			arms: func() []Arm {
				a := labelledArms(arm("control", 40, 400), arm("b", 2, 60))
				a[0].WeightBP, a[1].WeightBP = 8700, 1300 // as planned
				return a
			}(),
			opts: Options{GoalNoun: "clicks"},
			want: []string{"Not enough data yet: copylab calls a test once each variant has 100 visitors, so Variant B needs 40 more."},
			more: 40,
		},
		{
			name: "no difference to speak of",
			arms: labelledArms(arm("control", 5, 50), arm("b", 6, 50)),
			opts: Options{GoalNoun: "sign-ups"},
			want: []string{"Not enough data yet: copylab calls a test once each variant has 100 visitors, so each variant needs 50 more."},
			more: 50,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, tt.opts)
			if an.Verdict.Status != StatusNotEnoughData {
				t.Fatalf("status %s, want %s", an.Verdict.Status, StatusNotEnoughData)
			}
			for _, w := range tt.want {
				if !strings.Contains(an.Verdict.Text, w) {
					t.Errorf("verdict %q\ndoes not say %q", an.Verdict.Text, w)
				}
			}
			for _, no := range append(tt.wantNots, "change in", "59,000", "roughly") {
				if strings.Contains(an.Verdict.Text, no) {
					t.Errorf("verdict %q says %q", an.Verdict.Text, no)
				}
			}
			if an.Need.More != tt.more || !an.Need.Minimum {
				t.Errorf("need %+v, want More %d and Minimum", an.Need, tt.more)
			}
		})
	}
}

// TestVerdictNoTrafficSaysWhatIsClear: a variant at 0% of the split holds
// the verdict at not_enough_data (the spec's rule: some variant has fewer
// than 100 visitors), but a variant that already clearly beats the
// original is not hidden behind it; Need names the variant that gets no
// traffic, so that the page can say so in its row.
func TestVerdictNoTrafficSaysWhatIsClear(t *testing.T) {
	arms := labelledArms(arm("control", 85, 778), arm("b", 149, 722), arm("c", 0, 0))
	arms[0].WeightBP, arms[1].WeightBP = 5000, 5000
	an := Analyze(arms, Options{GoalNoun: "clicks"})
	want := "Not enough data, and there will not be: Variant C gets no traffic (0% of visitors), and every variant needs at least 100 visitors, " +
		"though Variant B beats the original so far (>99% chance); give Variant C a share of the traffic, or stop the test."
	if an.Verdict.Status != StatusNotEnoughData || an.Verdict.Text != want {
		t.Errorf("verdict %s %q\nwant %s %q", an.Verdict.Status, an.Verdict.Text, StatusNotEnoughData, want)
	}
	if !slices.Equal(an.Need.Unfed, []int{2}) {
		t.Errorf("Need.Unfed %v, want [2]", an.Need.Unfed)
	}
}

// TestNeedRoundsLikeThePlan: a number of visitors the test still needs is
// rounded up to two significant digits, as the plan rounds the planned
// sample (RoundUpCount), so the page never says "about 14,000" in one
// place and "about 13,000" in another for one estimate.
func TestNeedRoundsLikeThePlan(t *testing.T) {
	// Enough visitors, too few conversions: 10 in all take 429 visitors
	// a variant at the rate so far (7 in 600), 129 more.
	arms := labelledArms(arm("control", 3, 300), arm("b", 4, 300))
	an := Analyze(arms, Options{GoalNoun: "clicks"})
	const raw = 129
	if an.Need.More != RoundUpCount(raw) {
		t.Errorf("Need.More %d, want %d (%d rounded up)", an.Need.More, RoundUpCount(raw), raw)
	}
	if want := "roughly " + FormatCount(RoundUpCount(raw)) + " more visitors per variant"; !strings.Contains(an.Verdict.Text, want) {
		t.Errorf("verdict %q does not say %q", an.Verdict.Text, want)
	}
	for _, tt := range []struct{ n, want int64 }{{0, 0}, {7, 7}, {99, 99}, {100, 100}, {101, 110}, {13355, 14000}, {15079, 16000}, {59180, 60000}, {14000, 14000}} {
		if got := RoundUpCount(tt.n); got != tt.want {
			t.Errorf("RoundUpCount(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}
