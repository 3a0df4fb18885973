package views

import "time"

// The view models of the results: the live panel (experiment page, results
// page, share page), the slower-moving trends (charts and segments) and the
// pages around them. Package app fills them from experiments/stats; the
// components only format.

// ResultRow is one variant's line of the results table. The Has… flags say
// whether a number exists (the spec leaves some absent, such as the
// control's uplift).
type ResultRow struct {
	Key         string
	Text        string
	Control     bool
	Exposures   int64
	Conversions int64
	Rate        float64 // conversions / exposures; 0 without exposures
	RateLow     float64 // 95% interval of the rate, when HasInterval
	RateHigh    float64
	HasInterval bool
	ProbBest    float64 // chance to be best, when HasProbBest
	HasProbBest bool

	ProbBeatControl   float64 // when HasBeatControl
	HasBeatControl    bool
	Uplift            float64 // relative to the control, when HasUplift
	HasUplift         bool
	UpliftLow         float64 // 95% interval of the uplift, when HasUpliftInterval
	UpliftHigh        float64
	HasUpliftInterval bool
	PValue            float64 // against the control, when HasPValue
	PValueAdjusted    float64 // Holm-adjusted over the variants
	HasPValue         bool

	Health Health

	Provenance Provenance // where generated copy came from; empty on public pages

	// TooFew is what the row says where its chance to be best would be
	// while the counts are too few (Results.TooFew); zero: Results.Needed.
	TooFew TooFewRow
}

// TooFewRow is one row's own words while the counts are too few for any
// verdict, when they differ by row: what its variant still lacks ("24
// more visitors needed"), or what it waits for ("Waiting for Variant B to
// reach 100 visitors"). NoTraffic says the variant gets no share of the
// traffic (0%), so it never gets its visitors: the row says that instead
// of "Too few visitors yet".
//
// Of is what is too few when it is not visitors: the goal's conversions
// ("clicks"), once every variant has its visitors and the test lacks
// conversions; the row then says "Too few clicks yet".
type TooFewRow struct {
	NoTraffic bool
	Needed    string
	Of        string
}

// tooFewOf is what a row's "Too few … yet" names: visitors, unless the
// row says otherwise (TooFewRow.Of).
func tooFewOf(row TooFewRow) string {
	if row.Of != "" {
		return row.Of
	}
	return "visitors"
}

// Health is the snippet's telemetry for one variant: page views where the
// element was found and its copy set, page views where it was missing, and
// the median time from navigation start to the swap.
type Health struct {
	Applied  int64
	Missed   int64
	MedianMS float64
	// Warning is set when the element goes missing too often (recently or
	// overall): the selector probably stopped matching.
	Warning string
	// Missing says the page's warning (Results.Missing) names this
	// variant.
	Missing bool
}

// Verdict is the one sentence at the top of the results. Status is one of
// the spec's statuses; "" means no statistics (nothing to show).
type Verdict struct {
	Status string
	Text   string
	// Unsure says a winner or control_wins is called only as probable
	// (stats.Verdict.Unsure): Text hedges and leaves the choice, so the
	// title and the Ship buttons do not announce the answer flatly.
	Unsure bool
	// Ended says the test has stopped (shipped ones too): no more
	// visitors come, so the title does not say to wait.
	Ended bool
	// Shipped says a variant was shipped: the title of an original that
	// did best says what the results found, not "Keep the original".
	Shipped bool
	// Early says a decisive status (winner, control_wins,
	// no_meaningful_difference) came too soon to act on: the test is
	// younger than a full week or short of its planned sample. The title
	// then says it is not called, and Text is worded without a call to act.
	Early bool
	// NotFound says the page matched but the tested element was on none
	// of its page views, so nobody is in the test: the title says so, and
	// Text names the selector and the page.
	NotFound bool
	// ReadOnly says the reader cannot act on the test (a share link):
	// the title of a paused test does not tell them to resume it.
	ReadOnly bool
	// SettingsURL, when set, links SiteSettingsPhrase in Text (the hide
	// timeout of an element not found) to the site's settings.
	SettingsURL string
	// Lead is the key of the variant Text names in the lead
	// (stats.Verdict.Lead), the original's included: the winner, the
	// original when it wins, or the one it says is (or was) ahead while it
	// is too early to call. It is "" where Text names no one variant
	// ahead: no clear leader yet, several variants that beat the original
	// with the best of them open, no meaningful difference, not enough
	// data, a broken split. The Ship buttons name this leader
	// (ExperimentPage.Leader), as the lists name it.
	Lead string
}

// SiteSettingsPhrase ends the advice to raise the site's hide timeout
// where the tag does not find the element (Results.Missing, and the
// verdict when it is found nowhere): the team's pages link it to the
// site's settings (SettingsURL); the document and share links keep it
// as text.
const SiteSettingsPhrase = "the site’s settings"

// SRMBanner is the split check's outcome: its p-value, and the planned
// and observed shares the banner of a broken split shows.
type SRMBanner struct {
	PValue   float64
	Planned  string // "50% / 50%"
	Observed string // "58% / 42%"
}

// Results is the live results panel, shared by the experiment page, the
// results page and the read-only share page.
type Results struct {
	LiveURL string // the fragment to poll; "" stops polling
	// Heading is the level of the panel's headings: 3 on the experiment
	// page, under its card's own "Results" heading, which its polls ask
	// for (?heading=3); 2 (or 0) on the results and share pages.
	Heading      int
	Status       string
	Rows         []ResultRow
	Excluded     int64 // visitors who saw several variants
	Bots         int64
	UpdatedAt    time.Time
	Unavailable  string // shown instead of the table when counts could not be read
	TotalVisits  int64
	TotalConvert int64
	// TooFew says the counts are still too few for any verdict but "not
	// enough data" (the spec's rule, which is the whole experiment's): the
	// rows then carry no interval, chance or p-value, and the table says
	// "Too few visitors yet" where the chance to be best would be, over
	// Needed, what more it takes ("About 1,200 more visitors per variant
	// needed"; "" when there is nothing to say), or each row's own words
	// (ResultRow.TooFew) where they are set.
	TooFew bool
	Needed string

	Verdict Verdict
	SRM     *SRMBanner // nil while the split check has no p-value
	// SplitChanged is when the weights changed while the test ran (zero:
	// never), and SinceSplit the visitors who came after that day, the
	// ones the split check counts.
	SplitChanged time.Time
	SinceSplit   int64
	Caution      string  // a warning against calling the result early, or ""
	Plan         string  // how long until the planned sample, one sentence
	Threshold    float64 // the practical threshold (relative uplift)
	Days         float64 // days the test has run since the start, paused time left out
	DaysPaused   float64 // days it spent paused, which Days leaves out
	Goal         string  // what is counted, plural ("clicks")
	// Missing is the one warning that the tag finds the page but not the
	// element on it, in the variants it names (each row's Health.Missing),
	// or "". NotFound: it was found on no page view at all (Verdict.NotFound).
	Missing  string
	NotFound bool
	// SettingsURL, when set, links SiteSettingsPhrase in Missing to the
	// site's settings.
	SettingsURL string
	// ShippedKey is the variant that was shipped ("" when none was), and
	// ShippedAt when: the panel says which, and since when every visitor
	// sees it, and marks its row. The experiment's page says it in its
	// own notice, so only the results and share pages set them.
	ShippedKey string
	ShippedAt  time.Time
}

// ResultsPage is the full results page of one experiment.
type ResultsPage struct {
	Page
	ID          string
	Name        string
	Status      string
	ShareURL    string // "" while the share link is turned off
	Goal        string // a sentence describing the goal
	Results     Results
	Trends      Trends
	CSVURL      string     // the variant table as CSV
	DailyCSVURL string     // the daily series as CSV
	Recordings  Recordings // per variant, where to watch its session recordings
}

// SharePage is the public, read-only results page behind a share link.
type SharePage struct {
	Page
	Name        string
	Status      string
	PageURL     string
	Goal        string
	Started     time.Time
	Results     Results
	Variants    []VariantView
	Trends      Trends
	CSVURL      string
	DailyCSVURL string
	Recordings  Recordings
}

// Trends are the parts of the results that move slowly: the charts over
// time and the segments. They refresh less often than the live panel.
type Trends struct {
	LiveURL     string // polled every 30 s; "" stops polling
	Unavailable string
	RateChart   LineChart
	VisitChart  BarChart
	Days        []DayRow
	Keys        []SeriesKey // the variants, in order, for the data tables
	Segments    []SegmentTable
	Findings    []SegmentFinding
	Dimensions  int // dimensions with any data
	// Hourly: Days are hours (each DayRow.Hour set), for a young test,
	// whose chart by day would have a point or two; HourlyMax is the most
	// visitors a test has with hourly charts.
	Hourly    bool
	HourlyMax int64
	// TooFew: the counts are too few for any verdict (Results.TooFew), so
	// no segment can stand out yet, and the page does not say that none
	// does. TooFewOf is what is too few when it is not visitors, as the
	// table's rows name it (TooFewRow.Of): the goal's conversions
	// ("clicks") once every variant has its visitors.
	TooFew   bool
	TooFewOf string

	// Draft is a draft's trends: it has not started, so there is nothing
	// to draw. ExperimentURL leads a member back to the experiment; "" on
	// a share link.
	Draft         bool
	ExperimentURL string
	// ReadOnly is the trends of a share link. Its viewer has no account
	// and runs no server, so what is not set up (no country known) reads
	// as a fact, not as advice on copylab's options.
	ReadOnly bool
	// Overall is each marked variant's uplift over all traffic, by key:
	// the figure its segments' marks compare with ("clearly worse here
	// than overall", "+83.3% overall"). A variant without a mark is not in
	// it.
	Overall map[string]float64
}

// SeriesKey names one variant in the charts' legends and tables.
type SeriesKey struct {
	Key   string
	Label string
	Class string // series-0, series-1, …: its colour
}

// DayRow is one day of the data tables behind the charts: per variant, in
// Keys order. In an hourly chart (Trends.Hourly) it is one hour.
type DayRow struct {
	Day string // YYYY-MM-DD, UTC
	// Hour is the start of the row's hour (UTC) in an hourly chart, and
	// zero in a chart by day.
	Hour  time.Time
	Cells []DayCell
	// TooFew says the running totals at the end of this day were too few
	// for any verdict but "not enough data", as Results.TooFew: the
	// charts and tables then show no interval for the day.
	TooFew bool
}

// DayCell is one variant on one day (or hour).
type DayCell struct {
	Exposures               int64 // new visitors that day (or hour)
	Conversions             int64
	CumExposures            int64
	CumConversions          int64
	CumRate                 float64
	CumRateLow, CumRateHigh float64
}

// SegmentTable is one dimension (country, device, …) with a row per value.
type SegmentTable struct {
	Dimension string
	Title     string // "Country"
	Open      bool   // shown unfolded at first
	Keys      []SeriesKey
	Rows      []SegmentRow
	// NoCountry says every visitor's country is unknown (the country
	// dimension's one row would be "Unknown"): the segment then says how
	// copylab learns countries instead of showing that row.
	NoCountry bool
}

// SegmentRow is one value of a dimension.
type SegmentRow struct {
	Label    string // "United States", "Other (12 values)"
	Visitors int64
	Cells    []SegmentCell // per variant, in Keys order
	Flagged  bool
	Other    bool
	Unknown  bool
}

// SegmentCell is one variant within one segment value.
type SegmentCell struct {
	Exposures   int64
	Conversions int64
	Rate        float64
	Uplift      float64 // against the control in this segment, when HasUplift
	HasUplift   bool
	// Flag is "better" or "worse" when this variant's lift is clearly
	// higher or lower here than overall, else "".
	Flag string
	Note string // the flag's sentence
}

// SegmentFinding sums up one variant's flagged segments in words:
// "Variant B's lift on clicks is clearly higher for visitors in the
// United States and India, and clearly lower for visitors in the United
// Kingdom, than overall; overall it is +1.0% against the original."
type SegmentFinding struct {
	Summary string
	Details []string // one sentence per flag
}

// PlanEstimate is the sample-size estimate shown on the experiment form.
type PlanEstimate struct {
	Error       string // why there is no estimate ("" when there is)
	PerVariant  int64
	Total       int64
	Variants    int
	BaseRate    float64
	MDE         float64
	Days        float64 // 0 when no traffic was given
	HasDays     bool
	RunTimeText string
}

// PlanForm is the planning part of the experiment form: the practical
// threshold and the estimate's inputs.
type PlanForm struct {
	Threshold   string // percent, as typed
	BaseRate    string // percent
	DailyVisits string
	Variants    int
	Estimate    PlanEstimate
	// BaseMeasured and DailyMeasured say that BaseRate and DailyVisits
	// come from a started test's results so far, not from the person:
	// the help beside each field says so.
	BaseMeasured, DailyMeasured bool
	// DailyPending says a started test has run under an hour: its traffic
	// fills DailyVisits once it has (the help says so).
	DailyPending bool
}
