package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestResultsWithoutBinaryNoise: the results document and the CSV write
// derived numbers to 12 significant digits, so a variant with no visitors
// has the interval [0.025, 0.975] (the uniform prior's), not
// 0.024999999999999998; and rounding the document leaves the analysis the
// page shows untouched.
func TestResultsWithoutBinaryNoise(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	token := e.token("ci@example.com")
	site, x := e.runningExperiment()
	wantStatus(t, e.postEvents(eventBody(site.Key, "v1", x.ID, "control", true)), http.StatusNoContent, "")

	req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp := e.do(req)
	raw := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, raw)
	wantContains(t, raw, `"rate_interval":[0.025,0.975]`)
	for _, noise := range []string{"99999999", "00000000"} {
		if strings.Contains(raw, noise) {
			t.Errorf("the document has binary noise %q: %.600s", noise, raw[strings.Index(raw, noise)-40:])
		}
	}
	_, csv := c.get("/experiments/" + x.ID + "/results.csv")
	wantContains(t, csv, ",0.025,0.975,")
	if strings.Contains(csv, "99999999") || strings.Contains(csv, "00000000") {
		t.Errorf("the CSV has binary noise: %s", csv)
	}
}

// TestPlanWhenTheOriginalAlwaysConverts: with nothing left to detect, the
// plan says so instead of leaving its line empty. (With a handful of
// visitors it says there are too few: TestPlanTooFewVisitors.)
func TestPlanWhenTheOriginalAlwaysConverts(t *testing.T) {
	e := newEnv(t)
	token := e.token("ci@example.com")
	_, x := e.runningExperiment()
	e.setCounts(x, [2]int64{150, 150}, [2]int64{150, 120})
	_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
	plan, _ := doc["plan"].(map[string]any)
	if text, _ := plan["text"].(string); text != "The original converts every visitor, so there is no estimate of how long the test needs." {
		t.Errorf("plan text %q", text)
	}
}

// TestCautionByStatus: a clear-looking result after a short run warns
// alike, but a paused test is told to resume (once the test that took its
// element stops, when one did) and a stopped one is not told to keep
// running.
func TestCautionByStatus(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	token := e.token("ci@example.com")
	site, x := e.runningExperiment()
	for i := range 150 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "c"+itoa(i), x.ID, "control", i < 10)), http.StatusNoContent, "")
		wantStatus(t, e.postEvents(eventBody(site.Key, "b"+itoa(i), x.ID, "b", i < 60)), http.StatusNoContent, "")
	}
	caution := func() string {
		t.Helper()
		_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
		if v, _ := doc["verdict"].(map[string]any)["status"].(string); v != "winner" {
			t.Fatalf("verdict %v, want a winner for this test", doc["verdict"])
		}
		s, _ := doc["caution"].(string)
		return s
	}
	if got := caution(); !strings.Contains(got, "keep it running for at least a full week") {
		t.Errorf("running: caution %q", got)
	}
	e.transition(x.ID, "pause")
	if got := caution(); !strings.Contains(got, "resume it and keep it running") {
		t.Errorf("paused: caution %q", got)
	}
	// A newer test of the same element now runs: Resume is refused.
	other := e.transition(e.experimentOn(site.ID, "Hero again", x.Page, x.Selector).ID, "start")
	if got := caution(); !strings.Contains(got, "once the test that now runs on this element stops, resume this one and keep it running") ||
		strings.Contains(got, "resume it and") || strings.Contains(got, other.Name) {
		t.Errorf("paused behind %q: caution %q", other.Name, got)
	}
	e.transition(other.ID, "stop")
	if got := caution(); !strings.Contains(got, "resume it and keep it running") {
		t.Errorf("paused, the other stopped: caution %q", got)
	}
	e.transition(x.ID, "stop")
	got := caution()
	if !strings.Contains(got, "the test ran for") || !strings.Contains(got, "run the test again") || strings.Contains(got, "keep it running") {
		t.Errorf("stopped: caution %q", got)
	}
}

// TestHealthWarningShare: the element-missing warning fires past a fifth of
// the page views that matched, the share its sentence quotes (one decimal,
// as the health line writes shares); 19 missed of 109 (17.4%) is not past
// it, 30 of 130 (23.1%) is.
func TestHealthWarningShare(t *testing.T) {
	for _, tt := range []struct {
		missed, applied int64
		want            string
	}{
		{19, 90, ""},
		{30, 100, "The element was not found in 23.1% of page views (30 of 130)"},
		{9, 0, ""}, // too few to say
		{10, 0, "The element was not found in 100% of page views (10 of 10)"},
	} {
		got := healthWarning(variantHealth{missed: tt.missed, applied: tt.applied})
		if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%d missed, %d applied: %q, want %q…", tt.missed, tt.applied, got, tt.want)
		}
	}
	got := healthWarning(variantHealth{missed: 19, applied: 90, recentMissed: 12, recentApplied: 1})
	if !strings.HasPrefix(got, "Since yesterday the element was not found in 92.3% of page views (12 of 13)") {
		t.Errorf("recent: %q", got)
	}
}
