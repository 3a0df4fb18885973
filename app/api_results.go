package app

import (
	"math"
	"reflect"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// The results document (DESIGN.md "Results document"; every number as
// ../shared/spec/statistics.md defines it). Absent values are JSON null,
// never left out, so clients can rely on the shape: the control's
// prob_beat_control, uplift, uplift_interval, p_value and p_value_adjusted
// are null, and so is an uplift while the control's rate is 0; a variant's
// uplift and uplift_interval are null while it or the control has no
// visitors. days_running leaves out the time the test spent paused,
// which days_paused is. shipped_variant is the experiment
// document's shipped_variant ("" when nothing is shipped), with
// shipped_at (null then).

type apiResultVariant struct {
	Key             string        `json:"key"`
	Text            string        `json:"text"`
	Exposures       int64         `json:"exposures"`
	Conversions     int64         `json:"conversions"`
	Rate            float64       `json:"rate"`
	RateInterval    [2]float64    `json:"rate_interval"`
	ProbBest        float64       `json:"prob_best"`
	ProbBeatControl *float64      `json:"prob_beat_control"`
	Uplift          *float64      `json:"uplift"`
	UpliftInterval  *[2]float64   `json:"uplift_interval"`
	PValue          *float64      `json:"p_value"`
	PValueAdjusted  *float64      `json:"p_value_adjusted"`
	Recordings      apiRecordings `json:"recordings"`
	Health          apiHealth     `json:"health"`
}

// apiRecordings links a variant's session recordings (recordings_api.go
// fills it): the recorder's list of the variant's recordings where it has
// one (else null), plain-text instructions for the recorders without, the
// variant's recent sessions, newest first, one per recording, and its
// recent recorded visitors, one per visitor as the results page lists
// them, with a link for each of their recordings; then how many visitors
// were recorded in all, the results page's count, and the URL of GET
// …/recordings that lists every one of them (null without recorders).
type apiRecordings struct {
	ListURL       *string               `json:"list_url"`
	Instructions  []string              `json:"instructions"`
	Sessions      []apiRecordingSession `json:"sessions"`
	Visitors      []apiRecordedVisitor  `json:"visitors"`
	VisitorsTotal int64                 `json:"visitors_total"`
	VisitorsURL   *string               `json:"visitors_url"`
}

// apiHealth is the snippet's telemetry for a variant: page views where the
// element was found and its copy applied, page views where it was missing,
// the median milliseconds to the swap, the same two counts for the last two
// UTC days, and a warning sentence when the element goes missing too often.
type apiHealth struct {
	Applied       int64   `json:"applied"`
	Missed        int64   `json:"missed"`
	MedianMS      float64 `json:"median_ms"`
	RecentApplied int64   `json:"recent_applied"`
	RecentMissed  int64   `json:"recent_missed"`
	Warning       *string `json:"warning"`
}

// apiSRM is the split check. p_value is null when there was nothing to
// test (no visitor yet, or none since the split changed): a 1 would read
// as a split checked and found perfect.
type apiSRM struct {
	PValue  *float64 `json:"p_value"`
	Flagged bool     `json:"flagged"`
}

type apiExcluded struct {
	MultipleVariants int64 `json:"multiple_variants"`
	Bots             int64 `json:"bots"`
}

// apiVerdict is the answer: status is the spec's code and stays it, text
// the page's sentence. early is true exactly when the results page heads
// the answer as not called yet (a winner, control_wins or
// no_meaningful_difference while the test is under a full week or short
// of its planned sample: caution says why), so a script need not act on
// a status the page tells a person to wait on; headline is the page's
// heading for it, in its words ("Early lead: not called yet").
type apiVerdict struct {
	Status   string `json:"status"`
	Text     string `json:"text"`
	Early    bool   `json:"early"`
	Headline string `json:"headline"`
}

// apiPlan is the sample-size estimate for the practical threshold (mde),
// from the control's observed rate and the traffic so far.
type apiPlan struct {
	MDE                  float64  `json:"mde"`
	BaselineRate         *float64 `json:"baseline_rate"`
	SampleSizePerVariant *int64   `json:"sample_size_per_variant"`
	VisitorsPerDay       *float64 `json:"visitors_per_day"`
	DaysRemaining        *float64 `json:"days_remaining"`
	Reached              bool     `json:"reached"`
	Text                 string   `json:"text"`
}

// apiDay is one variant on one UTC day: its new visitors and the
// conversions of that day, and the running totals at the end of it.
type apiDay struct {
	Day                    string     `json:"day"`
	Key                    string     `json:"key"`
	Exposures              int64      `json:"exposures"`
	Conversions            int64      `json:"conversions"`
	CumulativeExposures    int64      `json:"cumulative_exposures"`
	CumulativeConversions  int64      `json:"cumulative_conversions"`
	CumulativeRate         float64    `json:"cumulative_rate"`
	CumulativeRateInterval [2]float64 `json:"cumulative_rate_interval"`
}

type apiSegmentDimension struct {
	Dimension string            `json:"dimension"`
	Values    []apiSegmentValue `json:"values"`
}

// apiSegmentValue is one value of a dimension; "other" folds the values
// beyond the top 20 (its value is null and values_folded says how many).
type apiSegmentValue struct {
	Value        *string `json:"value"`
	Label        string  `json:"label"`
	Other        bool    `json:"other"`
	ValuesFolded int     `json:"values_folded"`
	// ValuesCapped: Other also holds the values past the per-dimension
	// cap, counted together, so it folds more than ValuesFolded values.
	ValuesCapped bool               `json:"values_capped,omitempty"`
	Exposures    int64              `json:"exposures"`
	Variants     []apiSegmentBucket `json:"variants"`
}

type apiSegmentBucket struct {
	Key         string   `json:"key"`
	Exposures   int64    `json:"exposures"`
	Conversions int64    `json:"conversions"`
	Rate        float64  `json:"rate"`
	Uplift      *float64 `json:"uplift"`
}

// apiSegmentFlag is a variant doing clearly better or worse in a segment
// than overall (stats.FlagSegments).
type apiSegmentFlag struct {
	Dimension     string     `json:"dimension"`
	Value         *string    `json:"value"`
	Segment       string     `json:"segment"`
	Variant       string     `json:"variant"`
	Better        bool       `json:"better"`
	Uplift        float64    `json:"uplift"`
	OverallUplift float64    `json:"overall_uplift"`
	Interval      [2]float64 `json:"interval"`
	Level         float64    `json:"level"`
	Text          string     `json:"text"`
}

type apiResults struct {
	ID             string                `json:"id"`
	Name           string                `json:"name"`
	Status         string                `json:"status"`
	Threshold      float64               `json:"threshold"`
	StartedAt      *apiTime              `json:"started_at"`
	DaysRunning    float64               `json:"days_running"`
	DaysPaused     float64               `json:"days_paused"`
	ShippedVariant string                `json:"shipped_variant"`
	ShippedAt      *apiTime              `json:"shipped_at"`
	Variants       []apiResultVariant    `json:"variants"`
	SRM            apiSRM                `json:"srm"`
	Excluded       apiExcluded           `json:"excluded"`
	Verdict        apiVerdict            `json:"verdict"`
	Caution        *string               `json:"caution"`
	Plan           apiPlan               `json:"plan"`
	Daily          []apiDay              `json:"daily"`
	Segments       []apiSegmentDimension `json:"segments"`
	SegmentFlags   []apiSegmentFlag      `json:"segment_flags"`
	GeneratedAt    apiTime               `json:"generated_at"`
}

// apiResults answers GET /api/v1/experiments/:id/results.
func (a *App) apiResults(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	r, err := a.buildReport(ctx, e, true, teamReader)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	doc := r.document()
	if err := a.addRecordings(ctx, e, doc.Variants); err != nil { // recordings_api.go
		return err
	}
	return c.JSON(doc)
}

// document is the report as the results document.
func (r *resultsReport) document() apiResults {
	e := r.exp
	out := apiResults{
		ID: e.ID, Name: e.Name, Status: string(e.Status), Threshold: r.threshold,
		StartedAt: optTime(e.StartedAt), DaysRunning: round6(r.days), DaysPaused: round6(r.pausedDays),
		ShippedVariant: e.ShippedVariant, ShippedAt: optTime(e.ShippedAt),
		Variants:     make([]apiResultVariant, len(e.Variants)),
		SRM:          apiSRM{PValue: r.an.SRM.PValue, Flagged: r.an.SRM.Flagged},
		Excluded:     apiExcluded{MultipleVariants: r.counts.MultipleVariants, Bots: r.counts.Bots},
		Verdict:      r.apiVerdict(),
		Caution:      optString(r.caution),
		Daily:        []apiDay{},
		Segments:     []apiSegmentDimension{},
		SegmentFlags: []apiSegmentFlag{},
		GeneratedAt:  apiTime(r.at),
	}
	for i, v := range e.Variants {
		vr := r.an.Variants[i]
		h := r.health[i]
		rv := apiResultVariant{
			Key: v.Key, Text: v.Text, Exposures: vr.Exposures, Conversions: vr.Conversions, Rate: vr.Rate,
			RateInterval:    [2]float64{vr.RateInterval.Low, vr.RateInterval.High},
			ProbBest:        vr.ProbBest,
			ProbBeatControl: vr.ProbBeatControl, Uplift: vr.Uplift, PValue: vr.PValue, PValueAdjusted: vr.PValueAdjusted,
			Recordings: apiRecordings{Instructions: []string{}, Sessions: []apiRecordingSession{},
				Visitors: []apiRecordedVisitor{}},
			Health: apiHealth{Applied: h.applied, Missed: h.missed, MedianMS: h.medianMS,
				RecentApplied: h.recentApplied, RecentMissed: h.recentMissed, Warning: optString(h.warning)},
		}
		if iv := vr.UpliftInterval; iv != nil {
			rv.UpliftInterval = &[2]float64{iv.Low, iv.High}
		}
		out.Variants[i] = rv
	}
	p := r.plan
	out.Plan = apiPlan{MDE: p.mde, Reached: p.reached, Text: p.text}
	if p.baseRate > 0 {
		out.Plan.BaselineRate = &p.baseRate
	}
	if p.perVariant > 0 {
		out.Plan.SampleSizePerVariant = &p.perVariant
	}
	if p.perDayKnown {
		v := round6(p.visitorsPerDay)
		out.Plan.VisitorsPerDay = &v
	}
	if !math.IsNaN(p.daysLeft) && !math.IsInf(p.daysLeft, 0) {
		v := round6(p.daysLeft)
		out.Plan.DaysRemaining = &v
	}

	for d, day := range r.dayNames {
		for j, v := range e.Variants {
			s := r.series[j][d]
			out.Daily = append(out.Daily, apiDay{
				Day: day, Key: v.Key, Exposures: r.daily[d][j].Exposures, Conversions: r.daily[d][j].Conversions,
				CumulativeExposures: s.Exposures, CumulativeConversions: s.Conversions, CumulativeRate: s.Rate,
				CumulativeRateInterval: [2]float64{s.RateInterval.Low, s.RateInterval.High},
			})
		}
	}
	for _, d := range r.segments {
		dim := apiSegmentDimension{Dimension: d.Dimension, Values: make([]apiSegmentValue, len(d.Values))}
		for vi, v := range d.Values {
			sv := apiSegmentValue{Label: segmentLabel(d.Dimension, v), Other: v.Other, ValuesFolded: 0,
				Exposures: v.Exposures, Variants: make([]apiSegmentBucket, len(v.Arms))}
			if v.Other {
				sv.ValuesFolded, sv.ValuesCapped = v.Values, v.Overflow
			} else {
				sv.Value = &v.Value
			}
			for i, a := range v.Arms {
				b := apiSegmentBucket{Key: a.Key, Exposures: a.Exposures, Conversions: a.Conversions}
				if a.Exposures > 0 {
					b.Rate = float64(a.Conversions) / float64(a.Exposures)
				}
				if c := v.Arms[0]; i > 0 && c.Exposures > 0 && c.Conversions > 0 && a.Exposures > 0 {
					u := b.Rate/(float64(c.Conversions)/float64(c.Exposures)) - 1
					b.Uplift = &u
				}
				sv.Variants[i] = b
			}
			dim.Values[vi] = sv
		}
		out.Segments = append(out.Segments, dim)
	}
	for _, f := range r.flags {
		d := r.segments[f.dim]
		v := d.Values[f.value]
		af := apiSegmentFlag{Dimension: d.Dimension, Segment: f.Segment, Variant: f.Variant, Better: f.Better,
			Uplift: f.Uplift, OverallUplift: f.OverallUplift, Interval: [2]float64{f.Interval.Low, f.Interval.High},
			Level: f.Level, Text: f.Text}
		if !v.Other {
			af.Value = &v.Value
		}
		out.SegmentFlags = append(out.SegmentFlags, af)
	}
	tidyFloats(reflect.ValueOf(&out).Elem())
	return out
}

// apiVerdict is the verdict of the document, from the one the results
// page shows (verdictView).
func (r *resultsReport) apiVerdict() apiVerdict {
	v := r.verdictView()
	headline := views.VerdictTitle(v, r.exp.Status == experiments.StatusPaused)
	if r.exp.Status == experiments.StatusDraft {
		headline = views.DraftResultsTitle
	}
	return apiVerdict{Status: v.Status, Text: v.Text, Early: v.Early, Headline: headline}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// round6 keeps six decimals of a derived quantity (days, visitors per day)
// so the document does not pretend to more.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
