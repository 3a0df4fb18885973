package stats

import (
	"strings"
	"testing"
)

func TestFlagSegments(t *testing.T) {
	// Overall, B lifts conversions by 10%, C by 0%.
	overall := []Arm{
		{Key: "control", Label: "the original", Exposures: 40000, Conversions: 4000},
		{Key: "b", Label: "Variant B", Exposures: 40000, Conversions: 4400},
		{Key: "c", Label: "Variant C", Exposures: 40000, Conversions: 4000},
	}
	segments := []Segment{
		// B does far better on mobile: +50%.
		{Name: "mobile", Arms: []Arm{
			{Key: "control", Exposures: 10000, Conversions: 1000},
			{Key: "b", Exposures: 10000, Conversions: 1500},
			{Key: "c", Exposures: 10000, Conversions: 1010},
		}},
		// C does far worse on tablets: −40%.
		{Name: "tablet", Arms: []Arm{
			{Key: "c", Exposures: 5000, Conversions: 300},
			{Key: "control", Exposures: 5000, Conversions: 500},
			{Key: "b", Exposures: 5000, Conversions: 560},
		}},
		// In line with overall.
		{Name: "desktop", Arms: []Arm{
			{Key: "control", Exposures: 25000, Conversions: 2500},
			{Key: "b", Exposures: 25000, Conversions: 2700},
			{Key: "c", Exposures: 25000, Conversions: 2520},
		}},
		// Dramatic but tiny: never judged.
		{Name: "smart TV", Arms: []Arm{
			{Key: "control", Exposures: 40, Conversions: 1},
			{Key: "b", Exposures: 40, Conversions: 30},
			{Key: "c", Exposures: 40, Conversions: 0},
		}},
		// C missing entirely.
		{Name: "email", Arms: []Arm{
			{Key: "control", Exposures: 2000, Conversions: 200},
			{Key: "b", Exposures: 2000, Conversions: 220},
		}},
	}
	flags := FlagSegments(overall, segments, SegmentOptions{GoalNoun: "sign-ups"})
	if len(flags) != 2 {
		for _, f := range flags {
			t.Log(f.Text)
		}
		t.Fatalf("%d flags, want 2", len(flags))
	}
	// Seven pairs are judged (mobile, tablet, desktop × 2, email × 1).
	level := 1 - 0.05/7
	want := []struct {
		segment, variant string
		better           bool
		uplift, overall  float64
		text             []string
	}{
		{"mobile", "b", true, 0.5, 0.1, []string{"Variant B's lift on sign-ups is clearly higher for mobile than overall", "+50.0% (interval ", ", widened because 7 segment comparisons were checked) against +10.0% overall"}},
		{"tablet", "c", false, -0.4, 0, []string{"Variant C's lift on sign-ups is clearly lower for tablet than overall", "−40.0%", "against no change overall"}},
	}
	for i, w := range want {
		f := flags[i]
		if f.Segment != w.segment || f.Variant != w.variant || f.Better != w.better {
			t.Errorf("flag %d: %+v, want %s/%s better=%v", i, f, w.segment, w.variant, w.better)
		}
		near(t, "uplift", f.Uplift, w.uplift, 1e-12)
		near(t, "overall", f.OverallUplift, w.overall, 1e-12)
		near(t, "level", f.Level, level, 1e-15)
		if f.Interval.Low <= w.overall && w.overall <= f.Interval.High {
			t.Errorf("interval %v holds the overall uplift %g", f.Interval, w.overall)
		}
		// The flag compares the variant's lift with its own lift overall:
		// "does clearly worse" read as worse than the original.
		if strings.Contains(f.Text, "does clearly") {
			t.Errorf("flag %d says %q", i, f.Text)
		}
		for _, frag := range w.text {
			if !strings.Contains(f.Text, frag) {
				t.Errorf("%q lacks %q", f.Text, frag)
			}
		}
	}

	if got := FlagSegments(overall[:1], segments, SegmentOptions{}); got != nil {
		t.Errorf("control only: %v", got)
	}
	noControlRate := []Arm{{Key: "control", Exposures: 1000}, {Key: "b", Exposures: 1000, Conversions: 10}}
	if got := FlagSegments(noControlRate, segments, SegmentOptions{}); got != nil {
		t.Errorf("undefined overall uplift: %v", got)
	}
}
