package stats

import (
	"strconv"
	"testing"
)

// TestSRMUntested: with nothing to test (no visitor, or a single arm with
// a share of the split), the split check has no p-value: nil, not the 1
// that reads as "checked and perfect".
func TestSRMUntested(t *testing.T) {
	for _, tt := range []struct {
		name string
		arms []Arm
		opts Options
	}{
		{"no visitors", []Arm{{Key: "control", WeightBP: 5000}, {Key: "b", WeightBP: 5000}}, Options{}},
		{"nobody since the split changed", []Arm{{Key: "control", Exposures: 500, WeightBP: 7000}, {Key: "b", Exposures: 500, WeightBP: 3000}},
			Options{SplitExposures: []int64{0, 0}}},
		{"one arm with traffic", []Arm{{Key: "control", Exposures: 500, WeightBP: 10000}, {Key: "b", WeightBP: 0}}, Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srm := Analyze(tt.arms, tt.opts).SRM
			if srm.PValue != nil || srm.Flagged {
				t.Errorf("srm %v %v, want no p-value and not flagged", fmtP(srm.PValue), srm.Flagged)
			}
		})
	}
	srm := Analyze([]Arm{{Key: "control", Exposures: 500, WeightBP: 5000}, {Key: "b", Exposures: 500, WeightBP: 5000}}, Options{}).SRM
	if srm.PValue == nil || *srm.PValue != 1 {
		t.Errorf("a perfect split: p %v, want 1", fmtP(srm.PValue))
	}
}

func fmtP(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}
