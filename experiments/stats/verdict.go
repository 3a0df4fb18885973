package stats

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The verdict statuses of the spec.
const (
	StatusNotEnoughData          = "not_enough_data"
	StatusSRM                    = "srm"
	StatusWinner                 = "winner"
	StatusControlWins            = "control_wins"
	StatusNoMeaningfulDifference = "no_meaningful_difference"
	StatusKeepRunning            = "keep_running"
)

const (
	// MinExposures is the fewest visitors every variant needs before the
	// page gives any verdict but not_enough_data.
	MinExposures = 100
	// MinConversions is the fewest conversions, over all variants, needed
	// for the same.
	MinConversions = 10
	// DecisionProb is the posterior probability a variant must reach to be
	// called the winner (with the same probability of beating the control),
	// or for the control to be called best.
	DecisionProb = 0.95
)

// verdict picks the status and writes its sentence. The checks run in this
// order, and the first that applies wins:
//
//  1. not_enough_data when there is nothing to compare (fewer than two
//     arms);
//  2. srm when the split is broken. This comes before the data check on
//     purpose: the spec says a flagged experiment's verdict says the split
//     is broken, and a broken split does not heal with more traffic, so
//     "wait for more visitors" would be the wrong advice. At p < 0.001 the
//     chi-square test is trustworthy even at small counts;
//  3. not_enough_data when some variant has fewer than MinExposures visitors
//     or all together have fewer than MinConversions conversions. Its
//     sentence says what is missing: a variant with no share of the
//     traffic that never gets its visitors (and what the others already
//     show); the visitors each short variant lacks, and whether the
//     difference so far is already large (minimumText); or, once every
//     variant has MinExposures, the conversions the test has and roughly
//     how many more visitors the rest take (conversionsText);
//  4. winner, then control_wins: a decisive result is worth acting on even
//     when the effect is small, and the two cannot both hold because the
//     ProbBest values sum to 1. The status follows the spec's one-sided
//     rule, but the sentence does not call flatly what the two-sided
//     interval beside it leaves open (winnerDoubt, controlDoubt), nor a
//     win among several new versions that chance alone may explain
//     (byChance, the Holm-adjusted p-value): it says the answer is
//     probable and leaves the choice (Verdict.Unsure);
//  5. no_meaningful_difference when every variant's uplift interval lies
//     within ± the practical threshold, the honest way to say the copy is
//     not what moves the number;
//  6. keep_running otherwise: when several variants clearly beat the
//     control (each past DecisionProb) it says so and that which of them
//     is best is open, else which is ahead, or, when no arm is a clear
//     leader (ClearLead), that there is none yet.
//
// Once the test has ended (opts.Ended) no more visitors come, so the
// not_enough_data and keep_running sentences say that the test stopped too
// soon instead of telling to wait, and the srm one drops its "yet". While
// the test is paused (opts.Paused) no visitors come either, until it is
// resumed: the keep_running and not_enough_data sentences say to resume it.
// While the test is too young to act on (opts.Early), the winner,
// control_wins and no_meaningful_difference sentences give the numbers
// without the call to act ("Ship it.", "Keep the original"); the statuses
// stay the same. A reader who cannot act on the test (opts.ReadOnly) is
// told what its state means and what the team can do (TeamCan,
// PausedReadOnly) where the team is told to act; advice anyone can pass
// on ("Ship it.", "keep the test running") stays. A shipped test
// (ShippedVerdict) is told no action at all.
func verdict(arms []Arm, an Analysis, opts Options) Verdict {
	return verdictFor(arms, an, opts, false)
}

// ShippedVerdict is the verdict of a test that was shipped, from the
// Analysis of its arms (Analyze with opts): the same status, Unsure and
// findings, but no advice to act. A shipped test is over for good and
// shows the shipped copy to every visitor, so whatever the stop left to
// do (duplicate it to run it again for longer, check the tag before
// running it again, ship the winner, keep the original) is moot or
// already decided, and on a share link "The team can run it again for
// longer." reads as if nothing had been done. The sentence says what the
// test found and stops; the results panel says what was shipped and when.
func ShippedVerdict(arms []Arm, an Analysis, opts Options) Verdict {
	if opts.Threshold <= 0 || math.IsNaN(opts.Threshold) {
		opts.Threshold = DefaultThreshold
	}
	if opts.GoalNoun == "" {
		opts.GoalNoun = "conversions"
	}
	opts.Ended, opts.Paused = true, false
	return verdictFor(normalised(arms), an, opts, true)
}

// verdictFor is verdict, and ShippedVerdict's when shipped is set.
func verdictFor(arms []Arm, an Analysis, opts Options, shipped bool) Verdict {
	goal := opts.GoalNoun
	if len(arms) < 2 {
		if opts.Ended {
			return Verdict{Status: StatusNotEnoughData,
				Text: "Not enough data: the test stopped with no variant to compare against the original."}
		}
		return Verdict{Status: StatusNotEnoughData,
			Text: "Not enough data yet: add at least one variant to test against the original."}
	}
	control := arms[0]
	vs := an.Variants

	if an.SRM.Flagged {
		// The split the check tested: after a split change, only the
		// visitors who came since (the mixed totals would misquote it).
		tested := splitArms(arms, opts.SplitExposures)
		// No "yet" once it has stopped: more visitors will not come to
		// fix it.
		is, yet, check, before := "is", " yet", "check how the tag is installed", " before reading anything into them"
		if opts.Ended {
			is, yet, before = "was", "", " before running the test again"
		}
		broken := fmt.Sprintf("The traffic split %s broken (visitors went %s instead of the planned %s), so these results can't be trusted%s",
			is, observedSplit(tested), plannedSplit(tested), yet)
		switch {
		case shipped:
			return Verdict{Status: StatusSRM, Text: broken + "."}
		case opts.ReadOnly && opts.Ended:
			return Verdict{Status: StatusSRM, Text: broken + ". " + TeamCan(check+before)}
		case opts.ReadOnly:
			// Without "before reading anything into them": "can't be
			// trusted yet" tells them as much.
			return Verdict{Status: StatusSRM, Text: broken + ". " + TeamCan(check)}
		}
		return Verdict{Status: StatusSRM, Text: broken + ": " + check + before + "."}
	}

	if unfed := an.Need.Unfed; len(unfed) > 0 && !opts.Ended {
		// More visitors would never help: these arms get none.
		var starved []string
		for _, i := range unfed {
			starved = append(starved, arms[i].Label)
		}
		get, them := "gets", "it"
		if len(starved) > 1 {
			get, them = "get", "them"
		}
		never := fmt.Sprintf("Not enough data, and there will not be: %s %s no traffic (0%% of visitors), and every variant needs at least %s visitors",
			andList(starved), get, FormatCount(MinExposures))
		// What the variants that do get traffic already show is not
		// hidden behind the one that never will: the status stays
		// not_enough_data (the spec's rule), the sentence says it.
		if beat := clearBeaters(arms, an, unfed); len(beat) > 0 {
			never += ", though " + beatText(arms, vs, beat, " so far")
			them = andList(starved)
		}
		act := "give " + them + " a share of the traffic, or stop the test"
		if opts.ReadOnly {
			return Verdict{Status: StatusNotEnoughData, Text: never + ". " + TeamCan(act)}
		}
		return Verdict{Status: StatusNotEnoughData, Text: never + "; " + act + "."}
	}
	if more := an.Need.more; more != 0 {
		// A paused test gets none of what it needs until it is resumed.
		resume, welcome := "", ""
		switch {
		case opts.Paused && opts.ReadOnly:
			resume, welcome = "; "+PausedReadOnly, "; "+PausedReadOnly
		case opts.Paused:
			resume, welcome = "; resume the test to get them", "; resume the test to let them in"
		}
		switch {
		case more == noVisitorsYet && opts.Ended:
			return Verdict{Status: StatusNotEnoughData, Text: "Not enough data: the test stopped before any visitor saw it."}
		case more == noVisitorsYet:
			return Verdict{Status: StatusNotEnoughData, Text: "Not enough data yet: no visitors have seen the test so far" + welcome + "."}
		case more == noConversionsYet && opts.Ended:
			return Verdict{Status: StatusNotEnoughData, Text: fmt.Sprintf(
				"Not enough data: the test stopped with no %s, so there is no telling how many visitors it needed; each variant needs at least %s visitors, and the test %s %s.",
				goal, FormatCount(MinExposures), FormatCount(MinConversions), goal)}
		case more == noConversionsYet:
			return Verdict{Status: StatusNotEnoughData, Text: fmt.Sprintf(
				"Not enough data yet: no %s so far, so there is no telling how many visitors the test needs; each variant needs at least %s visitors, and the test %s %s%s.",
				goal, FormatCount(MinExposures), FormatCount(MinConversions), goal, resume)}
		}
		if least := leastExposures(arms); least < MinExposures {
			return Verdict{Status: StatusNotEnoughData, Text: minimumText(arms, an, opts)}
		}
		return Verdict{Status: StatusNotEnoughData, Text: conversionsText(arms, an, opts)}
	}

	// The three answers. While the test is too young to act on
	// (opts.Early), each says what the numbers show so far and that it is
	// too early to act on them, never "Ship it" or "Keep the original";
	// once it has ended early, that it stopped too early to be sure.
	early := ""
	switch {
	case opts.Early && opts.Ended:
		early = "but the test stopped too early to be sure."
	case opts.Early:
		early = "but it is too early to call."
	}
	for i := 1; i < len(vs); i++ {
		if v := vs[i]; v.ProbBest >= DecisionProb && *v.ProbBeatControl >= DecisionProb {
			doubt, chance := winnerDoubt(v, opts.Threshold), byChance(vs, v)
			out := winnerVerdict(arms, i, v, doubt, chance, early, opts, shipped)
			out.Unsure = doubt != "" || chance != ""
			out.Lead, out.Leads = i, true
			return out
		}
	}

	if vs[0].ProbBest >= DecisionProb {
		open := controlDoubt(vs)
		out := controlVerdict(arms, vs, open, early, opts, shipped)
		out.Unsure = open > 0
		out.Lead, out.Leads = 0, true
		return out
	}

	if allWithin(vs[1:], opts.Threshold) {
		switch {
		case early != "" && opts.Ended:
			return Verdict{Status: StatusNoMeaningfulDifference, Text: fmt.Sprintf(
				"Every variant was within ±%s of %s on %s, but the test stopped too early to rule the copy out.",
				percent(opts.Threshold), control.Label, goal)}
		case early != "":
			return Verdict{Status: StatusNoMeaningfulDifference, Text: fmt.Sprintf(
				"Every variant is within ±%s of %s on %s so far, but it is too early to rule the copy out.",
				percent(opts.Threshold), control.Label, goal)}
		}
		return Verdict{Status: StatusNoMeaningfulDifference, Text: fmt.Sprintf(
			"Copy isn't the issue here: every variant is within ±%s of %s on %s, so look beyond the wording to move them.",
			percent(opts.Threshold), control.Label, goal)}
	}

	// From here on the status is keep_running: a variant already far
	// behind the original is named after the sentence (behindNote).
	v := keepRunning(arms, vs, opts, shipped, early)
	v.Text += behindNote(arms, vs, opts, shipped)
	return v
}

// keepRunning is the keep_running verdict of verdictFor, without
// behindNote.
func keepRunning(arms []Arm, vs []VariantResult, opts Options, shipped bool, early string) Verdict {
	goal, control := opts.GoalNoun, arms[0]
	// Several variants clearly beat the original, none is yet clearly
	// the best: the leader's chance to be best alone ("65% chance") would
	// hide that the original is beaten.
	var beat []int
	for i := 1; i < len(vs); i++ {
		if *vs[i].ProbBeatControl >= DecisionProb {
			beat = append(beat, i)
		}
	}
	if len(beat) > 1 {
		both := beatText(arms, vs, beat, " on "+goal)
		const open = "; which of them is best is too early to call: "
		const stopped = ", but the test stopped before it could tell which of them is best. "
		switch {
		case shipped:
			return Verdict{Status: StatusKeepRunning, Text: both + strings.TrimSuffix(stopped, " ")}
		case opts.Ended && opts.ReadOnly:
			return Verdict{Status: StatusKeepRunning, Text: both + stopped + TeamCan(RunAgain)}
		case opts.Ended:
			return Verdict{Status: StatusKeepRunning, Text: both + stopped + "Duplicate it to " + RunAgain + "."}
		case opts.Paused && opts.ReadOnly:
			return Verdict{Status: StatusKeepRunning, Text: both + open + PausedReadOnly + "."}
		case opts.Paused:
			return Verdict{Status: StatusKeepRunning, Text: both + open + "resume the test to reach a verdict."}
		}
		return Verdict{Status: StatusKeepRunning, Text: both + open + "keep the test running."}
	}

	lead := 0
	for i, v := range vs {
		if v.ProbBest > vs[lead].ProbBest {
			lead = i
		}
	}
	if !ClearLead(probBests(vs), lead) {
		return Verdict{Status: StatusKeepRunning, Text: noClearLeader(arms, vs, lead, opts, shipped)}
	}
	is, call := "is", "but it is too early to call: keep the test running."
	switch {
	case shipped:
		is, call = "was", "but the test stopped before it could be called: no clear answer."
	case opts.Ended && opts.ReadOnly:
		is, call = "was", "but the test stopped before it could be called: no clear answer. "+TeamCan(RunAgain)
	case opts.Ended:
		is, call = "was", "but the test stopped before it could be called: no clear answer. Duplicate it to "+RunAgain+"."
	case opts.Paused && opts.ReadOnly:
		// Whoever reads a share link cannot resume it: say what the
		// pause means for the numbers instead.
		call = "but it is too early to call: " + PausedReadOnly + "."
	case opts.Paused:
		// No visitors come while it is paused: keeping it as it is
		// never reaches an answer (the results page heads it "Resume the
		// test to reach a verdict").
		call = "but it is too early to call: resume the test to reach a verdict."
	}
	if lead == 0 || vs[lead].Uplift == nil {
		return Verdict{Status: StatusKeepRunning, Lead: lead, Leads: true, Text: fmt.Sprintf(
			"%s %s ahead on %s (%s chance it is the best), %s",
			capitalise(arms[lead].Label), is, goal, FormatProbability(vs[lead].ProbBest), call)}
	}
	against := SignedPercent(*vs[lead].Uplift) + " against " + control.Label
	if strings.HasPrefix(against, "±") {
		// Closer than the uplift's rounding: say so in words, not ±0.0%.
		against = "within 0.1% of " + control.Label
	}
	return Verdict{Status: StatusKeepRunning, Lead: lead, Leads: true, Text: fmt.Sprintf(
		"%s %s ahead on %s (%s, %s chance it is the best), %s",
		capitalise(arms[lead].Label), is, goal, against,
		FormatProbability(vs[lead].ProbBest), call)}
}

// behindNote names, after a keep_running sentence, the variants already
// far behind the original (farFrom: their uplift interval wholly below the
// practical threshold), " Variant D is far behind the original: …", and
// while the team can act, what showing them still costs: every visitor
// one of them gets is one the others' answer waits for. The finding
// alone for a reader who cannot act, and in the past once the test has
// stopped or shipped; "" when no variant is that far behind.
//
// The advice names only the variants that still get a share of the split:
// one set to 0% gets no visitors to give the others.
func behindNote(arms []Arm, vs []VariantResult, opts Options, shipped bool) string {
	_, behind := farFrom(arms, vs, opts.Threshold)
	if len(behind) == 0 {
		return ""
	}
	is := "is"
	if len(behind) > 1 {
		is = "are"
	}
	if opts.Ended || shipped {
		is = map[string]string{"is": "was", "are": "were"}[is]
	}
	note := " " + capitalise(andList(behind)) + " " + is + " far behind " + arms[0].Label
	if opts.Ended || shipped || opts.ReadOnly {
		return note + "."
	}
	var fed []string
	for i, a := range arms[1:] {
		if slices.Contains(behind, a.Label) && getsTraffic(arms, i+1) {
			fed = append(fed, a.Label)
		}
	}
	switch {
	case len(fed) == 0:
		return note + "."
	case len(fed) == len(behind) && len(fed) == 1:
		return note + ": a smaller share of the traffic for it gets the others their answer sooner."
	case len(fed) == len(behind):
		return note + ": a smaller share of the traffic for them gets the others their answer sooner."
	}
	return note + ": a smaller share of the traffic for " + andList(fed) + " gets the others their answer sooner."
}

// getsTraffic tells whether arms[i] has a share of the planned split: a
// weight above zero, or no arm has one (an equal split, as srmTest reads
// it).
func getsTraffic(arms []Arm, i int) bool {
	for _, a := range arms {
		if a.WeightBP > 0 {
			return arms[i].WeightBP > 0
		}
	}
	return true
}

// LeadOdds is how many times likelier to be the best the arm in the lead
// must be than the runner-up before the results say it is ahead (or
// leads) while the test runs on. Below it the lead is a toss-up, and the
// verdict says there is no clear leader yet, as the experiments list does.
//
// The bar is set against the runner-up, not as a fixed chance, because
// the even split of k arms is 1/k: a fixed 2/3 suits two arms but is out
// of reach for a real lead among five (a variant at 50% against 12.5% for
// each of the others), while a bar just above 1/k would let a near tie
// between two of several arms (49% against 43%) pass as a lead. Odds of
// 2 to 1 over the runner-up are 2/3 with two arms, and with k arms they
// imply a chance of at least 2/(k+1), always above the even share 1/k.
const LeadOdds = 2

// ClearLead reports whether the arm at lead, of arms whose chances to be
// the best are probBest, is a clear leader (LeadOdds): its chance is at
// least LeadOdds times every other arm's.
func ClearLead(probBest []float64, lead int) bool {
	if lead < 0 || lead >= len(probBest) {
		return false
	}
	for i, p := range probBest {
		if i != lead && probBest[lead] < LeadOdds*p {
			return false
		}
	}
	return true
}

// probBests is each variant's chance to be the best, for ClearLead.
func probBests(vs []VariantResult) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v.ProbBest
	}
	return out
}

// noClearLeader is the keep_running sentence when the arm most likely to
// be the best, vs[lead], is no clear leader (ClearLead): it says so first,
// then where that arm stands, so that a toss-up never reads as a lead
// ("Variant B is ahead … 52% chance"), and then what the test's state
// leaves to do.
func noClearLeader(arms []Arm, vs []VariantResult, lead int, opts Options, shipped bool) string {
	ended := opts.Ended || shipped
	yet, is, has, have := " yet", "is", "has", "have"
	if ended {
		yet, is, has, have = "", "was", "had", "had"
	}
	chance := FormatProbability(vs[lead].ProbBest) + " chance it is the best"
	// The arms whose chance reads the same as the lead's: at a tie the
	// first of them would read as if it led.
	var tied []string
	for i, v := range vs {
		if FormatProbability(v.ProbBest) == FormatProbability(vs[lead].ProbBest) {
			tied = append(tied, arms[i].Label)
		}
	}
	var standing string
	switch {
	case len(tied) == 2 && len(arms) == 2:
		standing = fmt.Sprintf("both versions %s the same %s chance to be the best", have, FormatProbability(vs[lead].ProbBest))
	case len(tied) == len(arms):
		standing = fmt.Sprintf("all %d versions %s the same %s chance to be the best", len(arms), have, FormatProbability(vs[lead].ProbBest))
	case len(tied) > 1:
		standing = fmt.Sprintf("%s each %s a %s chance to be the best", andList(tied), have, FormatProbability(vs[lead].ProbBest))
	case lead == 0 || vs[lead].Uplift == nil:
		standing = fmt.Sprintf("%s %s a %s", arms[lead].Label, has, chance)
	case SignedPercent(*vs[lead].Uplift) == SignedPercent(0):
		// Closer than the uplift's rounding: say so in words, not ±0.0%.
		standing = fmt.Sprintf("%s %s within 0.1%% of %s, with a %s", arms[lead].Label, is, arms[0].Label, chance)
	default:
		standing = fmt.Sprintf("%s %s %s against %s, with a %s", arms[lead].Label, is, SignedPercent(*vs[lead].Uplift), arms[0].Label, chance)
	}
	text := fmt.Sprintf("No clear leader%s on %s (%s)", yet, opts.GoalNoun, standing)
	const stopped = ": the test stopped before it could be called."
	switch {
	case shipped:
		return text + stopped
	case opts.Ended && opts.ReadOnly:
		return text + stopped + " " + TeamCan(RunAgain)
	case opts.Ended:
		return text + stopped + " Duplicate it to " + RunAgain + "."
	case opts.Paused && opts.ReadOnly:
		return text + ": " + PausedReadOnly + "."
	case opts.Paused:
		return text + ": resume the test to reach a verdict."
	}
	return text + ": keep the test running."
}

// The doubts of a called winner (winnerDoubt).
const (
	doubtNoGain = "no gain"
	doubtSmall  = "small"
)

// winnerDoubt says why a winner called by the spec's rule is still open
// to doubt: the rule is one-sided (a 95% chance to beat the control), the
// uplift interval the page shows two-sided, so between a 95% and a 97.5%
// chance that interval still includes no gain (doubtNoGain); or its lift
// is within the practical threshold, a gain too small to matter
// (doubtSmall). "" when neither: the interval clears zero and the lift
// clears the threshold.
func winnerDoubt(v VariantResult, threshold float64) string {
	switch {
	case v.UpliftInterval != nil && v.UpliftInterval.Low <= 0:
		return doubtNoGain
	case v.Uplift != nil && *v.Uplift <= threshold:
		return doubtSmall
	}
	return ""
}

// AdjustedAlpha is the line a winner's Holm-adjusted p-value must be
// under for the results to leave chance out of its sentence (byChance).
const AdjustedAlpha = 0.05

// byChance is the caution of a winner among several new versions whose
// Holm-adjusted p-value (the one the results table shows beside it) is
// AdjustedAlpha or more: the winner rule (DecisionProb) looks only at the
// chances to be best and to beat the control, and with several new
// versions one of them can clear it by luck alone, which the adjustment
// allows for. "" when it does not apply, with a single new version too:
// its adjusted p-value is its own, and the uplift interval beside it
// (winnerDoubt) already tells whether no gain is ruled out.
func byChance(vs []VariantResult, v VariantResult) string {
	n := 0
	for _, w := range vs[1:] {
		if w.PValue != nil {
			n++
		}
	}
	if n < 2 || v.PValueAdjusted == nil || *v.PValueAdjusted < AdjustedAlpha {
		return ""
	}
	return fmt.Sprintf("with %d new versions in the test, one of them can look best by chance (adjusted p-value %s, not below %s)",
		n, FormatPValue(*v.PValueAdjusted), strconv.FormatFloat(AdjustedAlpha, 'f', -1, 64))
}

// controlDoubt is the mirror of winnerDoubt for control_wins: the index of
// the variant whose uplift interval still includes a gain (the one that
// reaches highest, when several do), 0 for none.
func controlDoubt(vs []VariantResult) int {
	open := 0
	for i := 1; i < len(vs); i++ {
		if iv := vs[i].UpliftInterval; iv != nil && iv.High > 0 && (open == 0 || iv.High > vs[open].UpliftInterval.High) {
			open = i
		}
	}
	return open
}

// unsureAction ends the sentence of an answer open to doubt (winnerDoubt,
// controlDoubt) with the choice it leaves: more visitors to be sure, or
// act (act, "ship it if that risk is acceptable") knowing the risk. A
// stopped test is run again for longer, a paused one resumed; a reader
// who cannot act is told the team can. A shipped test's choice was made:
// the sentence ends there.
func unsureAction(act string, opts Options, shipped bool) string {
	switch {
	case shipped:
		return "."
	case opts.Ended && opts.ReadOnly:
		return ". " + TeamCan(RunAgain+", or "+act)
	case opts.Ended:
		return ": duplicate it to " + RunAgain + ", or " + act + "."
	case opts.Paused && opts.ReadOnly:
		return ". " + TeamCan("resume the test to be sure, or "+act)
	case opts.Paused:
		return ": resume the test to be sure, or " + act + "."
	}
	return ": keep the test running to be sure, or " + act + "."
}

// winnerVerdict is the winner's sentence for arms[i], whose results are v:
// while the test is too young to act on (early, verdict's), the numbers so
// far and that it is too early; when the win is open to doubt
// (winnerDoubt, byChance's chance), that the variant is probably the
// best, what its interval (or its adjusted p-value) still allows and the
// choice that leaves (never a flat "Ship it." the numbers on the same page
// contradict); else the lift and "Ship it.". Once shipped, no call to act:
// the sentence ends with the numbers.
//
// A lift under the practical threshold is "too small to matter" only when
// its whole interval is: when the interval reaches past the threshold,
// only the best guess is under it, and the sentence says the gain is
// likely small and how large it could be.
func winnerVerdict(arms []Arm, i int, v VariantResult, doubt, chance, early string, opts Options, shipped bool) Verdict {
	goal, control := opts.GoalNoun, arms[0]
	label := capitalise(arms[i].Label)
	best := FormatProbability(v.ProbBest)
	if early == "" && (doubt != "" || chance != "") {
		probably := fmt.Sprintf("%s is probably the best on %s (%s chance)", label, goal, best)
		var text string
		act, join, semicolon := "ship it if that risk is acceptable", ", and ", false
		switch {
		case doubt == doubtSmall && v.UpliftInterval.High > opts.Threshold:
			text = fmt.Sprintf("%s, likely by a small gain: the best guess, %s, is under the %s set as the change that matters, though it could be up to %s (95%% interval %s)",
				probably, SignedPercent(*v.Uplift), percent(opts.Threshold), IntervalEnd(v.UpliftInterval.High),
				UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High))
			act, semicolon = "ship it if a small gain is worth it", true
		case doubt == doubtSmall:
			text = fmt.Sprintf("%s, but it lifts them by only %s (95%% interval %s), a gain too small to matter (under %s)",
				probably, SignedPercent(*v.Uplift), UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High),
				percent(opts.Threshold))
			act = "ship it if a small gain is worth it"
		case doubt == doubtNoGain:
			switch {
			case v.Uplift == nil:
				probably += fmt.Sprintf(", converting %s of visitors against none for %s, but the 95%% interval of its lift",
					FormatRate(v.Rate), control.Label)
			case *v.Uplift <= 0:
				probably += " and changes them by " + SignedPercent(*v.Uplift) + ", but the 95% interval of that change"
			default:
				probably += " and lifts them by " + SignedPercent(*v.Uplift) + ", but the 95% interval of that lift"
			}
			text = fmt.Sprintf("%s, %s, still includes no gain", probably, UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High))
		case v.Uplift == nil:
			// Only chance is in doubt.
			text = fmt.Sprintf("%s, converting %s of visitors against none for %s", probably, FormatRate(v.Rate), control.Label)
			join = ", but "
		default:
			text = fmt.Sprintf("%s and lifts them by %s (95%% interval %s)", probably, SignedPercent(*v.Uplift),
				UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High))
			join = ", but "
		}
		if chance != "" {
			text += join + chance
		}
		end := unsureAction(act, opts, shipped)
		if semicolon {
			// The sentence has its colon already.
			end = strings.Replace(end, ": ", "; ", 1)
		}
		return Verdict{Status: StatusWinner, Text: text + end}
	}
	// An early call gives the numbers so far; the chance that one of
	// several new versions leads by luck follows them.
	after := ""
	if chance != "" {
		after = " " + capitalise(chance) + "."
	}
	if v.Uplift == nil {
		switch {
		case early != "" && opts.Ended:
			return Verdict{Status: StatusWinner, Text: fmt.Sprintf(
				"%s led on %s, converting %s of visitors against none for %s; %s chance it is the best, %s",
				label, goal, FormatRate(v.Rate), control.Label, best, early) + after}
		case early != "":
			return Verdict{Status: StatusWinner, Text: fmt.Sprintf(
				"%s leads on %s so far, converting %s of visitors against none for %s; %s chance it is the best, %s",
				label, goal, FormatRate(v.Rate), control.Label, best, early) + after}
		}
		ship := " Ship it."
		if shipped {
			ship = ""
		}
		return Verdict{Status: StatusWinner, Text: fmt.Sprintf(
			"%s wins on %s, converting %s of visitors against none for %s; %s chance it is the best.%s",
			label, goal, FormatRate(v.Rate), control.Label, best, ship)}
	}
	if early != "" && *v.Uplift > 0 && (doubt == doubtNoGain || chance != "") {
		return Verdict{Status: StatusWinner, Text: earlyAhead(label, goal, *v.Uplift, *v.UpliftInterval, best, doubt, early, opts.Ended) + after}
	}
	verb, past := "lifts", "lifted"
	if *v.Uplift <= 0 {
		verb, past = "changes", "changed"
	}
	so, end := "", "; "+best+" chance it is the best. Ship it."
	switch {
	case early == "" && shipped:
		end = "; " + best + " chance it is the best."
	case early != "" && opts.Ended:
		verb, end = past, "; "+best+" chance it is the best, "+early
	case early != "":
		so, end = " so far", "; "+best+" chance it is the best, "+early
	}
	return Verdict{Status: StatusWinner, Text: fmt.Sprintf(
		"%s %s %s by %s%s (95%% interval %s)%s",
		label, verb, goal, SignedPercent(*v.Uplift), so,
		UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High), end) + after}
}

// earlyAhead is the sentence of an early winner whose numbers leave the
// answer open (winnerDoubt's doubtNoGain, or byChance's chance, which the
// caller adds after it): the variant is ahead by its lift so far, never
// "lifts them by", which states as fact a lift its interval or its
// adjusted p-value does not support. When the interval still includes no
// gain, it says so, as the called verdict would.
func earlyAhead(label, goal string, uplift float64, iv Interval, best, doubt, early string, ended bool) string {
	ahead := fmt.Sprintf("%s is ahead on %s by %s so far", label, goal, SignedPercent(uplift))
	if ended {
		ahead = fmt.Sprintf("%s was ahead on %s by %s", label, goal, SignedPercent(uplift))
	}
	if doubt == doubtNoGain {
		return fmt.Sprintf("%s (%s chance it is the best), but the 95%% interval of that lift, %s, still includes no gain: %s",
			ahead, best, UpliftRange(iv.Low, iv.High), strings.TrimPrefix(early, "but "))
	}
	return fmt.Sprintf("%s (95%% interval %s); %s chance it is the best, %s", ahead, UpliftRange(iv.Low, iv.High), best, early)
}

// AnswerDoubt is what leaves a winner or control_wins answer open, in
// the words of the called verdict, for a sentence's middle: the 95%
// interval of the winner's lift still includes no gain (winnerDoubt),
// one of several new versions can look best by chance (byChance), or
// the interval of a variant's change against a winning original still
// includes a gain (controlDoubt). "" when nothing does, or for any other
// status. A warning against acting early uses it: an answer the numbers
// leave open does not "look clear" however long the test runs.
func AnswerDoubt(an Analysis) string {
	vs := an.Variants
	if !an.Verdict.Leads || an.Verdict.Lead >= len(vs) {
		return ""
	}
	var doubts []string
	switch i := an.Verdict.Lead; {
	case an.Verdict.Status == StatusWinner && i > 0:
		v := vs[i]
		if v.UpliftInterval != nil && v.UpliftInterval.Low <= 0 { // winnerDoubt's doubtNoGain
			doubts = append(doubts, fmt.Sprintf("the 95%% interval of %s’s lift, %s, still includes no gain",
				v.Label, UpliftRange(v.UpliftInterval.Low, v.UpliftInterval.High)))
		}
		if chance := byChance(vs, v); chance != "" {
			doubts = append(doubts, chance)
		}
	case an.Verdict.Status == StatusControlWins && i == 0:
		if open := controlDoubt(vs); open > 0 {
			iv := vs[open].UpliftInterval
			doubts = append(doubts, fmt.Sprintf("the 95%% interval of %s’s change, %s, still includes a gain",
				vs[open].Label, UpliftRange(iv.Low, iv.High)))
		}
	}
	return strings.Join(doubts, ", and ")
}

// controlVerdict is the control_wins sentence: while the test is too young
// to act on (early, verdict's), the numbers so far and that it is too
// early; when the variant at vs[open] still has a gain in its interval
// (controlDoubt), that the original is probably the best, that interval,
// and the choice it leaves; else "Keep the original". Once shipped, no
// call to act: "Keep the original" would argue with what shipped.
func controlVerdict(arms []Arm, vs []VariantResult, open int, early string, opts Options, shipped bool) Verdict {
	goal, control := opts.GoalNoun, arms[0]
	best := FormatProbability(vs[0].ProbBest)
	switch {
	case early != "" && opts.Ended:
		return Verdict{Status: StatusControlWins, Text: fmt.Sprintf(
			"%s was ahead: none of the new copy beat it on %s (%s chance %s is the best), %s",
			capitalise(control.Label), goal, best, control.Label, early)}
	case early != "":
		return Verdict{Status: StatusControlWins, Text: fmt.Sprintf(
			"%s is ahead: none of the new copy beats it on %s so far (%s chance %s is the best), %s",
			capitalise(control.Label), goal, best, control.Label, early)}
	case open > 0:
		iv := vs[open].UpliftInterval
		return Verdict{Status: StatusControlWins, Text: fmt.Sprintf(
			"%s is probably the best on %s (%s chance), but the 95%% interval of %s's change, %s, still includes a gain",
			capitalise(control.Label), goal, best, arms[open].Label, UpliftRange(iv.Low, iv.High)) +
			unsureAction("keep "+control.Label+" if that risk is acceptable", opts, shipped)}
	case shipped:
		return Verdict{Status: StatusControlWins, Text: fmt.Sprintf(
			"None of the new copy beats %s on %s (%s chance %s is the best).",
			control.Label, goal, best, control.Label)}
	}
	return Verdict{Status: StatusControlWins, Text: fmt.Sprintf(
		"Keep %s: none of the new copy beats it on %s (%s chance %s is the best).",
		control.Label, goal, best, control.Label)}
}

// The words for a reader who cannot act on the test (Options.ReadOnly, a
// share link's), said one way wherever the results speak to them: package
// app's caution and element warnings use them too.
const (
	// PausedReadOnly is what a pause means to them, inside a sentence.
	PausedReadOnly = "the test is paused, and its numbers will change only when the team resumes it"
	// RunAgain is what a test that stopped too soon to tell leaves to
	// do: the team reads "Duplicate it to run it again for longer.",
	// everyone else TeamCan(RunAgain).
	RunAgain = "run it again for longer"
)

// TeamCan is the sentence that tells a reader who cannot act on the test
// that the team can take action, written in lower case without a full
// stop: "The team can run it again for longer." It follows the sentence
// that says what happened, in place of the instruction the team reads.
func TeamCan(action string) string { return "The team can " + action + "." }

// allWithin reports whether every variant's uplift interval lies inside
// [−threshold, +threshold].
func allWithin(vs []VariantResult, threshold float64) bool {
	for _, v := range vs {
		if v.UpliftInterval == nil || v.UpliftInterval.Low < -threshold || v.UpliftInterval.High > threshold {
			return false
		}
	}
	return len(vs) > 0
}

// visitorsNeeded estimates how many more visitors each variant needs, or 0
// when the data thresholds are met. The estimate is the larger of two
// needs, per variant: MinExposures; and, while the conversions are short
// of MinConversions, enough visitors for them at the rate so far, all
// variants together (the pooled rate: the conversions are counted in
// all). It never asks for the SampleSize of the practical threshold: the
// test is called as soon as both minimums are met, and a large difference
// can be a winner then (2/74 against 33/76 was one 60 visitors later,
// while the plan asked for 59,000; 3/300 against 4/300 was told 170,000
// where about 130 more visitors bring the 10 conversions). The plan says
// what detecting the threshold takes. minimum reports whether MinExposures
// decided it (each variant short of it needs what it lacks). With no
// visitors, or no conversion at all, there is nothing to base a rate on:
// it returns noVisitorsYet or noConversionsYet instead of a guess.
func visitorsNeeded(arms []Arm) (more int64, minimum bool) {
	var n, c int64
	least := leastExposures(arms)
	for _, a := range arms {
		n += a.Exposures
		c += a.Conversions
	}
	switch {
	case least >= MinExposures && c >= MinConversions:
		return 0, false
	case n == 0:
		return noVisitorsYet, false
	case c == 0:
		return noConversionsYet, false
	}
	need := int64(MinExposures)
	if c < MinConversions {
		k := float64(len(arms))
		need = max(need, int64(math.Ceil(MinConversions*float64(n)/(float64(c)*k))))
	}
	if least < MinExposures {
		return need - least, need == MinExposures
	}
	return max(need-least, 1), false
}

// leastExposures is the visitors of the smallest arm.
func leastExposures(arms []Arm) int64 {
	least := arms[0].Exposures
	for _, a := range arms {
		least = min(least, a.Exposures)
	}
	return least
}

// minimumText is the not_enough_data sentence while some variant is short
// of MinExposures: the rule, and how many more visitors each short variant
// needs; short of MinConversions too, how many conversions the test has
// and, when they would still be short once the visitors are in, roughly
// how many visitors they take; and when a difference already lies beyond
// the practical threshold, that it is large but not confirmed. It gives no
// number of visitors for detecting the practical threshold: the plan says
// that, and the verdict may come long before.
func minimumText(arms []Arm, an Analysis, opts Options) string {
	var c int64
	for _, a := range arms {
		c += a.Conversions
	}
	rule := fmt.Sprintf("copylab calls a test once each variant has %s visitors", FormatCount(MinExposures))
	if c < MinConversions {
		rule += fmt.Sprintf(" and the test has %s %s in all", FormatCount(MinConversions), opts.GoalNoun)
	}
	// Each short variant, with what it has (stopped) or what it lacks.
	var short []int
	for i, a := range arms {
		if a.Exposures < MinExposures {
			short = append(short, i)
		}
	}
	same := len(short) == len(arms)
	for _, i := range short {
		same = same && arms[i].Exposures == arms[short[0]].Exposures
	}
	// Short of conversions too, "more" is said to be visitors, and the
	// conversions the test has follow.
	// With the clicks to name after it, the first need names its unit.
	visitors := func(n int64) string {
		switch {
		case c >= MinConversions:
			return ""
		case n == 1:
			return " visitor"
		}
		return " visitors"
	}
	var needs, had []string
	for k, i := range short {
		n := MinExposures - arms[i].Exposures
		if k == 0 {
			needs = append(needs, arms[i].Label+" needs "+FormatCount(n)+" more"+visitors(n))
		} else {
			needs = append(needs, arms[i].Label+" "+FormatCount(n)+" more")
		}
		had = append(had, arms[i].Label+" at "+FormatCount(arms[i].Exposures))
	}
	if same {
		n := MinExposures - arms[0].Exposures
		needs = []string{"each variant needs " + FormatCount(n) + " more" + visitors(n)}
		had = []string{"each variant at " + FormatCount(arms[0].Exposures)}
	}

	ahead, behind := farFrom(arms, an.Variants, opts.Threshold)
	if opts.Ended {
		text := "Not enough data: " + rule + ", and the test stopped with " + andList(had)
		if c < MinConversions {
			text += ", and with " + ofMinConversions(c, opts.GoalNoun)
		}
		if far := farText(arms[0].Label, ahead, behind, "was", "were"); far != "" {
			text += "; " + far + ", but that was never confirmed"
		}
		return text + "."
	}
	text := "Not enough data yet: " + rule + ", so " + andList(needs)
	if c < MinConversions {
		text += fmt.Sprintf(", and the test has %s", ofMinConversions(c, opts.GoalNoun))
		if !an.Need.Minimum {
			// The conversions, not the visitor minimum, decide.
			text += fmt.Sprintf("; at the rate so far, the %s take roughly %s more visitors per variant", opts.GoalNoun, FormatCount(an.Need.More))
		}
	}
	return runningTail(text, arms[0].Label, ahead, behind, opts, "those visitors")
}

// conversionsText is the not_enough_data sentence once every variant has
// MinExposures visitors but the test has fewer than MinConversions
// conversions in all: what it has of them and, while it runs, roughly how
// many more visitors they take at the rate so far (Need.More); and when a
// difference already lies beyond the practical threshold, that it is
// large but not confirmed. Like minimumText it gives no number of
// visitors for detecting the practical threshold: the test is called as
// soon as it has its conversions.
func conversionsText(arms []Arm, an Analysis, opts Options) string {
	var c int64
	for _, a := range arms {
		c += a.Conversions
	}
	has := ofMinConversions(c, opts.GoalNoun) + " copylab needs to call it"
	ahead, behind := farFrom(arms, an.Variants, opts.Threshold)
	if opts.Ended {
		text := "Not enough data: the test stopped with " + has
		if far := farText(arms[0].Label, ahead, behind, "was", "were"); far != "" {
			text += "; " + far + ", but that was never confirmed"
		}
		return text + "."
	}
	text := fmt.Sprintf("Not enough data yet: the test has %s; at the rate so far that takes roughly %s more visitors per variant",
		has, FormatCount(an.Need.More))
	return runningTail(text, arms[0].Label, ahead, behind, opts, "them")
}

// runningTail ends a not_enough_data sentence of a test not stopped: a
// difference already beyond the practical threshold (far from control),
// then what a pause means, to the team ("resume the test to get what") or
// to a reader who cannot act. The difference is "so far" unless the
// sentence already says so ("at the rate so far"), which would read twice.
func runningTail(text, control string, ahead, behind []string, opts Options, what string) string {
	if far := farText(control, ahead, behind, "is", "are"); far != "" {
		if !strings.Contains(text, "so far") {
			far += " so far"
		}
		text += "; " + far + ", but that is not confirmed until then"
	}
	switch {
	case opts.Paused && opts.ReadOnly:
		text += "; " + PausedReadOnly
	case opts.Paused:
		text += "; resume the test to get " + what
	}
	return text + "."
}

// ofMinConversions says c conversions against the MinConversions a verdict
// needs, "7 of the 10 clicks", which reads right for one too.
func ofMinConversions(c int64, goal string) string {
	return fmt.Sprintf("%s of the %s %s", FormatCount(c), FormatCount(MinConversions), goal)
}

// farFrom lists the variants whose uplift interval lies wholly beyond the
// practical threshold, above it (ahead) or below it (behind): a difference
// already large, whatever the counts still lack.
func farFrom(arms []Arm, vs []VariantResult, threshold float64) (ahead, behind []string) {
	for i := 1; i < len(vs); i++ {
		iv := vs[i].UpliftInterval
		switch {
		case iv == nil:
		case iv.Low > threshold:
			ahead = append(ahead, arms[i].Label)
		case iv.High < -threshold:
			behind = append(behind, arms[i].Label)
		}
	}
	return ahead, behind
}

// farText words farFrom's lists against the control: "Variant B is far
// ahead of the original", "Variant B is far ahead of the original and
// Variant C is far behind it"; "" when both are empty. one and many are
// the verb, singular and plural ("is", "are").
func farText(control string, ahead, behind []string, one, many string) string {
	be := func(names []string) string {
		if len(names) > 1 {
			return many
		}
		return one
	}
	var parts []string
	if len(ahead) > 0 {
		parts = append(parts, andList(ahead)+" "+be(ahead)+" far ahead of "+control)
	}
	if len(behind) > 0 {
		than := control
		if len(ahead) > 0 {
			than = "it"
		}
		parts = append(parts, andList(behind)+" "+be(behind)+" far behind "+than)
	}
	return capitalise(strings.Join(parts, " and "))
}

// clearBeaters lists the variants, other than skip's, that clearly beat
// the control on counts that meet the minimums: both have MinExposures
// visitors, there are MinConversions conversions in all, and the chance
// to beat the control reaches DecisionProb.
func clearBeaters(arms []Arm, an Analysis, skip []int) []int {
	var c int64
	for _, a := range arms {
		c += a.Conversions
	}
	if c < MinConversions || arms[0].Exposures < MinExposures {
		return nil
	}
	var out []int
	for i := 1; i < len(arms); i++ {
		if p := an.Variants[i].ProbBeatControl; !slices.Contains(skip, i) && arms[i].Exposures >= MinExposures && p != nil && *p >= DecisionProb {
			out = append(out, i)
		}
	}
	return out
}

// beatText says that the variants at idx beat the control, with rest
// after the control and their chances to beat it in brackets: "Variant B
// beats the original on clicks (>99% chance)", "Variant B and Variant C
// both beat the original on clicks (each >99% chance)", "Variant B,
// Variant C and Variant D all beat the original on clicks (>99%, >99% and
// 96% chance)".
func beatText(arms []Arm, vs []VariantResult, idx []int, rest string) string {
	var names, chances []string
	for _, i := range idx {
		names = append(names, arms[i].Label)
		chances = append(chances, FormatProbability(*vs[i].ProbBeatControl))
	}
	verb, chance := "beats", chances[0]
	switch {
	case len(idx) == 2:
		verb = "both beat"
	case len(idx) > 2:
		verb = "all beat"
	}
	if len(idx) > 1 {
		chance = andList(chances)
		if slices.Equal(chances, slices.Repeat(chances[:1], len(chances))) {
			chance = "each " + chances[0]
		}
	}
	return fmt.Sprintf("%s %s %s%s (%s chance)", capitalise(andList(names)), verb, arms[0].Label, rest, chance)
}

// andList joins "a", "a and b", "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// unfedArms holds the indexes of the arms short of MinExposures that are
// planned to get no traffic at all (weight 0 where other weights are set):
// a variant set to 0% before it had its visitors, which would hold the
// verdict at "not enough data" for ever while saying more visitors would
// settle it.
func unfedArms(arms []Arm) []int {
	var sum int
	for _, a := range arms {
		sum += max(a.WeightBP, 0)
	}
	if sum == 0 {
		return nil // no planned split given: weights unknown
	}
	var out []int
	for i, a := range arms {
		if a.WeightBP <= 0 && a.Exposures < MinExposures {
			out = append(out, i)
		}
	}
	return out
}

// What visitorsNeeded returns when there is no rate to estimate from.
const (
	noVisitorsYet    = -1
	noConversionsYet = -2
)

// observedSplit formats the observed shares of visitors, "48.1% / 51.9%",
// as the results page's split banner writes them.
func observedSplit(arms []Arm) string {
	var total float64
	for _, a := range arms {
		total += float64(a.Exposures)
	}
	parts := make([]string, len(arms))
	for i, a := range arms {
		parts[i] = FormatShare(float64(a.Exposures) / total)
	}
	return strings.Join(parts, " / ")
}

// plannedSplit formats the planned shares, "50% / 50%", reading weights as
// srmTest does.
func plannedSplit(arms []Arm) string {
	var sum float64
	for _, a := range arms {
		sum += float64(max(a.WeightBP, 0))
	}
	parts := make([]string, len(arms))
	for i, a := range arms {
		share := 1 / float64(len(arms))
		if sum > 0 {
			share = float64(max(a.WeightBP, 0)) / sum
		}
		parts[i] = FormatShare(share)
	}
	return strings.Join(parts, " / ")
}

// Minus is the sign of a negative number in text people read: the true
// minus sign (U+2212), not the hyphen-minus, which is shorter and breaks
// across lines. The results page, its sentences and the API's sentences
// all write it; numbers meant for programs (the JSON numbers, the CSV's
// numeric cells) keep the ASCII "-".
const Minus = "\u2212"

// How the results write numbers for people: one rule per kind of number,
// so that a number reads the same in the results table, the verdict, the
// plan line, the segments and the trends (the views format through these
// functions, and the sentences of this package use them too). Numbers
// meant for programs (JSON, CSV) are not formatted at all.
//
//   - Rates (conversions per visitor, and the ends of their intervals):
//     FormatRate, three significant digits with at most two decimals,
//     trailing zeros kept so that a column lines up: "7.93%", "12.5%",
//     "0.42%", "5.00%", "100%"; a rate above zero that would read 0.00% is
//     "<0.01%". Low rates need the second decimal: 7.93% against 8.41% is
//     a 6% difference that "7.9% against 8.4%" would blur.
//   - Uplifts (changes relative to the original, and the ends of their
//     intervals): SignedPercent, always signed, one decimal: "+33.1%",
//     "−4.0%", "±0.0%"; an interval's end that rounds to zero keeps its
//     sign (IntervalEnd): "+0.0%".
//   - Ranges: both ends in their kind's format, joined by "to" (a dash
//     between signed numbers reads as a minus): RateRange "7.71% to
//     8.20%", UpliftRange "+5.0% to +15.6%".
//   - Chances: FormatProbability, whole percents rounded down, ">99%" and
//     "<1%" at the ends.
//   - Shares of visitors or page views (the split, the tag's health):
//     FormatShare, one decimal, dropped when it is zero: "48.1%", "50%";
//     "100%" and "0%" only when it is all or none.
//   - The practical threshold, a setting: FormatThreshold, as the form
//     shows it, up to two decimals without trailing zeros: "10%", "2.5%".

// FormatRate writes a conversion rate (see the rules above): "7.93%",
// "12.5%", "100%".
func FormatRate(x float64) string {
	v := 100 * x
	if v > 0 && v < 0.005 {
		return "<0.01%"
	}
	// The decimals are chosen after rounding, so 9.996% is "10.0%", not
	// "10.00%".
	for d := 2; d > 0; d-- {
		s := strconv.FormatFloat(math.Abs(v), 'f', d, 64)
		if f, _ := strconv.ParseFloat(s, 64); f < math.Pow10(3-d) {
			return signed(s, v < 0) + "%"
		}
	}
	return signed(strconv.FormatFloat(math.Abs(v), 'f', 0, 64), v < 0) + "%"
}

// RateRange writes an interval of rates: "7.71% to 8.20%".
func RateRange(lo, hi float64) string { return FormatRate(lo) + " to " + FormatRate(hi) }

// SignedPercent writes an uplift, a change relative to the original (see
// the rules above): "+33.1%", "−4.0%", "±0.0%".
func SignedPercent(x float64) string {
	s := strconv.FormatFloat(math.Abs(100*x), 'f', 1, 64)
	switch {
	case s == "0.0":
		return "±0.0%"
	case x < 0:
		return Minus + s + "%"
	}
	return "+" + s + "%"
}

// UpliftRange writes an interval of uplifts: "−2.1% to +27.0%". Its ends
// are IntervalEnds.
func UpliftRange(lo, hi float64) string { return IntervalEnd(lo) + " to " + IntervalEnd(hi) }

// IntervalEnd writes an end of an uplift's interval as SignedPercent
// does, except that an end that is not zero keeps its sign where it
// rounds to zero: "+0.0%", "−0.0%". Whether an interval reaches no change
// is what its ends are read for, and "±0.0% to +12.3%" reads as reaching
// it when the end is +0.04%.
func IntervalEnd(x float64) string {
	s := SignedPercent(x)
	switch {
	case s != "±0.0%" || x == 0:
		return s
	case x < 0:
		return Minus + "0.0%"
	}
	return "+0.0%"
}

// FormatShare writes a share of visitors or page views (see the rules
// above): "48.1%", "50%", and ">99.9%" rather than a "100%" that is not
// all of them.
func FormatShare(x float64) string {
	s := trimZero(strconv.FormatFloat(100*x, 'f', 1, 64))
	switch {
	case s == "100" && x < 1:
		return ">99.9%"
	case s == "0" && x > 0:
		return "<0.1%"
	}
	return s + "%"
}

// FormatThreshold writes the practical threshold (see the rules above):
// "10%", "2.5%".
func FormatThreshold(x float64) string { return percent(x) }

// percent writes a fraction as a percentage with up to two decimals and no
// trailing zeros ("10%", "2.5%", "−20%", never "−0%"): the threshold's
// format, in this package's sentences.
func percent(x float64) string {
	v := 100 * x
	s := trimZero(strconv.FormatFloat(math.Abs(v), 'f', 2, 64))
	return signed(s, v < 0) + "%"
}

// signed puts the minus sign before a formatted magnitude when the number
// is negative and does not read as zero.
func signed(s string, negative bool) string {
	if negative && strings.Trim(s, "0.") != "" {
		return Minus + s
	}
	return s
}

// FormatProbability writes a chance as a whole percent, rounded down, so
// that it never reaches a decision threshold it has not reached (0.9493 is
// "94%", not the "95%" a winner needs); ">99%" above 0.99 and "<1%" below
// 0.01 (but above 0). The results page uses it too, so the table and the
// verdict never disagree.
func FormatProbability(p float64) string {
	switch {
	case p > 0.99:
		return ">99%"
	case p > 0 && p < 0.01:
		return "<1%"
	}
	// The 1e-9 keeps 0.29 (0.28999… in binary) at 29%.
	return strconv.Itoa(int(math.Floor(100*p+1e-9))) + "%"
}

// FormatPValue writes a p-value with two significant digits, whatever
// its size ("0.0088", "0.018", "0.045", "0.50"), and tiny ones as
// "< 0.0001": the results table shows it (views' pValue), so that the
// verdict quotes the number the table shows. Digits are counted after
// rounding, so 0.0996 is "0.10", and anything from 0.995 up is "1.0".
func FormatPValue(p float64) string {
	if p < 0.0001 {
		return "< 0.0001"
	}
	if p >= 0.995 {
		return "1.0"
	}
	d := 1 - int(math.Floor(math.Log10(p)))
	if r, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'f', d, 64), 64); r > 0 {
		d = 1 - int(math.Floor(math.Log10(r)))
	}
	return strconv.FormatFloat(p, 'f', d, 64)
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// FormatCount formats an integer with thousands separators, "2,400". The
// views use it too, so the page and the verdict sentence write numbers alike.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// RoundUpCount rounds a number of visitors still to come (a planned
// sample, the visitors a test still needs) up to two significant digits,
// so the page does not pretend to a precision the estimate does not have,
// and never promises fewer than it takes: 13,355 is "14,000". Below 100 it
// is exact. The plan, the verdict and the results table all round with it,
// so one estimate reads the same everywhere.
func RoundUpCount(n int64) int64 {
	if n < 100 {
		return n
	}
	scale := int64(math.Pow(10, math.Floor(math.Log10(float64(n)))-1))
	return (n + scale - 1) / scale * scale
}

// capitalise upper-cases the first letter, for a label starting a sentence.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
