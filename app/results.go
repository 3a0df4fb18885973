package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/stats"
	"copylab/views"
)

// The results of an experiment are computed once per request into a
// resultsReport, from the aggregates the ingest pipeline keeps
// (Store.Counts, Store.Segments, Store.HealthSince) and experiments/stats.
// The live panel, the trends, the JSON document and the CSV exports are all
// views of the same report, so they always agree.

// Thresholds of the snippet health warning: an element missing in more than
// a fifth of the page views, once at least healthMinMissed were missed.
const (
	healthMissShare = 0.2
	healthMinMissed = 10
	// segmentTop is how many values of each dimension are shown before the
	// rest are folded into "other".
	segmentTop = 20
	// earlyDays is how long a test should run at least: a full week, so
	// that every weekday is in.
	earlyDays = 7
	// planMinDays is how long a test runs before the plan estimates the
	// time it needs: an hour. In its first minutes the traffic per day is
	// a handful of visits (often the team checking the launch) scaled up
	// a hundredfold or more, so one visit more or less moves the estimate
	// by days or months. After an hour it rests on a stretch of real
	// traffic, and the line says it comes from the first hours until a
	// full day, with its peaks and troughs, is in.
	planMinDays = 1.0 / 24
)

// resultsReport is everything the results show for one experiment at one
// moment.
type resultsReport struct {
	exp       experiments.Experiment
	counts    experiments.Counts
	arms      []stats.Arm
	an        stats.Analysis
	threshold float64
	goalNoun  string
	at        time.Time
	// days is the time the test has run, from the start to now (to the
	// stop, once stopped), without the time it spent paused, pausedDays:
	// no visitor enters a paused test, so the traffic per day and the
	// "full week" are measured on running time only.
	days       float64
	pausedDays float64
	health     []variantHealth
	// hideTimeoutMS is the site's hide timeout (Site.HideTimeoutMS): how
	// long the tag waits for the element before it counts it missing.
	hideTimeoutMS int
	missing       elementMissing
	plan          resultsPlan
	// early holds why the test is too young to act on (tooEarly), and
	// caution the warning it makes beside a decisive verdict; while either
	// is set the verdict is worded without a call to act.
	early   []string
	until   []string
	caution string
	// resumeBlocked is set for a paused test that a running test of its
	// element keeps from resuming (elementOthers.inTest): its caution
	// cannot tell it to resume now.
	resumeBlocked bool
	// reader is who the sentences are worded for (buildReport).
	reader reader

	// With trends only.
	trends   bool
	dayNames []string              // YYYY-MM-DD, ascending
	daily    [][]stats.DayCounts   // [day][variant]: new visitors and conversions
	series   [][]stats.SeriesPoint // [variant][day]: running totals
	// With hours (addHours), for the charts of a young test only: the
	// same as the days' three, by UTC hour. The document and the CSV keep
	// the days.
	hours      []time.Time
	hourly     [][]stats.DayCounts
	hourSeries [][]stats.SeriesPoint
	segments   []experiments.SegmentDimension
	flags      []segmentFlag
}

// variantHealth is the snippet telemetry of one variant, overall and over
// the last two UTC days.
type variantHealth struct {
	applied, missed             int64
	medianMS                    float64
	recentApplied, recentMissed int64
	// young: the recent counts (the last 24 hours) are the whole test's,
	// which started within them, so they are not "since yesterday".
	young bool
	// hideTimeoutMS is the site's hide timeout, for the warning's words
	// (hideWait); 0 when not known.
	hideTimeoutMS int
	warning       string
}

// resultsPlan is the sample-size estimate for the practical threshold.
type resultsPlan struct {
	mde            float64
	baseRate       float64 // the control's observed rate
	perVariant     int64   // visitors per variant needed; 0 when unknown
	visitorsPerDay float64 // the traffic per day, when perDayKnown
	perDayKnown    bool    // the test has run planMinDays: from then on, whatever the plan says
	daysLeft       float64 // NaN when unknown, 0 once reached
	reached        bool
	text           string
}

// segmentFlag is a stats.SegmentFlag placed back in its dimension and value.
type segmentFlag struct {
	stats.SegmentFlag
	dim, value int // indexes into resultsReport.segments
}

// reader is who a report's sentences are for: the team, who can act on
// the test, or whoever holds its share link, who cannot. Only what a
// sentence asks of its reader differs: the team is told to act (resume a
// paused test, duplicate one that stopped too soon, check the tag or
// the selector, give a variant traffic), the share link's reader what
// that state means and that the team can act (stats.TeamCan). Advice
// anyone can pass on ("Ship it.", "keep it running") is the same for
// both, and so are the numbers and statuses.
type reader int

const (
	teamReader reader = iota
	shareReader
)

// readerOf is who reads the answer to c: a share link's pages, fragments
// and CSVs are read by whoever holds the link.
func readerOf(c *fiber.Ctx) reader {
	if isSharePath(c.Path()) {
		return shareReader
	}
	return teamReader
}

// buildReport reads the counts and computes the statistics, with the
// sentences worded for rd; with trends also the daily series and the
// segments.
func (a *App) buildReport(ctx context.Context, e experiments.Experiment, trends bool, rd reader) (*resultsReport, error) {
	counts, err := a.store.Counts(ctx, e)
	if err != nil {
		return nil, err
	}
	r := &resultsReport{exp: e, counts: counts, at: a.now(), threshold: e.Threshold, goalNoun: goalNoun(e.Goal), trends: trends, reader: rd}
	if !(r.threshold > 0) {
		r.threshold = stats.DefaultThreshold
	}
	if r.days, r.pausedDays, err = a.runDays(ctx, e, r.at); err != nil {
		return nil, err
	}
	r.arms = armsOf(e, counts)
	r.early, r.until = tooEarly(r.days, r.arms, r.threshold)
	r.an = analyzeArms(e, r.arms, counts, len(r.early) > 0, rd)
	if e.Status == experiments.StatusDraft {
		// Nobody is counted before the start: the sentence says so rather
		// than that no visitor came (the status stays not_enough_data, so
		// the document keeps its shape; no page shows a draft a verdict).
		r.an.Verdict.Text = draftVerdict
	}

	recent, err := a.store.HealthSince(ctx, e, r.at.Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	site, err := a.store.Site(ctx, e.SiteID)
	if err != nil {
		return nil, err
	}
	r.hideTimeoutMS = site.HideTimeoutMS
	r.health = make([]variantHealth, len(e.Variants))
	for i := range e.Variants {
		h := &r.health[i]
		if i < len(counts.Variants) {
			h.applied, h.missed, h.medianMS = counts.Variants[i].Applied, counts.Variants[i].Missed, counts.Variants[i].MedianMS
		}
		if i < len(recent) {
			h.recentApplied, h.recentMissed = recent[i].Applied, recent[i].Missed
		}
		h.young = e.StartedAt.After(r.at.Add(-24 * time.Hour))
		h.hideTimeoutMS = r.hideTimeoutMS
		h.warning = healthWarning(*h)
	}
	r.missing = r.makeMissing()
	if r.missing.never {
		// Nobody is counted because the element was never there: the
		// verdict says so rather than that no visitor came.
		r.an.Verdict.Text = r.missing.verdict
	}
	r.plan = r.makePlan()
	if e.Status == experiments.StatusPaused {
		o, err := a.elementOthers(ctx, e) // experiment_transition.go
		if err != nil {
			return nil, err
		}
		r.resumeBlocked = o.inTest != nil
	}
	r.caution = r.makeCaution()

	if trends {
		r.makeSeries()
		if r.segments, err = a.store.Segments(ctx, e, segmentTop); err != nil {
			return nil, err
		}
		r.flagSegments()
	}
	return r, nil
}

// draftVerdict and draftPlan are what the results document and the CSV
// say of a draft: it has not started, so it has neither results nor an
// estimate yet.
const (
	draftVerdict = "The test has not started yet: nobody is counted until it starts."
	draftPlan    = "The test has not started yet, so there is no estimate of how long it needs."
)

// runDays is the time e has run by now, from the start to now (to the
// stop, once stopped), without the time it spent paused, which paused is.
// Both are 0 before the start.
func (a *App) runDays(ctx context.Context, e experiments.Experiment, now time.Time) (days, paused float64, err error) {
	if e.StartedAt.IsZero() {
		return 0, 0, nil
	}
	end := runEnd(e, now)
	changes, err := a.store.RunChanges(ctx, e.ID)
	if err != nil {
		return 0, 0, err
	}
	p := pausedTime(changes, e.StartedAt, end)
	return max((end.Sub(e.StartedAt)-p).Hours()/24, 0), p.Hours() / 24, nil
}

// runEnd is when e's run ends for its results: its stop, or now while it
// has not stopped.
func runEnd(e experiments.Experiment, now time.Time) time.Time {
	if !e.EndedAt.IsZero() {
		return e.EndedAt
	}
	return now
}

// tooEarly says why results are too young to act on, if they are: the test
// has run for less than a full week (earlyDays), or its smallest variant
// has fewer visitors than the plan asks for. why words each reason, until
// what to wait for; both are empty when it is old enough. The results page,
// the share page and the API judge alike through buildReport, and a list
// that has the days and the arms can ask the same.
func tooEarly(days float64, arms []stats.Arm, threshold float64) (why, until []string) {
	if days < earlyDays {
		// "only 3 days", but never "only less than an hour".
		ran := durationText(days)
		if int(days*24) > 0 {
			ran = "only " + ran
		}
		why = append(why, "the test has run for "+ran)
		until = append(until, "for at least a full week")
	}
	if need := planNeed(arms, threshold); need > 0 {
		least := arms[0].Exposures
		for _, a := range arms {
			least = min(least, a.Exposures)
		}
		if least < need {
			why = append(why, fmt.Sprintf("the smallest variant has %s of the roughly %s visitors planned", formatCount(least), formatCount(roundUp(need))))
			until = append(until, untilPlanned)
		}
	}
	return why, until
}

// untilPlanned is what tooEarly says to wait for while the smallest
// variant is short of the planned sample.
const untilPlanned = "until the planned sample is in"

// answerTooEarly reports whether status, e's verdict on counts (from
// analyzeCounts), is an answer (winner, control_wins,
// no_meaningful_difference) that came too early to act on, as the results
// judge it (tooEarly): the page then heads it "Early lead: not called yet"
// or, once stopped, "Too early to call". A list that shows e's verdict
// (views.ExperimentRow) asks it, so that its chip says what the page says;
// it reads e's history only for an answer.
func (a *App) answerTooEarly(ctx context.Context, e experiments.Experiment, counts experiments.Counts, status string) (bool, error) {
	switch status {
	case stats.StatusWinner, stats.StatusControlWins, stats.StatusNoMeaningfulDifference:
	default:
		return false, nil
	}
	threshold := e.Threshold
	if !(threshold > 0) {
		threshold = stats.DefaultThreshold
	}
	arms := armsOf(e, counts)
	// Pauses only shorten the run: a test early by its time since the
	// start, or by its sample, is early whatever its history says, so the
	// history is read only for a test past both.
	if e.StartedAt.IsZero() {
		return true, nil
	}
	if why, _ := tooEarly(runEnd(e, a.now()).Sub(e.StartedAt).Hours()/24, arms, threshold); len(why) > 0 {
		return true, nil
	}
	days, _, err := a.runDays(ctx, e, a.now())
	if err != nil {
		return false, err
	}
	why, _ := tooEarly(days, arms, threshold)
	return len(why) > 0, nil
}

// planNeed is the visitors per variant the plan asks for: enough to detect
// the practical threshold from the original's observed rate, with the
// significance split between the variants compared with the original
// (stats.SampleSizeFor), since the verdict adjusts its p-values for them.
// 0 when there is no estimate (fewer than two variants, or the original
// has no conversion yet, or converts every visitor).
func planNeed(arms []stats.Arm, threshold float64) int64 {
	if len(arms) < 2 || arms[0].Exposures == 0 || arms[0].Conversions == 0 {
		return 0
	}
	return stats.SampleSizeFor(float64(arms[0].Conversions)/float64(arms[0].Exposures), threshold, len(arms)-1)
}

// pausedTime adds up the spans between each pause and the resume (or
// stop, or ship) after it in an experiment's history (newest first, as
// Store.History returns it), within [start, end]; a pause still open at
// the end counts to the end. Pauses from before copylab kept a history
// (migration 0009) are not known and count as running time; so are those
// older than the history's last experiments.MaxHistory lines.
func pausedTime(changes []experiments.Change, start, end time.Time) time.Duration {
	var total time.Duration
	var since time.Time // zero while running
	span := func(from, to time.Time) {
		from, to = maxTime(from, start), minTime(to, end)
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		switch c.Action {
		case experiments.ChangePaused:
			if since.IsZero() {
				since = c.At
			}
		case experiments.ChangeResumed, experiments.ChangeStarted, experiments.ChangeStopped, experiments.ChangeShipped:
			if !since.IsZero() {
				span(since, c.At)
				since = time.Time{}
			}
		}
	}
	if !since.IsZero() {
		span(since, end)
	}
	return total
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// armsOf is what the statistics see of e: each variant with its counted
// visitors and conversions, the control first.
func armsOf(e experiments.Experiment, counts experiments.Counts) []stats.Arm {
	arms := make([]stats.Arm, len(e.Variants))
	for i, v := range e.Variants {
		arms[i] = stats.Arm{Key: v.Key, WeightBP: v.WeightBP, Label: views.VariantPhrase(v.Key, i == 0)}
		if i < len(counts.Variants) && counts.Variants[i].Key == v.Key {
			arms[i].Exposures, arms[i].Conversions = counts.Variants[i].Exposures, counts.Variants[i].Conversions
		}
	}
	return arms
}

// analyzeCounts runs the statistics of e on its counts, with e's practical
// threshold (the default when unset) and goal, and, once its split changed
// while it ran, the split check on the visitors since, and whether it has
// stopped or is paused (which words its verdict differently): the one
// analysis behind the results, the lists' verdicts and the notifications.
// It returns the arms it analysed too.
//
// It knows nothing of how long the test has run, so it words a decisive
// verdict as an answer; the results (buildReport) call analyzeArms with
// early set while the test is too young to act on (tooEarly).
func analyzeCounts(e experiments.Experiment, counts experiments.Counts) ([]stats.Arm, stats.Analysis) {
	arms := armsOf(e, counts)
	return arms, analyzeArms(e, arms, counts, false, teamReader)
}

// analyzeArms is analyzeCounts on arms already made by armsOf, with early
// saying whether the test is too young to act on, worded for rd.
func analyzeArms(e experiments.Experiment, arms []stats.Arm, counts experiments.Counts, early bool, rd reader) stats.Analysis {
	// Shipping stops a test too, so a shipped experiment is stopped here.
	// A paused one gets no visitors: its verdict says to resume it, or,
	// on a share link, that the team resumes it.
	opts := stats.Options{Threshold: e.Threshold, GoalNoun: goalNoun(e.Goal), Ended: e.Status == experiments.StatusStopped,
		Paused: e.Status == experiments.StatusPaused, ReadOnly: rd == shareReader, Early: early}
	if !e.SplitChangedAt.IsZero() {
		opts.SplitExposures = make([]int64, len(e.Variants))
		for i, v := range e.Variants {
			if i < len(counts.Variants) && counts.Variants[i].Key == v.Key {
				opts.SplitExposures[i] = counts.Variants[i].SinceSplit
			}
		}
	}
	an := stats.Analyze(arms, opts)
	if e.ShippedVariant != "" {
		// Shipped: what the test found, without advice that the ship
		// made moot ("run it again for longer", "Ship it.").
		an.Verdict = stats.ShippedVerdict(arms, an, opts)
	}
	return an
}

// goalNoun names what a goal counts, in the plural, for the verdict's
// sentence.
func goalNoun(g experiments.Goal) string {
	switch g.Type {
	case experiments.GoalClick:
		return "clicks"
	case experiments.GoalPageview:
		return "goal-page visits"
	case experiments.GoalEvent:
		if g.Name != "" {
			return "“" + g.Name + "” conversions"
		}
	}
	return "conversions"
}

// The tag counts the element missing when it is not on the page once the
// site's hide timeout has passed: the page view keeps its original copy
// and sends matched:false, with no time. So a selector that no longer
// matches and an element the page adds after the timeout (rendered late
// by a script) look the same in the counts, and the words about a missing
// element say when it was looked for (hideWait) and give both fixes
// (laterFix) rather than guess which it is.

// hideWait is how long the tag looked for the element: "within the 1,000
// ms the tag waits for it (the site’s hide timeout)", without the number
// when ms is not known (0).
func hideWait(ms int) string {
	if ms <= 0 {
		return "within the time the tag waits for it (the site’s hide timeout)"
	}
	return "within the " + formatCount(int64(ms)) + " ms the tag waits for it (the site’s hide timeout)"
}

// laterFix is the fix for an element the page adds after the hide
// timeout, to follow the one for a selector. The team's results pages link
// its last words (views.SiteSettingsPhrase) to the site's settings.
const laterFix = "or, if the page adds the element later, raise the hide timeout in " + views.SiteSettingsPhrase

// healthWarning says when the element goes missing too often: in the last
// two days first (a site change that broke the selector), else overall.
func healthWarning(h variantHealth) string {
	share := func(missed, applied int64) string {
		return fmt.Sprintf("%s of page views (%s of %s) %s", stats.FormatShare(float64(missed)/float64(missed+applied)),
			formatCount(missed), formatCount(missed+applied), hideWait(h.hideTimeoutMS))
	}
	fix := "check that the element’s selector still matches the page, " + laterFix + ". Visitors who don’t see the copy aren’t in the test."
	// The share of all matched page views, as the sentence gives it.
	often := func(missed, applied int64) bool {
		return missed >= healthMinMissed && float64(missed) > healthMissShare*float64(missed+applied)
	}
	switch {
	case often(h.recentMissed, h.recentApplied) && h.young:
		return "Since the test started the element was not found in " + share(h.recentMissed, h.recentApplied) + ": " + fix
	case often(h.recentMissed, h.recentApplied):
		return "Since yesterday the element was not found in " + share(h.recentMissed, h.recentApplied) + ": " + fix
	case often(h.missed, h.applied):
		return "The element was not found in " + share(h.missed, h.applied) + ": " + fix
	}
	return ""
}

// elementMissing is what the results say when the tag finds the page but
// not the tested element on it.
type elementMissing struct {
	// never: the page matched, but the element was found on none of its
	// page views, so nobody is in the test. verdict is the sentence the
	// verdict says instead of "no visitors".
	never   bool
	verdict string
	// text is the page's one warning for every variant the element goes
	// missing in (named), or "" while it goes missing too rarely to say.
	text  string
	named []bool
}

// foundNowhere reports whether the tag found e's page but never the
// tested element on it: it counted page views, and missed the element on
// every one (counts are e's per variant, from Store.Counts or
// Store.VariantTotals). Nobody is then in the test, and the results head
// the verdict views.ElementNotFoundTitle (elementMissing.never), which
// the lists' chips say too (experimentRows).
func foundNowhere(e experiments.Experiment, counts []experiments.VariantCounts) bool {
	if e.Status == experiments.StatusDraft {
		return false
	}
	var applied, missed int64
	for _, v := range counts {
		applied, missed = applied+v.Applied, missed+v.Missed
	}
	return applied == 0 && missed > 0
}

// makeMissing words the element going missing for the page. A variant
// warns (healthWarning) past a fifth of its page views once
// healthMinMissed are missed, recently first; once one does, the page
// names every variant past that fifth in the same page views, however few
// (an original that missed 6 of 6 beside a variant that missed 13 of 13
// is the same broken selector), and says "every variant" when it is all of
// them. The page views since yesterday (HealthSince) cover the whole test
// when it started after yesterday began, so it then says "since the test
// started", as it does for all page views.
func (r *resultsReport) makeMissing() elementMissing {
	m := elementMissing{named: make([]bool, len(r.health))}
	if r.exp.Status == experiments.StatusDraft || len(r.health) == 0 {
		return m
	}
	share := r.reader == shareReader
	// The page as a person reads it, letters and all: "/料金*", not the
	// escapes it is stored in.
	page := experiments.PageShown(r.exp.Page)
	where := "the element " + r.exp.Selector + " on " + page
	wait := hideWait(r.hideTimeoutMS)
	if foundNowhere(r.exp, r.counts.Variants) {
		var missed int64
		for _, h := range r.health {
			missed += h.missed
		}
		m.never = true
		check := "check that the selector matches an element on that page, " + laterFix
		found, seen, act := "was not found there", "so no visitor has seen the test yet", check+"."
		if share {
			act = stats.TeamCan(check)
		}
		if r.exp.Status == experiments.StatusStopped {
			found, seen, act = "was never found there", "so no visitor saw the test", "before running it again, "+check+"."
			if share {
				act = "Before running it again, the team can " + check + "."
			}
		}
		m.verdict = fmt.Sprintf("The tag ran on %s matching %s, but the element %s %s %s, %s",
			counted(missed, "page view", "page views"), page, r.exp.Selector, found, wait, seen)
		if share {
			m.verdict += ". " + act
		} else {
			m.verdict += ": " + act
		}
		return m
	}
	often := func(missed, applied int64) bool {
		return missed >= healthMinMissed && float64(missed) > healthMissShare*float64(missed+applied)
	}
	var recent, overall bool
	for _, h := range r.health {
		recent = recent || often(h.recentMissed, h.recentApplied)
		overall = overall || often(h.missed, h.applied)
	}
	since := "Since the test started"
	counts := func(h variantHealth) (missed, applied int64) { return h.missed, h.applied }
	switch {
	case recent:
		counts = func(h variantHealth) (int64, int64) { return h.recentMissed, h.recentApplied }
		window := r.at.UTC().Add(-24 * time.Hour).Truncate(24 * time.Hour)
		if r.exp.StartedAt.Before(window) {
			since = "Since yesterday"
		}
	case !overall:
		return m
	}
	var parts []string
	all := true
	for i, v := range r.exp.Variants {
		missed, applied := counts(r.health[i])
		if missed == 0 || float64(missed) <= healthMissShare*float64(missed+applied) {
			all = false
			continue
		}
		m.named[i] = true
		who := views.VariantPhrase(v.Key, i == 0) + "’s"
		figures := fmt.Sprintf("(%s of %s)", formatCount(missed), formatCount(missed+applied))
		pct := stats.FormatShare(float64(missed) / float64(missed+applied))
		if len(parts) == 0 {
			parts = append(parts, pct+" of "+who+" page views "+figures)
		} else {
			parts = append(parts, pct+" of "+who+" "+figures)
		}
	}
	const check, lost = "check that the selector still matches the page, " + laterFix, "visitors who don’t see the copy aren’t in the test"
	if all && len(parts) > 1 {
		m.text = since + ", " + where + " was not found in every variant " + wait + ": on " + englishJoin(parts) + ". "
	} else {
		m.text = since + ", " + where + " was not found on " + englishJoin(parts) + " " + wait + ". "
	}
	m.text += capitalise(lost) + ". "
	if share {
		m.text += stats.TeamCan(check)
	} else {
		m.text += capitalise(check) + "."
	}
	return m
}

// makePlan is estimatePlan's plan, whose line, when it gives a figure,
// ends in what the figure assumes (stats.DescribePlanBasis): the change
// it is sized to detect is already in the line, the significance and
// power are not.
func (r *resultsReport) makePlan() resultsPlan {
	p := r.estimatePlan()
	if p.perVariant > 0 {
		p.text += " " + stats.DescribePlanBasis(len(r.arms)-1)
	}
	return p
}

// estimatePlan estimates the visitors needed to detect the practical
// threshold from the control's observed rate, and the days left at the
// traffic so far.
func (r *resultsReport) estimatePlan() resultsPlan {
	p := resultsPlan{mde: r.threshold, daysLeft: math.NaN()}
	if len(r.arms) < 2 {
		return p
	}
	var total int64
	minExp := int64(math.MaxInt64)
	for _, a := range r.arms {
		total += a.Exposures
		minExp = min(minExp, a.Exposures)
	}
	// The traffic per day is the visitors over the time the test ran,
	// paused time left out: a test 5 hours in with 2,000 visitors gets
	// about 9,600 a day, not 2,000 (the traffic of a full day). It is
	// known once the test has run an hour, whether or not the plan still
	// has time to estimate: a test that reached its sample, or stopped,
	// or is paused (the traffic it had while it ran) has it too.
	if r.exp.Status != experiments.StatusDraft && r.days >= planMinDays {
		p.visitorsPerDay, p.perDayKnown = float64(total)/r.days, true
	}
	mde := stats.FormatThreshold(r.threshold)
	switch {
	case r.exp.Status == experiments.StatusDraft:
		p.text = draftPlan
		return p
	case total == 0:
		p.text = "No visitors yet, so no estimate of how long the test needs."
		return p
	case r.an.Variants[0].Exposures == 0 || r.an.Variants[0].Rate == 0:
		p.text = "No conversions for the original yet, so no estimate of how long the test needs."
		return p
	}
	p.baseRate = r.an.Variants[0].Rate
	p.perVariant = planNeed(r.arms, r.threshold)
	if p.perVariant == 0 {
		switch {
		case p.baseRate >= 1 && r.an.Variants[0].Exposures < stats.MinExposures:
			// One visitor who converted is no sign of an original that
			// always converts: too few to tell, as the verdict says.
			p.text = "Too few visitors yet, so no estimate of how long the test needs."
		case p.baseRate >= 1:
			p.text = "The original converts every visitor, so there is no estimate of how long the test needs."
		}
		return p
	}
	need := fmt.Sprintf("about %s visitors per variant to detect a %s change from the original’s %s rate",
		formatCount(roundUp(p.perVariant)), mde, stats.FormatRate(p.baseRate))
	if minExp >= p.perVariant {
		p.reached, p.daysLeft = true, 0
		p.text = "The planned sample is reached: " + need + "."
		return p
	}
	if r.exp.Status == experiments.StatusStopped {
		p.text = fmt.Sprintf("The test stopped before its planned sample: it needed %s, and the smallest variant had %s.", need, formatCount(minExp))
		return p
	}
	var weights int
	for _, a := range r.arms {
		weights += a.WeightBP
	}
	shares := make([]float64, len(r.arms))
	starved := false // a variant short of the plan gets no traffic
	for i, a := range r.arms {
		shares[i] = 1 / float64(len(r.arms))
		if weights > 0 {
			shares[i] = float64(a.WeightBP) / float64(weights)
		}
		starved = starved || a.Exposures < p.perVariant && shares[i] == 0
	}
	// One sentence, the goal said once: stats.DescribeRunTime ends in
	// "to detect a 10% lift", which the original's rate completes.
	rate := stats.FormatRate(p.baseRate)
	have := fmt.Sprintf("the smallest has %s so far", formatCount(minExp))
	switch {
	case starved:
		// A variant short of the plan has no share of the traffic (a
		// weight of 0): it never gets there, whatever the traffic.
		p.daysLeft = math.Inf(1)
		p.text = fmt.Sprintf("No estimate of the time left: a variant short of the planned sample gets no new visitors at its 0%% weight. The test needs %s, and %s.",
			need, have)
		return p
	case r.exp.Status == experiments.StatusPaused:
		// No visitor comes while the test is paused, so there is no time
		// left "at current traffic" to give: the line says what it still
		// needs and what brings it. The traffic per day it had while it
		// ran is kept for the document.
		p.text = fmt.Sprintf("No estimate of the time left while the test is paused: no visitors come until it is resumed. Each variant needs about %s visitors to detect a %s lift from the original’s %s rate, and the smallest has %s.",
			formatCount(roundUp(p.perVariant)), mde, rate, formatCount(minExp))
		return p
	case r.days < planMinDays:
		p.text = fmt.Sprintf("How long the test needs is estimated once it has run for an hour: each variant needs about %s visitors to detect a %s lift from the original’s %s rate, and %s.",
			formatCount(roundUp(p.perVariant)), mde, rate, have)
		return p
	}
	p.daysLeft = 0
	for i, a := range r.arms {
		if left := p.perVariant - a.Exposures; left > 0 {
			p.daysLeft = max(p.daysLeft, float64(left)/(p.visitorsPerDay*shares[i]))
		}
	}
	p.text = capitalise(stats.DescribeRunTime(p.daysLeft, r.threshold)) +
		fmt.Sprintf(" from the original’s %s rate: each variant needs about %s visitors, and %s.", rate, formatCount(roundUp(p.perVariant)), have)
	switch {
	case r.days < 1 && r.pausedDays > 0:
		p.text += fmt.Sprintf(" The traffic per day comes from the %s the test ran, not the %s it was paused: the estimate settles once a full day is in, as traffic rises and falls over the day.",
			durationText(r.days), durationText(r.pausedDays))
	case r.days < 1:
		first := "first " + durationText(r.days) // "first 5 hours"
		if int(r.days*24) == 1 {
			first = "first hour"
		}
		p.text += " The traffic per day comes from the " + first + " only: the estimate settles once a full day is in, as traffic rises and falls over the day."
	case r.pausedDays > 0:
		p.text += fmt.Sprintf(" The traffic per day counts only the %s the test ran, not the %s it was paused.",
			durationText(r.days), durationText(r.pausedDays))
	}
	return p
}

// pastTense puts tooEarly's reasons in the past, for a test that stopped.
var pastTense = strings.NewReplacer("the test has run", "the test ran", "the smallest variant has", "the smallest variant had")

// makeCaution warns against acting on a decisive-looking verdict too early:
// before a full week, or before the planned sample (tooEarly). What it
// advises follows the test's state and reader; a shipped test's advises
// nothing but care.
func (r *resultsReport) makeCaution() string {
	switch r.an.Verdict.Status {
	case stats.StatusWinner, stats.StatusControlWins, stats.StatusNoMeaningfulDifference:
	default:
		return ""
	}
	if len(r.early) == 0 {
		return ""
	}
	why, until := strings.Join(r.early, " and "), strings.Join(r.until, " and ")
	share := r.reader == shareReader
	// An answer its own numbers leave open (stats.AnswerDoubt) does not
	// "look clear": the warning says first what keeps it open, as the
	// called verdict would, then that it is early too.
	doubt := stats.AnswerDoubt(r.an)
	if label, low, ok := r.clearLead(); ok && doubt == "" && slices.Contains(r.until, untilPlanned) {
		return r.clearLeadCaution(why, until, label, low)
	}
	also := "It is also early: "
	var advice string
	switch {
	case r.exp.ShippedVariant != "":
		// Shipped: over for good, its copy showing to everyone. Running it
		// again is moot, as in the shipped verdict (stats.ShippedVerdict).
		why, advice, also = pastTense.Replace(why), "read this one with care.", "It also stopped early: "
	case r.exp.Status == experiments.StatusStopped && share:
		// Nothing left to keep running: say what the early stop means.
		why, advice, also = pastTense.Replace(why), "read this one with care. "+stats.TeamCan(stats.RunAgain), "It also stopped early: "
	case r.exp.Status == experiments.StatusStopped:
		why, advice, also = pastTense.Replace(why), "read this one with care, or run the test again (Duplicate) for longer.", "It also stopped early: "
	case r.exp.Status == experiments.StatusPaused && share:
		// Whoever holds the share link cannot resume it, whatever
		// keeps it paused: say what the pause means for them.
		advice = "it needs to run " + until + " before anyone acts on it. " + capitalise(stats.PausedReadOnly) + "."
	case r.exp.Status == experiments.StatusPaused && r.resumeBlocked:
		// Resume is refused while the other test runs; the caution is
		// also on the share page, so the other test goes unnamed.
		advice = "once the test that now runs on this element stops, resume this one and keep it running " + until + " before acting on it."
	case r.exp.Status == experiments.StatusPaused:
		advice = "resume it and keep it running " + until + " before acting on it."
	default:
		advice = "keep it running " + until + " before acting on it."
	}
	opening := "This looks clear, but " + why + "."
	if doubt != "" {
		opening = "Not clear yet: " + doubt + ". " + also + why + "."
	}
	// A week in, weekdays and weekends are both in the numbers: the
	// reason no longer applies (as in clearLeadCaution).
	reasons := " Results this early often shrink or flip"
	if r.days < earlyDays {
		reasons += ", and weekday visitors differ from weekend ones"
	}
	return opening + reasons + ": " + advice
}

// clearLead is the winner whose whole uplift interval lies beyond the
// practical threshold, its label and the low end of that interval: a lead
// that looks clear by any reading of the numbers so far.
func (r *resultsReport) clearLead() (label string, low float64, ok bool) {
	if r.an.Verdict.Status != stats.StatusWinner {
		return "", 0, false
	}
	best := 0
	for i := 1; i < len(r.an.Variants); i++ {
		if best == 0 || r.an.Variants[i].ProbBest > r.an.Variants[best].ProbBest {
			best = i
		}
	}
	if best == 0 || best >= len(r.exp.Variants) {
		return "", 0, false
	}
	iv := r.an.Variants[best].UpliftInterval
	if iv == nil || !(iv.Low > r.threshold) {
		return "", 0, false
	}
	return views.VariantPhrase(r.exp.Variants[best].Key, false), iv.Low, true
}

// clearLeadCaution is makeCaution's warning for a clear lead (clearLead)
// short of the planned sample. The planned sample still holds the call
// back: it guards against peeking, and a lift read early tends to be
// overstated, most of all a large one on a low-rate page. But on such a
// page the plan, sized to detect the practical threshold, can be months
// away, and "keep it running until the planned sample is in" alone reads
// as if the numbers were in doubt. So it says why a lead this clear is
// not called yet, what waiting brings (how large the lift really is),
// and that shipping now is the team's call; a shipped test's, only care.
func (r *resultsReport) clearLeadCaution(why, until, label string, low float64) string {
	mde := stats.FormatThreshold(r.threshold)
	ended := r.exp.Status == experiments.StatusStopped
	not := "it is not called yet"
	if ended {
		why, not = pastTense.Replace(why), "it was not called"
	}
	text := "This looks clear, but " + why + ". Even the low end of " + label + "’s 95% interval, " + stats.IntervalEnd(low) +
		", is past the " + mde + " change that matters, but " + not + ". Results this early tend to overstate a lift"
	if r.days < earlyDays {
		text += ", weekday visitors differ from weekend ones"
	}
	text += ", and the plan was sized to detect a " + mde + " change, not to confirm a larger one: "
	const learn = " to learn how large the lift really is"
	ship := "shipping " + label + " now instead is the team’s call."
	switch {
	case r.exp.ShippedVariant != "":
		return text + "read this one with care."
	case ended && r.reader == shareReader:
		return text + "the team can " + stats.RunAgain + learn + ", or ship " + label + " now."
	case ended:
		return text + "run the test again (Duplicate) for longer" + learn + "; " + ship
	case r.exp.Status == experiments.StatusPaused && r.reader == shareReader:
		return text + stats.PausedReadOnly + "; shipping " + label + " now is the team’s call."
	case r.exp.Status == experiments.StatusPaused && r.resumeBlocked:
		return text + "once the test that now runs on this element stops, resume this one and keep it running " + until + learn + "; " + ship
	case r.exp.Status == experiments.StatusPaused:
		return text + "resume it and keep it running " + until + learn + "; " + ship
	}
	return text + "keep it running " + until + learn + "; " + ship
}

// durationText words a number of days: "5 hours", "1 day", "3 days".
func durationText(days float64) string {
	if days < 1 {
		switch h := int(days * 24); h {
		case 0:
			return "less than an hour"
		case 1:
			return "1 hour"
		default:
			return fmt.Sprintf("%d hours", h)
		}
	}
	if int(days) == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", int(days))
}

// roundUp rounds a planned visitor count up to two significant digits, so
// the page does not pretend to a precision the estimate does not have. It
// is stats.RoundUpCount, the rounding of the verdict's and the table's
// "N more visitors" too, so that one estimate reads the same everywhere.
func roundUp(n int64) int64 { return stats.RoundUpCount(n) }

// makeSeries turns the day rows into per-variant daily and cumulative
// counts. The store lists only the days with visitors or conversions; the
// days between them without any are filled in with zeros (the running
// totals carry over), so that a quiet stretch shows on the charts, the
// daily document and the daily CSV as the days it lasted, not as nothing.
func (r *resultsReport) makeSeries() {
	k := len(r.exp.Variants)
	if k == 0 {
		return
	}
	var next time.Time // the day after the last one listed
	for i := 0; i+k <= len(r.counts.Days); i += k {
		name := r.counts.Days[i].Day
		day, err := time.Parse(time.DateOnly, name)
		if err == nil && !next.IsZero() {
			for ; next.Before(day); next = next.AddDate(0, 0, 1) {
				r.dayNames = append(r.dayNames, next.Format(time.DateOnly))
				r.daily = append(r.daily, make([]stats.DayCounts, k))
			}
		}
		if err == nil {
			next = day.AddDate(0, 0, 1)
		}
		r.dayNames = append(r.dayNames, name)
		row := make([]stats.DayCounts, k)
		for j := 0; j < k; j++ {
			d := r.counts.Days[i+j]
			row[j] = stats.DayCounts{Exposures: d.Exposures, Conversions: d.Conversions}
		}
		r.daily = append(r.daily, row)
	}
	r.series = cumulative(r.daily, k)
}

// cumulative is each of the k variants' running totals over rows (days or
// hours, each a row of the variants' counts).
func cumulative(rows [][]stats.DayCounts, k int) [][]stats.SeriesPoint {
	out := make([][]stats.SeriesPoint, k)
	for j := range k {
		col := make([]stats.DayCounts, len(rows))
		for i := range rows {
			col[i] = rows[i][j]
		}
		out[j] = stats.Cumulative(col)
	}
	return out
}

// The charts of a young test count hours: on its first day a chart by day
// has one point. They do while its data spans under hourlySpan, from the
// first counted visitor's first exposure to now (to the stop, once
// stopped), and while it has at most hourlyMaxVisitors visitors. No
// aggregate keeps hours, so Store.Hours reads every visitor's row, which
// costs about half a microsecond a visitor (5 ms at 10,000; 125 ms at
// 200,000, where even a bare scan of the rows takes 15 ms): past the cap
// the charts keep the days, as the page is read on every 30 s refresh.
const (
	hourlySpan        = 48 * time.Hour
	hourlyMaxVisitors = 10_000
)

// addHours reads r's counts by hour for the charts when its test is young
// enough (hourlySpan, hourlyMaxVisitors); r keeps no hours otherwise. It
// reads them only when the days (makeSeries) and the counts leave it
// possible, so an older or a larger test costs nothing more.
func (a *App) addHours(ctx context.Context, r *resultsReport) error {
	if len(r.dayNames) == 0 || len(r.exp.Variants) == 0 {
		return nil
	}
	rows := r.counts.MultipleVariants + r.counts.Bots
	for _, v := range r.counts.Variants {
		rows += v.Exposures
	}
	if rows > hourlyMaxVisitors {
		return nil
	}
	// The first day listed is at or before the first exposure's: a test
	// whose first day began a day more than hourlySpan ago is old enough.
	end := runEnd(r.exp, r.at)
	if first, err := time.Parse(time.DateOnly, r.dayNames[0]); err != nil || end.Sub(first) >= hourlySpan+24*time.Hour {
		return nil
	}
	h, err := a.store.Hours(ctx, r.exp)
	if err != nil {
		return err
	}
	if h.First.IsZero() || end.Sub(h.First) >= hourlySpan {
		return nil
	}
	r.makeHourSeries(h, end)
	return nil
}

// makeHourSeries is makeSeries by hour: every hour from the first counted
// exposure's to end's (or to the last one with counts, if later), quiet
// hours as zeros, so that the chart reaches the present hour.
func (r *resultsReport) makeHourSeries(h experiments.Hours, end time.Time) {
	k := len(r.exp.Variants)
	from := h.First.UTC().Truncate(time.Hour)
	to := end.UTC().Truncate(time.Hour)
	if n := len(h.Hours); n > 0 && h.Hours[n-1].Hour.After(to) {
		to = h.Hours[n-1].Hour
	}
	next := 0 // the next row of h.Hours
	for at := from; !at.After(to); at = at.Add(time.Hour) {
		row := make([]stats.DayCounts, k)
		for ; next+k <= len(h.Hours) && !h.Hours[next].Hour.After(at); next += k {
			if !h.Hours[next].Hour.Equal(at) {
				continue // before the first exposure: cannot be, as conversions follow it
			}
			for j := 0; j < k; j++ {
				row[j] = stats.DayCounts{Exposures: h.Hours[next+j].Exposures, Conversions: h.Hours[next+j].Conversions}
			}
		}
		r.hours = append(r.hours, at)
		r.hourly = append(r.hourly, row)
	}
	r.hourSeries = cumulative(r.hourly, k)
}

// flagSegments finds the segments where a variant does clearly better or
// worse than overall.
func (r *resultsReport) flagSegments() {
	type place struct{ dim, value int }
	var segs []stats.Segment
	where := map[string]place{}
	for di, d := range r.segments {
		for vi, v := range d.Values {
			name := segmentPhrase(d.Dimension, v)
			for _, dup := where[name]; dup; _, dup = where[name] {
				name += " " // unique names map flags back; trimmed below
			}
			where[name] = place{di, vi}
			s := stats.Segment{Name: name, Arms: make([]stats.Arm, len(v.Arms))}
			for i, a := range v.Arms {
				s.Arms[i] = stats.Arm{Key: a.Key, Exposures: a.Exposures, Conversions: a.Conversions}
			}
			segs = append(segs, s)
		}
	}
	for _, f := range stats.FlagSegments(r.arms, segs, stats.SegmentOptions{GoalNoun: r.goalNoun}) {
		p := where[f.Segment]
		f.Segment = strings.TrimRight(f.Segment, " ")
		r.flags = append(r.flags, segmentFlag{SegmentFlag: f, dim: p.dim, value: p.value})
	}
}

// segmentPhrase names a segment inside a sentence: "visitors in India",
// "mobile visitors".
func segmentPhrase(dim string, v experiments.SegmentValue) string {
	switch dim {
	case experiments.DimCountry:
		switch {
		case v.Other:
			return "visitors in other countries"
		case v.Value == "":
			return "visitors whose country is unknown"
		}
		return "visitors in " + views.CountryPhrase(v.Value)
	case experiments.DimDevice:
		switch {
		case v.Other:
			return "visitors on other devices"
		case v.Value == "":
			return "visitors on unknown devices"
		}
		return v.Value + " visitors"
	case experiments.DimBrowser:
		switch {
		case v.Other:
			return "users of other browsers"
		case v.Value == "":
			return "visitors with an unknown browser"
		}
		return v.Value + " users"
	case experiments.DimReferrer:
		switch {
		case v.Other:
			return "visitors from other sites"
		case v.Value == "":
			return "visitors with no referrer"
		}
		return "visitors from " + v.Value
	default:
		switch {
		case v.Other:
			return "visitors of other campaigns"
		case v.Value == "":
			return "visitors without a utm_source"
		}
		return "visitors with utm_source “" + v.Value + "”"
	}
}

// segmentLabel names a segment value in a table.
func segmentLabel(dim string, v experiments.SegmentValue) string {
	if v.Other {
		if v.Overflow {
			// Values past experiments.MaxSegmentValues were counted
			// together: how many there were is not known.
			return fmt.Sprintf("Other (%s+ more)", formatCount(int64(v.Values+1)))
		}
		return fmt.Sprintf("Other (%s more)", formatCount(int64(v.Values)))
	}
	switch {
	case dim == experiments.DimCountry && v.Value != "":
		return views.CountryName(v.Value)
	case dim == experiments.DimDevice && v.Value != "":
		return capitalise(v.Value)
	case v.Value != "":
		return v.Value
	case dim == experiments.DimReferrer:
		// The sentences' "visitors with no referrer" (segmentPhrase):
		// one name in both. Not "direct": a page or browser that sends no
		// referrer looks the same.
		return "No referrer"
	case dim == experiments.DimUTMSource:
		return "None"
	}
	return "Unknown"
}

// segmentTitle names a dimension.
func segmentTitle(dim string) string {
	switch dim {
	case experiments.DimCountry:
		return "Country"
	case experiments.DimDevice:
		return "Device"
	case experiments.DimBrowser:
		return "Browser"
	case experiments.DimReferrer:
		return "Referring site"
	case experiments.DimUTMSource:
		return "Campaign (utm_source)"
	}
	return dim
}

// capitalise upper-cases the first letter.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// formatCount writes a count with thousands separators.
func formatCount(n int64) string { return stats.FormatCount(n) }

// counted is a count and its noun: "1 experiment", "2,000 events".
func counted(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

// results builds the live results panel. A stopped experiment's panel no
// longer polls; a draft's has nothing to show or poll for, so its counts
// are not read.
func (a *App) results(c *fiber.Ctx, e experiments.Experiment, liveURL string) views.Results {
	if e.Status == experiments.StatusDraft {
		return views.Results{Status: string(e.Status)}
	}
	if e.Status == experiments.StatusStopped {
		liveURL = ""
	}
	r, err := a.buildReport(c.UserContext(), e, false, readerOf(c))
	if err != nil {
		a.log.Error("results: counts failed", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
		return views.Results{Status: string(e.Status), LiveURL: liveURL, UpdatedAt: a.now(),
			Unavailable: "The results could not be read just now. They will appear on the next refresh."}
	}
	return withProvenance(c, e, r.resultsView(liveURL)) // generate.go
}

// verdictView is the verdict as the results page shows it; the results
// document's verdict says the same (early, from Early).
func (r *resultsReport) verdictView() views.Verdict {
	e := r.exp
	v := views.Verdict{Status: r.an.Verdict.Status, Text: r.an.Verdict.Text, Unsure: r.an.Verdict.Unsure,
		Ended: e.Status == experiments.StatusStopped, Early: r.caution != "", ReadOnly: r.reader == shareReader,
		Shipped: e.ShippedVariant != "", NotFound: r.missing.never}
	if i := r.an.Verdict.Lead; r.an.Verdict.Leads && i >= 0 && i < len(e.Variants) {
		v.Lead = e.Variants[i].Key
	}
	return v
}

// resultsView is the live panel's view model.
func (r *resultsReport) resultsView(liveURL string) views.Results {
	e := r.exp
	out := views.Results{
		Status: string(e.Status), LiveURL: liveURL, UpdatedAt: r.at,
		Excluded: r.counts.MultipleVariants, Bots: r.counts.Bots,
		Verdict:    r.verdictView(),
		Caution:    r.caution,
		Plan:       r.plan.text,
		Threshold:  r.threshold,
		Days:       r.days,
		DaysPaused: r.pausedDays,
		Goal:       r.goalNoun,
		Missing:    r.missing.text,
		NotFound:   r.missing.never,
	}
	// The words about a missing element end with raising the hide timeout
	// in the site's settings: the team's pages link them there; a share
	// link's reader cannot open them.
	if r.reader == teamReader {
		out.SettingsURL = "/sites/" + e.SiteID + "#settings"
		if r.missing.never {
			out.Verdict.SettingsURL = out.SettingsURL
		}
	}
	if e.Status == experiments.StatusDraft {
		out.Plan, out.Days, out.DaysPaused = "", 0, 0
	}
	split := r.arms
	if !e.SplitChangedAt.IsZero() && e.Status != experiments.StatusDraft {
		out.SplitChanged = e.SplitChangedAt
		split = make([]stats.Arm, len(r.arms))
		for i, a := range r.arms {
			split[i] = stats.Arm{Key: a.Key, WeightBP: a.WeightBP}
			if i < len(r.counts.Variants) {
				split[i].Exposures = r.counts.Variants[i].SinceSplit
				out.SinceSplit += split[i].Exposures
			}
		}
	}
	// The split check, once it had visitors to test: the panel shows a
	// broken split's banner, or that it passed and its p-value.
	if r.an.SRM.PValue != nil {
		out.SRM = &views.SRMBanner{PValue: *r.an.SRM.PValue, Planned: splitText(split, true), Observed: splitText(split, false)}
	}
	for _, vr := range r.an.Variants {
		out.TotalVisits += vr.Exposures
		out.TotalConvert += vr.Conversions
	}
	var tooFewRows []views.TooFewRow
	out.TooFew, out.Needed, tooFewRows = r.tooFew(out.TotalVisits, out.TotalConvert)
	for i, v := range e.Variants {
		vr := r.an.Variants[i]
		row := views.ResultRow{
			Key: v.Key, Text: v.Text, Control: i == 0,
			Exposures: vr.Exposures, Conversions: vr.Conversions, Rate: vr.Rate,
			HasProbBest: len(e.Variants) > 1 && !out.TooFew,
		}
		// While the counts are too few for any verdict, the numbers that
		// judge (uplifts, intervals, chances, p-values) are held back:
		// with a handful of visitors they swing on every one of them, yet
		// read as a result ("+100%", "71% chance to be best"). The counts
		// and rates stay. The document and the CSV keep every number.
		if !out.TooFew {
			if vr.Uplift != nil {
				row.Uplift, row.HasUplift = *vr.Uplift, true
			}
			row.RateLow, row.RateHigh, row.HasInterval = vr.RateInterval.Low, vr.RateInterval.High, true
			row.ProbBest = vr.ProbBest
			if vr.ProbBeatControl != nil {
				row.ProbBeatControl, row.HasBeatControl = *vr.ProbBeatControl, true
			}
			if vr.UpliftInterval != nil {
				row.UpliftLow, row.UpliftHigh, row.HasUpliftInterval = vr.UpliftInterval.Low, vr.UpliftInterval.High, true
			}
			if vr.PValue != nil && vr.PValueAdjusted != nil {
				row.PValue, row.PValueAdjusted, row.HasPValue = *vr.PValue, *vr.PValueAdjusted, true
			}
		}
		if i < len(tooFewRows) {
			row.TooFew = tooFewRows[i]
		}
		h := r.health[i]
		row.Health = views.Health{Applied: h.applied, Missed: h.missed, MedianMS: h.medianMS, Warning: h.warning,
			Missing: r.missing.named[i]}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// tooFew says whether the page holds back the numbers that judge (see
// resultsView): while the verdict's data check finds too few visitors or
// conversions (stats.Need: some variant under 100 visitors, or under 10
// conversions in all, whatever the verdict, since a broken split's comes
// first), but not before the first visitor, when there is nothing to hold
// back. The rule is the whole experiment's, as the verdict's is: each
// variant's chance to be best rests on every other's counts.
//
// needed is the line under "Too few visitors yet" (or "Too few clicks
// yet", TooFewRow.Of, once every variant has its visitors), the same on
// every row:
// the verdict's own estimate of the visitors still needed, or, with no
// conversion to estimate from yet, the least the verdict asks for. rows,
// when not nil, says it row by row instead, in the verdict's terms: a
// variant at 0% of the split that never gets its visitors
// (stats.Need.Unfed) says so, and the others that they wait for it; short
// of the minimum of visitors a variant (stats.Need.Minimum), each short
// variant says how many it lacks and the others what they wait for.
func (r *resultsReport) tooFew(visitors, conversions int64) (tooFew bool, needed string, rows []views.TooFewRow) {
	need := r.an.Need
	if !need.Short || visitors == 0 || r.exp.Status == experiments.StatusDraft {
		return false, "", nil
	}
	stopped := r.exp.Status == experiments.StatusStopped
	were := "needed"
	if stopped {
		were = "were needed"
	}
	label := func(i int) string { return views.VariantPhrase(r.exp.Variants[i].Key, i == 0) }
	if len(need.Unfed) > 0 || need.Minimum {
		var unfed, short []string
		for _, i := range need.Unfed {
			unfed = append(unfed, label(i))
		}
		for i, a := range r.arms {
			if a.Exposures < stats.MinExposures && !slices.Contains(need.Unfed, i) {
				short = append(short, label(i))
			}
		}
		gets, get := "gets", "get"
		if stopped {
			gets, get = "got", "got"
		}
		rows = make([]views.TooFewRow, len(r.arms))
		for i, a := range r.arms {
			switch {
			case slices.Contains(need.Unfed, i):
				rows[i] = views.TooFewRow{NoTraffic: true, Needed: "0% of visitors"}
			case a.Exposures < stats.MinExposures:
				rows[i].Needed = strings.Replace(counted(stats.MinExposures-a.Exposures, "visitor", "visitors"), " ", " more ", 1) + " " + were
			case len(unfed) == 1:
				rows[i].Needed = "Waiting for " + unfed[0] + ", which " + gets + " no traffic"
			case len(unfed) > 1:
				rows[i].Needed = "Waiting for " + englishJoin(unfed) + ", which " + get + " no traffic"
			case stopped:
				rows[i].Needed = capitalise(englishJoin(short)) + " stopped short of " + formatCount(stats.MinExposures) + " visitors"
			default:
				rows[i].Needed = "Waiting for " + englishJoin(short) + " to reach " + formatCount(stats.MinExposures) + " visitors"
			}
		}
		return true, "", rows
	}
	// Once every variant has its visitors, what the test lacks is
	// conversions: each row's label names them as the verdict does ("Too
	// few clicks yet"), over the same line.
	if of := r.tooFewOf(); of != "" {
		rows = make([]views.TooFewRow, len(r.arms))
		for i := range rows {
			rows[i].Of = of
		}
	}
	if need.More > 0 {
		return true, "About " + formatCount(need.More) + " more visitors per variant " + were, rows
	}
	if conversions == 0 {
		return true, fmt.Sprintf("At least %s %s and %s visitors per variant %s",
			formatCount(stats.MinConversions), r.goalNoun, formatCount(stats.MinExposures), were), rows
	}
	return true, "", rows
}

// tooFewOf is what the counts lack, while they are too few for a
// verdict, when it is not visitors: the goal's conversions ("clicks")
// once every variant has its visitors; "" while some variant is short of
// them. The table's rows (TooFewRow.Of) and the segments' line
// (Trends.TooFewOf) name it.
func (r *resultsReport) tooFewOf() string {
	if slices.ContainsFunc(r.arms, func(a stats.Arm) bool { return a.Exposures < stats.MinExposures }) {
		return ""
	}
	return r.goalNoun
}

// splitText is the planned or observed split, "50% / 50%".
func splitText(arms []stats.Arm, planned bool) string {
	var total float64
	for _, a := range arms {
		if planned {
			total += float64(a.WeightBP)
		} else {
			total += float64(a.Exposures)
		}
	}
	parts := make([]string, len(arms))
	for i, a := range arms {
		v := float64(a.Exposures)
		if planned {
			v = float64(a.WeightBP)
		}
		share := 0.0
		if total > 0 {
			share = v / total
		}
		parts[i] = stats.FormatShare(share)
	}
	return strings.Join(parts, " / ")
}

// seriesKeys are the variants as the charts name and colour them.
func (r *resultsReport) seriesKeys() []views.SeriesKey {
	keys := make([]views.SeriesKey, len(r.exp.Variants))
	for i, v := range r.exp.Variants {
		keys[i] = views.SeriesKey{Key: v.Key, Label: views.VariantLabel(v.Key, i == 0), Class: views.SeriesClass(i)}
	}
	return keys
}

// trendsView is the charts' and segments' view model.
func (r *resultsReport) trendsView(liveURL string) views.Trends {
	if r.exp.Status == experiments.StatusStopped {
		liveURL = ""
	}
	t := views.Trends{LiveURL: liveURL, Keys: r.seriesKeys(), TooFew: r.an.Need.Short}
	if t.TooFew {
		t.TooFewOf = r.tooFewOf()
	}
	// A young test's charts count hours (addHours), an older one's days.
	names, counts, series := r.dayNames, r.daily, r.series
	if len(r.hours) > 0 {
		t.Hourly, t.HourlyMax = true, hourlyMaxVisitors
		names = make([]string, len(r.hours))
		for i, h := range r.hours {
			names[i] = h.Format(time.DateOnly)
		}
		counts, series = r.hourly, r.hourSeries
	}
	for d, name := range names {
		row := views.DayRow{Day: name, Cells: make([]views.DayCell, len(r.exp.Variants))}
		if t.Hourly {
			row.Hour = r.hours[d]
		}
		var conversions int64
		for j := range r.exp.Variants {
			p := series[j][d]
			row.Cells[j] = views.DayCell{
				Exposures: counts[d][j].Exposures, Conversions: counts[d][j].Conversions,
				CumExposures: p.Exposures, CumConversions: p.Conversions, CumRate: p.Rate,
				CumRateLow: p.RateInterval.Low, CumRateHigh: p.RateInterval.High,
			}
			conversions += p.Conversions
			row.TooFew = row.TooFew || p.Exposures < stats.MinExposures
		}
		// The verdict's data check on the running totals of the day (or
		// hour), so that the chart draws no band the table would hold
		// back; while the table holds them back (the check on today's
		// counts), no day has one.
		row.TooFew = row.TooFew || conversions < stats.MinConversions || r.an.Need.Short
		t.Days = append(t.Days, row)
	}
	t.RateChart = views.NewRateChart("chart-rate", t.Days, t.Keys)
	t.VisitChart = views.NewVisitChart("chart-visits", t.Days, t.Keys)

	flagged := map[[3]int]segmentFlag{} // dimension, value, variant
	pos := map[string]int{}
	for i, v := range r.exp.Variants {
		pos[v.Key] = i
	}
	for _, f := range r.flags {
		flagged[[3]int{f.dim, f.value, pos[f.Variant]}] = f
	}
	for di, d := range r.segments {
		st := views.SegmentTable{Dimension: d.Dimension, Title: segmentTitle(d.Dimension), Keys: t.Keys, Open: di == 0}
		if len(d.Values) > 0 {
			t.Dimensions++
		}
		// No country known at all is no segment but a setting not made
		// (geo_country.go): the view says which instead of one "Unknown".
		st.NoCountry = d.Dimension == experiments.DimCountry && len(d.Values) > 0
		for _, v := range d.Values {
			st.NoCountry = st.NoCountry && v.Value == "" && !v.Other
		}
		for vi, v := range d.Values {
			row := views.SegmentRow{Label: segmentLabel(d.Dimension, v), Visitors: v.Exposures, Other: v.Other,
				Unknown: v.Value == "" && !v.Other, Cells: make([]views.SegmentCell, len(v.Arms))}
			var controlRate float64
			for i, a := range v.Arms {
				cell := views.SegmentCell{Exposures: a.Exposures, Conversions: a.Conversions}
				if a.Exposures > 0 {
					cell.Rate = float64(a.Conversions) / float64(a.Exposures)
				}
				if i == 0 {
					controlRate = cell.Rate
				} else if controlRate > 0 && a.Exposures > 0 {
					cell.Uplift, cell.HasUplift = cell.Rate/controlRate-1, true
				}
				if f, ok := flagged[[3]int{di, vi, i}]; ok {
					cell.Flag, cell.Note = "worse", f.Text
					if f.Better {
						cell.Flag = "better"
					}
					row.Flagged = true
					st.Open = true
				}
				row.Cells[i] = cell
			}
			st.Rows = append(st.Rows, row)
		}
		t.Segments = append(t.Segments, st)
	}
	t.Findings = r.findings()
	return t
}

// findings sum up each variant's flagged segments in one sentence, with
// the flags' own sentences as details.
func (r *resultsReport) findings() []views.SegmentFinding {
	var out []views.SegmentFinding
	for i := 1; i < len(r.exp.Variants); i++ {
		key := r.exp.Variants[i].Key
		var better, worse []segmentFlag
		var details []string
		for _, f := range r.flags {
			if f.Variant != key {
				continue
			}
			details = append(details, f.Text)
			if f.Better {
				better = append(better, f)
			} else {
				worse = append(worse, f)
			}
		}
		if len(details) == 0 {
			continue
		}
		// A flag compares the variant's lift in a segment with its own
		// lift overall, and the sentence says so: "does clearly worse for
		// desktop visitors" read as worse than the original where it was
		// level with it.
		var parts []string
		if len(better) > 0 {
			parts = append(parts, "clearly higher for "+r.joinSegments(better))
		}
		if len(worse) > 0 {
			parts = append(parts, "clearly lower for "+r.joinSegments(worse))
		}
		s := views.VariantPhrase(key, false) + "'s lift on " + r.goalNoun + " is " + strings.Join(parts, ", and ")
		if len(parts) > 1 {
			s += ","
		}
		s += " than overall"
		vr := r.an.Variants[i]
		if vr.Uplift != nil {
			s += "; overall it is " + overallAgainst(*vr.Uplift, views.VariantPhrase(r.exp.Variants[0].Key, true))
			if vr.UpliftInterval != nil && vr.UpliftInterval.Low < 0 && vr.UpliftInterval.High > 0 && len(better) > 0 && len(worse) > 0 {
				s += ", so the segments even out"
			}
		}
		out = append(out, views.SegmentFinding{Summary: s + ".", Details: details})
	}
	return out
}

// overallAgainst words a variant's overall uplift against control in a
// sentence: "+1.2% against the original", or "level with the original"
// when it reads ±0.0%, the table's signless zero, which is no change in
// words (the rule beside the helpers of views/results_format.go).
func overallAgainst(uplift float64, control string) string {
	if s := stats.SignedPercent(uplift); s != stats.SignedPercent(0) {
		return s + " against " + control
	}
	return "level with " + control
}

// joinSegments lists flagged segments in a sentence, naming countries
// together: "visitors in the United States and India".
func (r *resultsReport) joinSegments(fs []segmentFlag) string {
	var countries, others []string
	for _, f := range fs {
		d := r.segments[f.dim]
		v := d.Values[f.value]
		if d.Dimension == experiments.DimCountry && v.Value != "" && !v.Other {
			countries = append(countries, views.CountryPhrase(v.Value))
		} else {
			others = append(others, f.Segment)
		}
	}
	var all []string
	if len(countries) > 0 {
		all = append(all, "visitors in "+englishJoin(countries))
	}
	return englishJoin(append(all, others...))
}

// englishJoin joins "a", "a and b", "a, b and c".
func englishJoin(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
