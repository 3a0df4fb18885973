package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/stats"
	"copylab/views"
)

// Planning before launch: how many visitors a test needs to detect the
// practical threshold from a given conversion rate, and how long that takes
// at a given traffic. The experiment form shows it, and asks this endpoint
// again as its fields change.

// Defaults of the planning fields.
const (
	defaultPlanBase = "5"  // percent
	defaultPlanMDE  = "10" // percent: the default practical threshold
)

// planShow answers GET /experiments/plan?threshold=&plan_base=&plan_daily=&plan_variants=
// with the estimate fragment.
func (a *App) planShow(c *fiber.Ctx) error {
	variants, _ := strconv.Atoi(formNumber(c.Query("plan_variants")))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.PlanEstimateView(planEstimate(c.Query("threshold"), c.Query("plan_base"), c.Query("plan_daily"), variants)))
}

// planForm fills the planning fields of the experiment form: the
// threshold as stored (or typed), the other two as typed, and the estimate.
func planForm(threshold, base, daily string, variants int) views.PlanForm {
	if strings.TrimSpace(threshold) == "" {
		threshold = defaultPlanMDE
	}
	if strings.TrimSpace(base) == "" {
		base = defaultPlanBase
	}
	return views.PlanForm{Threshold: threshold, BaseRate: base, DailyVisits: daily, Variants: max(variants, 2),
		Estimate: planEstimate(threshold, base, daily, variants)}
}

// planEstimate computes the estimate from the form's text.
func planEstimate(threshold, base, daily string, variants int) views.PlanEstimate {
	variants = min(max(variants, 2), experiments.MaxVariants)
	if strings.TrimSpace(threshold) == "" {
		threshold = defaultPlanMDE
	}
	if strings.TrimSpace(base) == "" {
		base = defaultPlanBase
	}
	// Every field that is wrong says so, in the order of the fields: the
	// estimate is the one place these messages show (it is what the fields
	// fetch as they change), and one message at a time hid the others.
	var wrong []string
	mde, okM := parseRatio(threshold)
	if !okM || mde <= 0 || mde > 1 {
		wrong = append(wrong, "Enter the smallest change worth acting on as a percentage, such as 10.")
	}
	rate, okB := parseRatio(base)
	if !okB || rate <= 0 || rate >= 1 {
		wrong = append(wrong, "Enter today’s conversion rate as a percentage between 0 and 100, such as 5.")
	}
	perDay := 0.0
	if d := strings.ReplaceAll(formNumber(daily), ",", ""); d != "" {
		v, err := strconv.ParseFloat(d, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			wrong = append(wrong, "Enter the visitors a day as a number above 0, such as 1000, or leave it empty.")
		}
		perDay = v
	}
	if len(wrong) > 0 {
		return views.PlanEstimate{Error: strings.Join(wrong, " ")}
	}
	// Each variant is compared with the original: the plan splits its
	// significance between them, as the verdict adjusts for them.
	n := stats.SampleSizeFor(rate, mde, variants-1)
	if n <= 0 {
		return views.PlanEstimate{Error: "No estimate for these numbers."}
	}
	e := views.PlanEstimate{PerVariant: roundUp(n), Variants: variants, BaseRate: rate, MDE: mde}
	e.Total = e.PerVariant * int64(variants)
	if perDay > 0 {
		e.Days = stats.RunTime(n, variants, perDay)
		e.HasDays = true
		e.RunTimeText = aboutDuration(e.Days)
	}
	return e
}

// parseRatio reads a percentage ("5", "5%", "2,5") as a ratio.
func parseRatio(s string) (float64, bool) {
	v, ok := formPercent(s)
	return v / 100, ok
}

// aboutDuration words a number of days as stats.DescribeRunTime does,
// rounded up: "about 9 days", "about 3 weeks".
func aboutDuration(days float64) string {
	unit := func(n float64, one string) string {
		if n == 1 {
			return "about 1 " + one
		}
		return fmt.Sprintf("about %s %ss", formatCount(int64(n)), one)
	}
	switch {
	case days < 1:
		return "less than a day"
	case days <= 14:
		return unit(math.Ceil(days), "day")
	case days <= 7*9:
		return unit(math.Ceil(days/7), "week")
	case days <= 365*2:
		return unit(math.Ceil(days/30.44), "month")
	}
	if years := math.Ceil(days / 365.25); years <= 1000 {
		return unit(years, "year")
	}
	// A traffic figure too small to plan with (1e-300 visits a day):
	// no count of years would mean anything, nor fit an int64.
	return "more than 1,000 years"
}
