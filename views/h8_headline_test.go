package views

import "testing"

// TestUnsureVerdictTitle: an answer the verdict calls only probable
// (Verdict.Unsure) is headed as the webhook heads it, running or ended;
// an early one still says it is not called, which says more; a sure one
// keeps its flat headline.
func TestUnsureVerdictTitle(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    Verdict
		want string
	}{
		{"winner", Verdict{Status: "winner", Unsure: true}, "Probably a winner"},
		{"winner, stopped", Verdict{Status: "winner", Unsure: true, Ended: true}, "Probably a winner"},
		{"winner, early", Verdict{Status: "winner", Unsure: true, Early: true}, "Early lead: not called yet"},
		{"winner, sure", Verdict{Status: "winner"}, "We have a winner"},
		{"original", Verdict{Status: "control_wins", Unsure: true}, "The original is probably best"},
		{"original, shared", Verdict{Status: "control_wins", Unsure: true, ReadOnly: true}, "The original is probably best"},
		{"original, early, stopped", Verdict{Status: "control_wins", Unsure: true, Early: true, Ended: true}, "Too early to call"},
		{"original, sure", Verdict{Status: "control_wins"}, "Keep the original"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdictTitle(tt.v, false); got != tt.want {
				t.Errorf("title %q, want %q", got, tt.want)
			}
		})
	}
}

// TestShipUnsureStanding: the Ship buttons follow an unsure verdict's
// doubt. A winner whose lift is within the practical threshold is "the
// likely winner", too small a gain to matter; the original probably best
// while this variant's interval still includes a gain says so.
func TestShipUnsureStanding(t *testing.T) {
	rows := func(up, lo, hi float64) []ResultRow {
		return []ResultRow{{Key: "control", Control: true, Exposures: 100000, Rate: 0.05},
			{Key: "b", Exposures: 100000, Rate: 0.05 * (1 + up), Uplift: up, HasUplift: true,
				UpliftLow: lo, UpliftHigh: hi, HasUpliftInterval: true}}
	}
	b := ShipOption{Key: "b", Label: "Variant B", Text: "New"}
	for _, tt := range []struct {
		name           string
		p              ExperimentPage
		label, confirm string
	}{
		{"a gain too small to matter", ExperimentPage{Status: "running", Leader: "b",
			Results: Results{Threshold: 0.1, Rows: rows(0.05, 0.011, 0.09), Verdict: Verdict{Status: "winner", Unsure: true}}},
			"Ship Variant B (+5.0%, the likely winner)",
			"Variant B converts 5.0% better than the original so far. The results call it the likely winner, but its lift is too small to matter (under 10%). Show Variant B (“New”) to every visitor? This ends the test: nobody is counted from then on."},
		{"a small gain that may still matter", ExperimentPage{Status: "running", Leader: "b",
			Results: Results{Threshold: 0.1, Rows: rows(0.072, 0.007, 0.142), Verdict: Verdict{Status: "winner", Unsure: true}}},
			"Ship Variant B (+7.2%, the likely winner)",
			"Variant B converts 7.2% better than the original so far. The results call it the likely winner, but its best guess is a lift under 10%, though it could be up to +14.2%. Show Variant B (“New”) to every visitor? This ends the test: nobody is counted from then on."},
		{"one of several can look best by chance", ExperimentPage{Status: "running", Leader: "b",
			Results: Results{Threshold: 0.1, Rows: append(rows(0.3, 0.12, 0.5), ResultRow{Key: "c", Exposures: 100000, Rate: 0.05}),
				Verdict: Verdict{Status: "winner", Unsure: true}}},
			"Ship Variant B (+30.0%, the likely winner)",
			"Variant B converts 30.0% better than the original so far. The results call it the likely winner, but with 2 new versions in the test, one of them can look best by chance. Show Variant B (“New”) to every visitor? This ends the test: nobody is counted from then on."},
		{"the original probably best", ExperimentPage{Status: "running", Leader: "control",
			Results: Results{Threshold: 0.5, Rows: rows(-0.216, -0.404, 0.033), Verdict: Verdict{Status: "control_wins", Unsure: true}}},
			"Ship Variant B (−21.6%, the original is probably best)",
			"Variant B converts 21.6% worse than the original so far. The results say the original is probably best, but the 95% interval of its change still includes a gain. Show Variant B (“New”) to every visitor anyway? This ends the test: nobody is counted from then on."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := shipButton(tt.p, b); got != tt.label {
				t.Errorf("label %q, want %q", got, tt.label)
			}
			if got := shipConfirm(tt.p, b); got != tt.confirm {
				t.Errorf("confirm\n %q\nwant\n %q", got, tt.confirm)
			}
		})
	}
}
