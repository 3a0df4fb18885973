package stats

import (
	"strings"
	"testing"
)

// TestNeedIsTheVerdicts: Analysis.Need is the verdict's data check, with
// the verdict's own estimate of the visitors still needed, and is judged
// under a broken split too, whose verdict comes first.
func TestNeedIsTheVerdicts(t *testing.T) {
	for _, tt := range []struct {
		name   string
		arms   []Arm
		short  bool
		more   bool // an estimate, quoted in the verdict
		status string
	}{
		{name: "three visitors each", arms: []Arm{{Key: "control", Exposures: 3, Conversions: 1}, {Key: "b", Exposures: 3, Conversions: 2}},
			short: true, more: true, status: StatusNotEnoughData},
		{name: "no conversion yet", arms: []Arm{{Key: "control", Exposures: 40}, {Key: "b", Exposures: 40}},
			short: true, status: StatusNotEnoughData},
		{name: "enough visitors, too few conversions", arms: []Arm{{Key: "control", Exposures: 200, Conversions: 4}, {Key: "b", Exposures: 200, Conversions: 5}},
			short: true, more: true, status: StatusNotEnoughData},
		{name: "enough", arms: []Arm{{Key: "control", Exposures: 1000, Conversions: 100}, {Key: "b", Exposures: 1000, Conversions: 120}},
			status: StatusKeepRunning},
		{name: "broken split, few visitors", arms: []Arm{{Key: "control", Exposures: 90, Conversions: 5, WeightBP: 5000}, {Key: "b", Exposures: 10, Conversions: 1, WeightBP: 5000}},
			short: true, more: true, status: StatusSRM},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, Options{})
			if an.Need.Short != tt.short || (an.Need.More > 0) != tt.more || an.Verdict.Status != tt.status {
				t.Fatalf("need %+v, verdict %q, want short %v, an estimate %v, %s", an.Need, an.Verdict.Status, tt.short, tt.more, tt.status)
			}
			// Short of the visitor minimum, the verdict says what each
			// variant lacks, the largest of which is More.
			quote := "roughly " + FormatCount(an.Need.More) + " more visitors per variant"
			if an.Need.Minimum {
				quote = " " + FormatCount(an.Need.More) + " more"
			}
			if tt.more && tt.status == StatusNotEnoughData && !strings.Contains(an.Verdict.Text, quote) {
				t.Errorf("verdict %q does not quote the need %d", an.Verdict.Text, an.Need.More)
			}
		})
	}
}
