package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestF5PlanSizedForComparisons: the plan says what it assumes, and
// sizes a test of several variants for the verdict's bar. The verdict
// adjusts its p-values for the comparisons with the original (Holm), so
// the plan splits its 5% significance between them (Bonferroni): from a
// 10.0% rate, 10% needs about 15,000 visitors per variant with one
// variant (14,751) and about 20,000 with three (19,676; 15,000 before).
// The results page's plan line and the API's plan agree.
func TestF5PlanSizedForComparisons(t *testing.T) {
	for _, tc := range []struct {
		name  string
		texts []string
		need  int64  // the API's sample_size_per_variant
		shown string // the page's rounded figure
		basis string
	}{
		{"one variant", []string{"Old", "New"}, 14751, "15,000",
			"The plan assumes 5% significance and 80% power."},
		{"three variants", []string{"Old", "B", "C", "D"}, 19676, "20,000",
			"The plan assumes 80% power and 5% significance split between the 3 comparisons with the original (1.67% each), as the verdict corrects for several comparisons."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero", tc.texts...)
			x = e.transition(x.ID, experiments.ActionStart)
			counts := make([][2]int64, len(tc.texts))
			for i := range counts {
				counts[i] = [2]int64{1000, 100}
			}
			e.setCounts(x, counts...)
			backdate(e, x, 1)

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			line := planLineOf(t, body)
			if want := "each variant needs about " + tc.shown + " visitors"; !strings.Contains(line, want) {
				t.Errorf("plan line %q\ndoes not say %q", line, want)
			}
			if !strings.HasSuffix(line, " "+tc.basis) {
				t.Errorf("plan line %q\ndoes not end %q", line, tc.basis)
			}
			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			p := out["plan"].(map[string]any)
			if got := p["sample_size_per_variant"]; got != float64(tc.need) {
				t.Errorf("API sample_size_per_variant %v, want %d", got, tc.need)
			}
			if got := p["text"]; got != line {
				t.Errorf("API plan.text %q, want the page's %q", got, line)
			}
		})
	}
}

// TestF5PlanEstimateSaysItsBasis: the experiment form's estimate says in
// its help what it assumes (the smallest change it is sized to detect, 5%
// significance, 80% power) and, with more than one variant, that the
// significance is split between the comparisons; the figure follows.
func TestF5PlanEstimateSaysItsBasis(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	for _, tc := range []struct {
		name, variants string
		want, absent   []string
	}{
		{"one variant", "2",
			[]string{"about <strong>15,000 visitors per variant</strong>",
				"The standard two-group sample size for a two-sided test at 5% significance with 80% power: an 80% chance of detecting a true change of 10%, the smallest worth acting on."},
			[]string{"Bonferroni"}},
		{"three variants", "4",
			[]string{"about <strong>20,000 visitors per variant</strong>",
				"The standard two-group sample size for a two-sided test at 80% power: an 80% chance of detecting a true change of 10%, the smallest worth acting on. With 3 variants each compared with the original, the 5% significance is split between the comparisons (1.67% each, Bonferroni), since the verdict adjusts its p-values for them (Holm)."},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"threshold": {"10"}, "plan_base": {"10"}, "plan_variants": {tc.variants}}
			resp, body := c.get("/experiments/plan?" + q.Encode())
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, tc.want...)
			wantNotContains(t, body, tc.absent...)
		})
	}
}
