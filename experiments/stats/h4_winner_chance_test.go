package stats

import "testing"

// TestWinnerAmongSeveralByChance: a winner among three new versions whose
// Holm-adjusted p-value is 0.071 (its lift's interval clear of zero and
// past the threshold) is called only as probable, with the chance that
// one of several looks best by luck and the choice that leaves, in every
// state of the test; the status stays winner. A single new version with
// the same numbers gets its plain answer: its adjusted p-value is its own.
func TestWinnerAmongSeveralByChance(t *testing.T) {
	four := labelledArms(arm("control", 200, 2000), arm("b", 245, 2000), arm("c", 200, 2000), arm("d", 200, 2000))
	const found = "Variant B is probably the best on clicks (96% chance) and lifts them by +22.5% (95% interval +2.7% to +46.1%), but with 3 new versions in the test, one of them can look best by chance (adjusted p-value 0.071, not below 0.05)"
	for _, tt := range []struct {
		name    string
		arms    []Arm
		opts    Options
		shipped bool
		want    string
		unsure  bool
	}{
		{"running", four, Options{}, false, found + ": keep the test running to be sure, or ship it if that risk is acceptable.", true},
		{"stopped, share link", four, Options{Ended: true, ReadOnly: true}, false,
			found + ". The team can run it again for longer, or ship it if that risk is acceptable.", true},
		{"shipped", four, Options{}, true, found + ".", true},
		{"one new version", labelledArms(arm("control", 200, 2000), arm("b", 250, 2000)), Options{}, false,
			"Variant B lifts clicks by +25.0% (95% interval +4.9% to +48.9%); >99% chance it is the best. Ship it.", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.GoalNoun = "clicks"
			an := Analyze(tt.arms, tt.opts)
			if tt.shipped {
				an.Verdict = ShippedVerdict(tt.arms, an, tt.opts)
			}
			if an.Verdict.Status != StatusWinner || an.Verdict.Text != tt.want || an.Verdict.Unsure != tt.unsure {
				t.Errorf("verdict %s %q (unsure %v),\nwant winner %q (unsure %v)", an.Verdict.Status, an.Verdict.Text, an.Verdict.Unsure, tt.want, tt.unsure)
			}
		})
	}
}
