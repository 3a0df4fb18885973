package stats

import (
	"strings"
	"testing"
)

// TestShippedVerdictDoesNotRunItAgain: a shipped test is over for good,
// with a variant (or the original) showing to every visitor: its verdict
// tells no one to run it again, duplicate it, resume it or ship it, and
// no one to keep the original against what was shipped. It says what the
// test found and stops there; the page's shipped panel says what shipped.
// The status and Unsure stay what they were.
func TestShippedVerdictDoesNotRunItAgain(t *testing.T) {
	b := func(control, variant [2]int64) []Arm {
		return labelledArms(arm("control", control[1], control[0]), arm("b", variant[1], variant[0]))
	}
	const noGain = "Variant B is probably the best on clicks (95% chance) and lifts them by +27.5%, but the 95% interval of that lift, −3.2% to +67.9%, still includes no gain."
	const control = "The original is probably the best on clicks (95% chance), but the 95% interval of Variant B's change, −40.4% to +3.3%, still includes a gain."
	for _, tc := range []struct {
		name      string
		arms      []Arm
		threshold float64
		status    string
		unsure    bool
		want      string
	}{
		{"winner, interval includes no gain", b([2]int64{800, 80}, [2]int64{800, 102}), 0.5, StatusWinner, true, noGain},
		{"winner, a gain too small to matter", b([2]int64{100000, 5000}, [2]int64{100000, 5250}), 0.1, StatusWinner, true,
			"Variant B is probably the best on clicks (>99% chance), but it lifts them by only +5.0% (95% interval +1.1% to +9.0%), a gain too small to matter (under 10%)."},
		{"clear winner", b([2]int64{100000, 5000}, [2]int64{100000, 5600}), 0.1, StatusWinner, false,
			"Variant B lifts clicks by +12.0% (95% interval +7.9% to +16.2%); >99% chance it is the best."},
		{"original ahead, interval includes a gain", b([2]int64{800, 102}, [2]int64{800, 80}), 0.5, StatusControlWins, true, control},
		{"original clearly ahead", b([2]int64{100000, 5600}, [2]int64{100000, 5000}), 0.1, StatusControlWins, false,
			"None of the new copy beats the original on clicks (>99% chance the original is the best)."},
		{"no answer", b([2]int64{1000, 100}, [2]int64{1000, 110}), 0.05, StatusKeepRunning, false,
			"Variant B was ahead on clicks (+10.0% against the original, 76% chance it is the best), but the test stopped before it could be called: no clear answer."},
	} {
		for _, shared := range []bool{false, true} {
			name := tc.name
			if shared {
				name += ", shared"
			}
			t.Run(name, func(t *testing.T) {
				opts := Options{Threshold: tc.threshold, GoalNoun: "clicks", Ended: true, ReadOnly: shared}
				an := Analyze(tc.arms, opts)
				v := ShippedVerdict(tc.arms, an, opts)
				if v.Status != tc.status || v.Unsure != tc.unsure {
					t.Errorf("status %q unsure %v, want %q %v: %s", v.Status, v.Unsure, tc.status, tc.unsure, v.Text)
				}
				if v.Text != tc.want {
					t.Errorf("text\n %q\nwant\n %q", v.Text, tc.want)
				}
				for _, s := range []string{"run it again", "test again", "Duplicate", "duplicate", "resume", "Ship it", "ship it", "Keep the original"} {
					if strings.Contains(v.Text, s) {
						t.Errorf("a shipped test's verdict says %q: %s", s, v.Text)
					}
				}
			})
		}
	}

	// A broken split: what it means, without running the test again.
	arms := labelledArms(arm("control", 100, 1000), arm("b", 100, 1400))
	arms[0].WeightBP, arms[1].WeightBP = 5000, 5000
	for _, shared := range []bool{false, true} {
		opts := Options{GoalNoun: "clicks", Ended: true, ReadOnly: shared}
		v := ShippedVerdict(arms, Analyze(arms, opts), opts)
		const want = "The traffic split was broken (visitors went 41.7% / 58.3% instead of the planned 50% / 50%), so these results can't be trusted."
		if v.Status != StatusSRM || v.Text != want {
			t.Errorf("shared %v: %q %q, want srm %q", shared, v.Status, v.Text, want)
		}
	}
}
