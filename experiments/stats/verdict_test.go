package stats

import (
	"strings"
	"testing"
)

func TestVerdicts(t *testing.T) {
	labelled := func(arms ...Arm) []Arm {
		arms[0].Label = "the original"
		for i := 1; i < len(arms); i++ {
			arms[i].Label = "Variant " + strings.ToUpper(arms[i].Key)
		}
		return arms
	}
	opts := Options{GoalNoun: "sign-ups"}
	ended := Options{GoalNoun: "sign-ups", Ended: true}
	early := Options{GoalNoun: "sign-ups", Early: true}
	endedEarly := Options{GoalNoun: "sign-ups", Ended: true, Early: true}
	paused := Options{GoalNoun: "sign-ups", Paused: true}
	tests := []struct {
		name   string
		arms   []Arm
		opts   Options
		status string
		// contains lists fragments the sentence must hold; a function
		// gets the analysis for numbers that depend on it.
		contains func(an Analysis) []string
	}{
		{
			name:   "too few visitors",
			arms:   labelled(arm("control", 5, 50), arm("b", 6, 50)),
			opts:   opts,
			status: StatusNotEnoughData,
			// The minimum of 100 visitors a variant holds the verdict
			// back, not the visitors to detect a 10% change (the plan's).
			contains: func(Analysis) []string {
				return []string{"Not enough data yet: copylab calls a test once each variant has 100 visitors, so each variant needs 50 more."}
			},
		},
		{
			// A variant at 0% of traffic before it had its visitors: more
			// visitors would not settle anything, and the text says so.
			name: "a variant that gets no traffic",
			arms: func() []Arm {
				a := labelled(arm("control", 200, 2000), arm("b", 300, 2000), arm("c", 0, 0))
				a[0].WeightBP, a[1].WeightBP = 5000, 5000
				return a
			}(),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data, and there will not be: Variant C gets no traffic (0% of visitors)", "give Variant C a share of the traffic, or stop the test."}
			},
		},
		{
			name: "two variants that get no traffic",
			arms: func() []Arm {
				a := labelled(arm("control", 200, 2000), arm("b", 0, 0), arm("c", 0, 0))
				a[0].WeightBP = 10000
				return a
			}(),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Variant B and Variant C get no traffic", "give them a share"}
			},
		},
		{
			name:   "no visitors",
			arms:   labelled(arm("control", 0, 0), arm("b", 0, 0)),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data yet: no visitors have seen the test so far."}
			},
		},
		{
			name:   "no conversions: no guess",
			arms:   labelled(arm("control", 0, 500), arm("b", 0, 500)),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"no sign-ups so far, so there is no telling how many visitors", "at least 100 visitors"}
			},
		},
		{
			// The 10 conversions at the pooled rate (4 in 200): 250 a
			// variant, not the visitors to detect a 10% change.
			name:   "the original without conversions: the pooled rate",
			arms:   labelled(arm("control", 0, 100), arm("b", 4, 100)),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"the test has 4 of the 10 sign-ups copylab needs to call it; at the rate so far that takes roughly 150 more visitors per variant."}
			},
		},
		{
			name:   "too few conversions",
			arms:   labelled(arm("control", 2, 1000), arm("b", 3, 1000)),
			opts:   opts,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"the test has 5 of the 10 sign-ups copylab needs to call it; at the rate so far that takes roughly 1,000 more visitors per variant."}
			},
		},
		{
			name:   "minimum visitors decide",
			arms:   labelled(arm("control", 40, 90), arm("b", 45, 95)),
			opts:   Options{Threshold: 1},
			status: StatusNotEnoughData,
			// MinExposures decides: 100 − 90 and 100 − 95.
			contains: func(Analysis) []string {
				return []string{"each variant has 100 visitors, so the original needs 10 more and Variant B 5 more."}
			},
		},
		{
			name:   "nothing to compare",
			arms:   labelled(arm("control", 500, 5000)),
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"add at least one variant"}
			},
		},
		{
			name:   "broken split",
			arms:   labelled(arm("control", 500, 5000), arm("b", 540, 5400)),
			opts:   opts,
			status: StatusSRM,
			contains: func(Analysis) []string {
				return []string{"split is broken", "48.1% / 51.9%", "planned 50% / 50%", "can't be trusted yet"}
			},
		},
		{
			name:   "a winner",
			arms:   labelled(arm("control", 1000, 10000), arm("b", 1200, 10000), arm("c", 1010, 10000)),
			opts:   opts,
			status: StatusWinner,
			contains: func(an Analysis) []string {
				b := an.Variants[1]
				return []string{"Variant B lifts sign-ups by +20.0%",
					"95% interval " + SignedPercent(b.UpliftInterval.Low) + " to " + SignedPercent(b.UpliftInterval.High),
					FormatProbability(b.ProbBest) + " chance it is the best", "Ship it."}
			},
		},
		{
			name:   "a winner from nothing",
			arms:   labelled(arm("control", 0, 1000), arm("b", 30, 1000)),
			opts:   opts,
			status: StatusWinner,
			contains: func(Analysis) []string {
				return []string{"Variant B wins on sign-ups", "converting 3.00% of visitors", "none for the original", ">99% chance", "Ship it."}
			},
		},
		{
			name:   "the original wins",
			arms:   labelled(arm("control", 1200, 10000), arm("b", 1000, 10000), arm("c", 1050, 10000)),
			opts:   opts,
			status: StatusControlWins,
			contains: func(an Analysis) []string {
				return []string{"Keep the original", "none of the new copy beats it on sign-ups", FormatProbability(an.Variants[0].ProbBest) + " chance the original is the best"}
			},
		},
		{
			name:   "copy is not the issue",
			arms:   labelled(arm("control", 50000, 500000), arm("b", 50100, 500000), arm("c", 49950, 500000)),
			opts:   opts,
			status: StatusNoMeaningfulDifference,
			contains: func(Analysis) []string {
				return []string{"Copy isn't the issue here", "within ±10% of the original on sign-ups"}
			},
		},
		{
			name:   "a custom threshold",
			arms:   labelled(arm("control", 5000, 50000), arm("b", 5100, 50000)),
			opts:   Options{Threshold: 0.08},
			status: StatusNoMeaningfulDifference,
			contains: func(Analysis) []string {
				return []string{"within ±8% of the original on conversions"}
			},
		},
		{
			name:   "too early to call",
			arms:   labelled(arm("control", 100, 1000), arm("b", 120, 1000)),
			opts:   opts,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"Variant B is ahead on sign-ups", "+20.0% against the original", "92% chance it is the best", "too early to call"}
			},
		},
		{
			// Ahead by less than the rounding: words, not "±0.0% against";
			// and a 50% chance to be the best is no lead at all
			// (ClearLead).
			name:   "ahead by a hair",
			arms:   labelled(arm("control", 300, 3000), arm("b", 300, 2999)),
			opts:   opts,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"No clear leader yet on sign-ups (Variant B is within 0.1% of the original, with a " + FormatProbability(an.Variants[1].ProbBest) + " chance it is the best)"}
			},
		},
		{
			name:   "the original ahead",
			arms:   labelled(arm("control", 120, 1000), arm("b", 100, 1000), arm("c", 105, 1000)),
			opts:   opts,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"The original is ahead on sign-ups", FormatProbability(an.Variants[0].ProbBest) + " chance", "keep the test running"}
			},
		},
		// A paused test gets no visitors until it is resumed: the
		// sentence that would say to keep it running says to resume it,
		// as the results page's heading does.
		{
			name:   "paused too early to call",
			arms:   labelled(arm("control", 100, 1000), arm("b", 120, 1000)),
			opts:   paused,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"Variant B is ahead on sign-ups (+20.0% against the original, 92% chance it is the best), but it is too early to call: resume the test to reach a verdict."}
			},
		},
		{
			name:   "paused with the original ahead",
			arms:   labelled(arm("control", 120, 1000), arm("b", 100, 1000), arm("c", 105, 1000)),
			opts:   paused,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"The original is ahead on sign-ups (" + FormatProbability(an.Variants[0].ProbBest) + " chance it is the best), but it is too early to call: resume the test to reach a verdict."}
			},
		},
		{
			// An answer needs no more visitors: pausing changes no word.
			name:   "paused with a winner",
			arms:   labelled(arm("control", 100, 2000), arm("b", 160, 2000)),
			opts:   paused,
			status: StatusWinner,
			contains: func(an Analysis) []string {
				return []string{"Variant B lifts sign-ups by", "Ship it."}
			},
		},
		{
			name:   "paused with no visitors",
			arms:   labelled(arm("control", 0, 0), arm("b", 0, 0)),
			opts:   paused,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data yet: no visitors have seen the test so far; resume the test to let them in."}
			},
		},
		{
			name:   "paused with no conversions",
			arms:   labelled(arm("control", 0, 500), arm("b", 0, 500)),
			opts:   paused,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"and the test 10 sign-ups; resume the test to get them."}
			},
		},
		{
			name:   "paused with too few visitors",
			arms:   labelled(arm("control", 2, 1000), arm("b", 3, 1000)),
			opts:   paused,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"roughly 1,000 more visitors per variant; resume the test to get them."}
			},
		},
		{
			// Stopped wins over paused: nothing resumes a stopped test.
			name:   "stopped and paused too early to call",
			arms:   labelled(arm("control", 100, 1000), arm("b", 120, 1000)),
			opts:   Options{GoalNoun: "sign-ups", Ended: true, Paused: true},
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"but the test stopped before it could be called: no clear answer."}
			},
		},
		// A stopped test gets no more visitors: the sentences that would
		// say to wait say what the stop means, with the same numbers.
		{
			name:   "stopped too early to call",
			arms:   labelled(arm("control", 100, 1000), arm("b", 120, 1000)),
			opts:   ended,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"Variant B was ahead on sign-ups (+20.0% against the original, 92% chance it is the best), but the test stopped before it could be called: no clear answer. Duplicate it to run it again for longer."}
			},
		},
		{
			name:   "stopped with the original ahead",
			arms:   labelled(arm("control", 120, 1000), arm("b", 100, 1000), arm("c", 105, 1000)),
			opts:   ended,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{"The original was ahead on sign-ups (" + FormatProbability(an.Variants[0].ProbBest) + " chance it is the best), but the test stopped before it could be called"}
			},
		},
		{
			name:   "stopped with too few visitors",
			arms:   labelled(arm("control", 5, 50), arm("b", 6, 50)),
			opts:   ended,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data: copylab calls a test once each variant has 100 visitors, and the test stopped with each variant at 50."}
			},
		},
		{
			name:   "stopped with a broken split",
			arms:   labelled(arm("control", 500, 5000), arm("b", 540, 5400)),
			opts:   ended,
			status: StatusSRM,
			contains: func(Analysis) []string {
				return []string{"The traffic split was broken (visitors went 48.1% / 51.9% instead of the planned 50% / 50%), so these results can't be trusted: check how the tag is installed before running the test again."}
			},
		},
		// A test too young to act on: the same numbers, no call to act.
		{
			name:   "an early lead",
			arms:   labelled(arm("control", 1000, 10000), arm("b", 1200, 10000), arm("c", 1010, 10000)),
			opts:   early,
			status: StatusWinner,
			contains: func(an Analysis) []string {
				b := an.Variants[1]
				return []string{"Variant B lifts sign-ups by +20.0% so far (95% interval " + UpliftRange(b.UpliftInterval.Low, b.UpliftInterval.High) +
					"); " + FormatProbability(b.ProbBest) + " chance it is the best, but it is too early to call."}
			},
		},
		{
			name:   "an early lead from nothing",
			arms:   labelled(arm("control", 0, 1000), arm("b", 30, 1000)),
			opts:   early,
			status: StatusWinner,
			contains: func(Analysis) []string {
				return []string{"Variant B leads on sign-ups so far, converting 3.00% of visitors against none for the original; >99% chance it is the best, but it is too early to call."}
			},
		},
		{
			name:   "the original ahead early",
			arms:   labelled(arm("control", 1200, 10000), arm("b", 1000, 10000), arm("c", 1050, 10000)),
			opts:   early,
			status: StatusControlWins,
			contains: func(an Analysis) []string {
				return []string{"The original is ahead: none of the new copy beats it on sign-ups so far (" + FormatProbability(an.Variants[0].ProbBest) + " chance the original is the best), but it is too early to call."}
			},
		},
		{
			name:   "no difference early",
			arms:   labelled(arm("control", 50000, 500000), arm("b", 50100, 500000), arm("c", 49950, 500000)),
			opts:   early,
			status: StatusNoMeaningfulDifference,
			contains: func(Analysis) []string {
				return []string{"Every variant is within ±10% of the original on sign-ups so far, but it is too early to rule the copy out."}
			},
		},
		{
			name:   "stopped early with a lead",
			arms:   labelled(arm("control", 1000, 10000), arm("b", 1200, 10000)),
			opts:   endedEarly,
			status: StatusWinner,
			contains: func(an Analysis) []string {
				b := an.Variants[1]
				return []string{"Variant B lifted sign-ups by +20.0% (95% interval " + UpliftRange(b.UpliftInterval.Low, b.UpliftInterval.High) +
					"); " + FormatProbability(b.ProbBest) + " chance it is the best, but the test stopped too early to be sure."}
			},
		},
		{
			name:   "stopped early from nothing",
			arms:   labelled(arm("control", 0, 1000), arm("b", 30, 1000)),
			opts:   endedEarly,
			status: StatusWinner,
			contains: func(Analysis) []string {
				return []string{"Variant B led on sign-ups, converting 3.00% of visitors against none for the original; >99% chance it is the best, but the test stopped too early to be sure."}
			},
		},
		{
			name:   "stopped early with the original ahead",
			arms:   labelled(arm("control", 1200, 10000), arm("b", 1000, 10000)),
			opts:   endedEarly,
			status: StatusControlWins,
			contains: func(an Analysis) []string {
				return []string{"The original was ahead: none of the new copy beat it on sign-ups (" + FormatProbability(an.Variants[0].ProbBest) + " chance the original is the best), but the test stopped too early to be sure."}
			},
		},
		{
			name:   "stopped early with no difference",
			arms:   labelled(arm("control", 50000, 500000), arm("b", 50100, 500000)),
			opts:   endedEarly,
			status: StatusNoMeaningfulDifference,
			contains: func(Analysis) []string {
				return []string{"Every variant was within ±10% of the original on sign-ups, but the test stopped too early to rule the copy out."}
			},
		},
		{
			// Early changes only the answers: a lead that is not one yet
			// reads as without it.
			name:   "early and too early to call",
			arms:   labelled(arm("control", 100, 1000), arm("b", 120, 1000)),
			opts:   early,
			status: StatusKeepRunning,
			contains: func(an Analysis) []string {
				return []string{Analyze(labelled(arm("control", 100, 1000), arm("b", 120, 1000)), opts).Verdict.Text}
			},
		},
		{
			name:   "stopped before any visitor",
			arms:   labelled(arm("control", 0, 0), arm("b", 0, 0)),
			opts:   ended,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data: the test stopped before any visitor saw it."}
			},
		},
		{
			name:   "stopped before any conversion",
			arms:   labelled(arm("control", 0, 500), arm("b", 0, 500)),
			opts:   ended,
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data: the test stopped with no sign-ups, so there is no telling how many visitors it needed", "at least 100 visitors, and the test 10 sign-ups."}
			},
		},
		{
			name:   "stopped with nothing to compare",
			arms:   labelled(arm("control", 500, 5000)),
			opts:   Options{Ended: true},
			status: StatusNotEnoughData,
			contains: func(Analysis) []string {
				return []string{"Not enough data: the test stopped with no variant"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.arms, tt.opts)
			if an.Verdict.Status != tt.status {
				t.Fatalf("status %q, want %q: %s", an.Verdict.Status, tt.status, an.Verdict.Text)
			}
			for _, frag := range tt.contains(an) {
				if !strings.Contains(an.Verdict.Text, frag) {
					t.Errorf("text %q lacks %q", an.Verdict.Text, frag)
				}
			}
			// One sentence, ending in a full stop (the winner's "Ship it."
			// and the stopped test's "Duplicate it …" codas aside).
			text := strings.TrimSuffix(an.Verdict.Text, " Ship it.")
			text = strings.TrimSuffix(text, " Duplicate it to run it again for longer.")
			if strings.Contains(text, ". ") || !strings.HasSuffix(text, ".") {
				t.Errorf("not one sentence: %q", an.Verdict.Text)
			}
			// Nothing tells a test too young to act on to act.
			if tt.opts.Early {
				for _, act := range []string{"Ship it", "Keep the original", "Copy isn't the issue"} {
					if strings.Contains(an.Verdict.Text, act) {
						t.Errorf("early test's text %q says %q", an.Verdict.Text, act)
					}
				}
			}
			// Nothing tells a paused test to keep running.
			if tt.opts.Paused && strings.Contains(an.Verdict.Text, "keep the test running") {
				t.Errorf("paused test's text %q says to keep the test running", an.Verdict.Text)
			}
			// Nothing tells a stopped test to wait.
			if tt.opts.Ended {
				for _, wait := range []string{"yet", "keep the test running", "so far"} {
					if strings.Contains(an.Verdict.Text, wait) {
						t.Errorf("stopped test's text %q says %q", an.Verdict.Text, wait)
					}
				}
			}
			t.Log(an.Verdict.Text)
		})
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct{ got, want string }{
		// Thresholds: as the form shows them.
		{FormatThreshold(0.2), "20%"},
		{FormatThreshold(0.125), "12.5%"},
		{FormatThreshold(0.0225), "2.25%"},
		{FormatThreshold(0.02), "2%"},
		{percent(-0.2), "−20%"},
		{percent(-0.00004), "0%"},
		// Rates: three significant digits, at most two decimals, zeros kept.
		{FormatRate(0.0793), "7.93%"},
		{FormatRate(0.05), "5.00%"},
		{FormatRate(0.125), "12.5%"},
		{FormatRate(0.12), "12.0%"},
		{FormatRate(0.09996), "10.0%"},
		{FormatRate(0.0042), "0.42%"},
		{FormatRate(1), "100%"},
		{FormatRate(0), "0.00%"},
		{FormatRate(0.00002), "<0.01%"},
		{RateRange(0.0771, 0.082), "7.71% to 8.20%"},
		{RateRange(0.094, 0.1062), "9.40% to 10.6%"},
		// Uplifts: signed, one decimal.
		{SignedPercent(0.331), "+33.1%"},
		{SignedPercent(0.04), "+4.0%"},
		{SignedPercent(-0.065), "−6.5%"},
		{SignedPercent(2.4531), "+245.3%"},
		{SignedPercent(-0.0004), "±0.0%"},
		{SignedPercent(0), "±0.0%"},
		{UpliftRange(-0.021, 0.27), "−2.1% to +27.0%"},
		// An interval's end keeps its sign when it rounds to zero: it says
		// whether the interval reaches no change at all.
		{UpliftRange(0.0004, 0.123), "+0.0% to +12.3%"},
		{UpliftRange(-0.0004, 0.123), "−0.0% to +12.3%"},
		{UpliftRange(0, 0.123), "±0.0% to +12.3%"},
		{UpliftRange(-0.2, -0.0003), "−20.0% to −0.0%"},
		// Shares: one decimal, all or none only when it is.
		{FormatShare(0.481), "48.1%"},
		{FormatShare(0.5), "50%"},
		{FormatShare(0.9997), ">99.9%"},
		{FormatShare(1), "100%"},
		{FormatShare(0.0003), "<0.1%"},
		{FormatShare(0), "0%"},
		{FormatProbability(0.9731), "97%"},
		{FormatProbability(0.9493), "94%"}, // never rounded up to the 95% a winner needs
		{FormatProbability(0.9912), ">99%"},
		{FormatProbability(0.99), "99%"},
		{FormatProbability(0.9996), ">99%"},
		{FormatProbability(0.29), "29%"},
		{FormatProbability(0.001), "<1%"},
		{FormatProbability(0), "0%"},
		{FormatCount(2437), "2,437"},
		{FormatCount(1234567), "1,234,567"},
		{FormatCount(999), "999"},
		{FormatCount(RoundUpCount(2437)), "2,500"},
		{FormatCount(RoundUpCount(14751)), "15,000"},
		{FormatCount(RoundUpCount(7)), "7"},
		{capitalise("variant b"), "Variant b"},
		{capitalise("élan"), "Élan"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestVerdictsEndedDecided checks that stopping a test changes no word of
// a verdict that needs no more visitors, once it was old enough to act on
// (a broken split's sentence drops its "yet": see TestVerdicts).
func TestVerdictsEndedDecided(t *testing.T) {
	tests := []struct {
		name string
		arms []Arm
	}{
		{"a winner", []Arm{arm("control", 1000, 10000), arm("b", 1200, 10000)}},
		{"the original wins", []Arm{arm("control", 1200, 10000), arm("b", 1000, 10000)}},
		{"copy is not the issue", []Arm{arm("control", 50000, 500000), arm("b", 50100, 500000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			running := Analyze(tt.arms, Options{}).Verdict
			ended := Analyze(tt.arms, Options{Ended: true}).Verdict
			if ended != running {
				t.Errorf("stopped: %+v, running: %+v", ended, running)
			}
		})
	}
}
