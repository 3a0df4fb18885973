package stats

import (
	"strings"
	"testing"
)

// TestVerdictSaysWhoIsFarBehind: while no arm is called, a variant whose
// uplift interval lies wholly below the practical threshold is named as
// far behind the original, and the team is told what it costs them to
// keep showing it; a reader who cannot act, a stopped and a shipped test
// get the finding without the advice. A test with no such variant reads
// as before.
func TestVerdictSaysWhoIsFarBehind(t *testing.T) {
	arms := labelledArms(arm("control", 100, 1000), arm("b", 107, 1000), arm("c", 101, 1000), arm("d", 57, 1000))
	const advice = "Variant D is far behind the original: a smaller share of the traffic for it gets the others their answer sooner."
	for _, tt := range []struct {
		name     string
		opts     Options
		shipped  bool
		want     string
		wantNots []string
	}{
		{"running", Options{GoalNoun: "clicks"}, false, "keep the test running. " + advice, nil},
		{"paused", Options{GoalNoun: "clicks", Paused: true}, false, "resume the test to reach a verdict. " + advice, nil},
		{"read only", Options{GoalNoun: "clicks", ReadOnly: true}, false, "keep the test running. Variant D is far behind the original.", []string{"share of the traffic"}},
		{"stopped", Options{GoalNoun: "clicks", Ended: true}, false, " Variant D was far behind the original.", []string{"share of the traffic"}},
		{"shipped", Options{GoalNoun: "clicks"}, true, " Variant D was far behind the original.", []string{"share of the traffic"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(arms, tt.opts)
			v := an.Verdict
			if tt.shipped {
				v = ShippedVerdict(arms, an, tt.opts)
			}
			if v.Status != StatusKeepRunning || !strings.HasSuffix(v.Text, tt.want) {
				t.Errorf("verdict %s %q\nwant %s ending %q", v.Status, v.Text, StatusKeepRunning, tt.want)
			}
			for _, no := range tt.wantNots {
				if strings.Contains(v.Text, no) {
					t.Errorf("verdict %q has %q", v.Text, no)
				}
			}
		})
	}

	// A variant already at 0% of the split gets no visitors to give the
	// others: the finding stays, the advice goes, or names the others.
	zero := labelledArms(arm("control", 100, 1000), arm("b", 107, 1000), arm("c", 55, 1000), arm("d", 57, 1000))
	for i, w := range []int{4000, 3000, 3000, 0} {
		zero[i].WeightBP = w
	}
	// The visitors since the split changed went as it says.
	an := Analyze(zero, Options{GoalNoun: "clicks", SplitExposures: []int64{400, 300, 300, 0}})
	if want := "keep the test running. Variant C and Variant D are far behind the original: a smaller share of the traffic for Variant C gets the others their answer sooner."; !strings.HasSuffix(an.Verdict.Text, want) {
		t.Errorf("one of two far behind at 0%%: verdict %q\nwant it to end %q", an.Verdict.Text, want)
	}
	zero[2].WeightBP, zero[1].WeightBP = 0, 6000
	an = Analyze(zero, Options{GoalNoun: "clicks", SplitExposures: []int64{400, 600, 0, 0}})
	if want := "keep the test running. Variant C and Variant D are far behind the original."; !strings.HasSuffix(an.Verdict.Text, want) {
		t.Errorf("both far behind at 0%%: verdict %q\nwant it to end %q", an.Verdict.Text, want)
	}

	close := labelledArms(arm("control", 100, 1000), arm("b", 107, 1000), arm("c", 101, 1000), arm("d", 90, 1000))
	if an := Analyze(close, Options{GoalNoun: "clicks"}); strings.Contains(an.Verdict.Text, "far behind") {
		t.Errorf("no variant far behind, verdict %q", an.Verdict.Text)
	}
}

// TestVerdictNamesEveryArmOfATie: when several arms share the best chance
// to be the best, the sentence names them all, not the first as if it
// led.
func TestVerdictNamesEveryArmOfATie(t *testing.T) {
	for _, tt := range []struct {
		name string
		arms []Arm
		want string
	}{
		{"all four", labelledArms(arm("control", 20, 200), arm("b", 20, 200), arm("c", 20, 200), arm("d", 20, 200)),
			"No clear leader yet on clicks (all 4 versions have the same 25% chance to be the best): keep the test running."},
		{"both of two", labelledArms(arm("control", 20, 200), arm("b", 20, 200)),
			"No clear leader yet on clicks (both versions have the same 50% chance to be the best)"},
		{"two of three", labelledArms(arm("control", 30, 200), arm("b", 30, 200), arm("c", 10, 200)),
			"No clear leader yet on clicks (the original and Variant B each have a 49% chance to be the best)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, Options{GoalNoun: "clicks"})
			if !strings.HasPrefix(an.Verdict.Text, tt.want) {
				t.Errorf("verdict %q\nwant it to start %q", an.Verdict.Text, tt.want)
			}
		})
	}
}
