package stats

import (
	"strings"
	"testing"
)

// TestVerdictUnsureAnswer: winner and control_wins follow the spec's rule
// (a one-sided 95%), but the uplift interval the sentence shows is the
// two-sided 95% one, which can still include no gain. Then the status stays,
// the sentence says the variant is probably the best, what the interval
// still allows, and that the choice is to keep the test going or to act
// knowing the risk: never a flat "Ship it." under an interval that
// includes no gain, or above a gain too small to matter. Verdict.Unsure
// says so for the headlines. A winner whose interval clears zero and
// whose lift clears the practical threshold keeps "Ship it.".
func TestVerdictUnsureAnswer(t *testing.T) {
	b := func(control, variant [2]int64) []Arm {
		return labelledArms(arm("control", control[1], control[0]), arm("b", variant[1], variant[0]))
	}
	opts := func(threshold float64, mod func(*Options)) Options {
		o := Options{Threshold: threshold, GoalNoun: "clicks"}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	ended := func(o *Options) { o.Ended = true }
	paused := func(o *Options) { o.Paused = true }
	shared := func(o *Options) { o.ReadOnly = true }
	early := func(o *Options) { o.Early = true }
	const noGain = "Variant B is probably the best on clicks (95% chance) and lifts them by +27.5%, but the 95% interval of that lift, −3.2% to +67.9%, still includes no gain"
	const control = "The original is probably the best on clicks (95% chance), but the 95% interval of Variant B's change, −40.4% to +3.3%, still includes a gain"
	for _, tc := range []struct {
		name   string
		arms   []Arm
		opts   Options
		status string
		unsure bool
		text   string // the whole sentence; "" to check only what follows
		has    []string
		lacks  []string
	}{
		{name: "interval includes no gain", arms: b([2]int64{800, 80}, [2]int64{800, 102}), opts: opts(0.5, nil),
			status: StatusWinner, unsure: true,
			text: noGain + ": keep the test running to be sure, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, shared", arms: b([2]int64{800, 80}, [2]int64{800, 102}), opts: opts(0.5, shared),
			status: StatusWinner, unsure: true,
			text: noGain + ": keep the test running to be sure, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, paused", arms: b([2]int64{800, 80}, [2]int64{800, 102}), opts: opts(0.5, paused),
			status: StatusWinner, unsure: true,
			text: noGain + ": resume the test to be sure, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, paused, shared", arms: b([2]int64{800, 80}, [2]int64{800, 102}),
			opts: opts(0.5, func(o *Options) { paused(o); shared(o) }), status: StatusWinner, unsure: true,
			text: noGain + ". The team can resume the test to be sure, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, stopped", arms: b([2]int64{800, 80}, [2]int64{800, 102}), opts: opts(0.5, ended),
			status: StatusWinner, unsure: true,
			text: noGain + ": duplicate it to run it again for longer, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, stopped, shared", arms: b([2]int64{800, 80}, [2]int64{800, 102}),
			opts: opts(0.5, func(o *Options) { ended(o); shared(o) }), status: StatusWinner, unsure: true,
			text: noGain + ". The team can run it again for longer, or ship it if that risk is acceptable."},
		{name: "interval includes no gain, early", arms: b([2]int64{800, 80}, [2]int64{800, 102}), opts: opts(0.5, early),
			status: StatusWinner, unsure: true, has: []string{"too early to call"}, lacks: []string{"Ship it", "ship it"}},
		{name: "a gain too small to matter", arms: b([2]int64{100000, 5000}, [2]int64{100000, 5250}), opts: opts(0.1, nil),
			status: StatusWinner, unsure: true,
			text: "Variant B is probably the best on clicks (>99% chance), but it lifts them by only +5.0% (95% interval +1.1% to +9.0%), a gain too small to matter (under 10%): keep the test running to be sure, or ship it if a small gain is worth it."},
		{name: "a clear winner", arms: b([2]int64{100000, 5000}, [2]int64{100000, 5600}), opts: opts(0.1, nil),
			status: StatusWinner, unsure: false,
			text: "Variant B lifts clicks by +12.0% (95% interval +7.9% to +16.2%); >99% chance it is the best. Ship it."},
		{name: "the original ahead, interval includes a gain", arms: b([2]int64{800, 102}, [2]int64{800, 80}), opts: opts(0.5, nil),
			status: StatusControlWins, unsure: true,
			text: control + ": keep the test running to be sure, or keep the original if that risk is acceptable."},
		{name: "the original ahead, interval includes a gain, stopped", arms: b([2]int64{800, 102}, [2]int64{800, 80}), opts: opts(0.5, ended),
			status: StatusControlWins, unsure: true,
			text: control + ": duplicate it to run it again for longer, or keep the original if that risk is acceptable."},
		{name: "the original clearly ahead", arms: b([2]int64{100000, 5600}, [2]int64{100000, 5000}), opts: opts(0.1, nil),
			status: StatusControlWins, unsure: false,
			text: "Keep the original: none of the new copy beats it on clicks (>99% chance the original is the best)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an := Analyze(tc.arms, tc.opts)
			v := an.Verdict
			if v.Status != tc.status {
				t.Fatalf("status %q, want %q: %s", v.Status, tc.status, v.Text)
			}
			if v.Unsure != tc.unsure {
				t.Errorf("Unsure %v, want %v: %s", v.Unsure, tc.unsure, v.Text)
			}
			if tc.text != "" && v.Text != tc.text {
				t.Errorf("text\n %q\nwant\n %q", v.Text, tc.text)
			}
			for _, s := range tc.has {
				if !strings.Contains(v.Text, s) {
					t.Errorf("text %q lacks %q", v.Text, s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(v.Text, s) {
					t.Errorf("text %q says %q", v.Text, s)
				}
			}
		})
	}
}
