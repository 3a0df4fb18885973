package app

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestEditPlanMeasured: the edit form of a started test plans from the
// test's own results, as its results page does: the original's rate so
// far and, once the test has run an hour, its visitors a day (paused time
// left out), each field's help saying where its number comes from. What
// is not known yet keeps the form's guess and its help.
func TestEditPlanMeasured(t *testing.T) {
	for _, tc := range []struct {
		name                string
		counts              [][2]int64
		ran                 time.Duration
		base, daily         string
		baseHelp, dailyHelp string
	}{
		{name: "2,000 visitors in 5 hours", counts: [][2]int64{{1000, 50}, {1000, 60}}, ran: 5 * time.Hour,
			base: "5", daily: "9600", baseHelp: "so far", dailyHelp: "traffic so far"},
		{name: "first hour: the rate, not the traffic", counts: [][2]int64{{5, 1}, {5, 0}}, ran: 5 * time.Minute,
			base: "20", daily: "", baseHelp: "so far", dailyHelp: "fills this in once it has run for an hour"},
		{name: "no conversion of the original yet", counts: [][2]int64{{300, 0}, {300, 4}}, ran: 3 * time.Hour,
			base: "5", daily: "4800", baseHelp: "best guess", dailyHelp: "traffic so far"},
		{name: "a rate with decimals", counts: [][2]int64{{3000, 127}, {3000, 140}}, ran: 48 * time.Hour,
			base: "4.23", daily: "3000", baseHelp: "so far", dailyHelp: "traffic so far"},
		// Rates that two decimals would write as 0 or 100, which the
		// estimate refuses: three significant digits, or the guess.
		{name: "a tiny rate", counts: [][2]int64{{30000, 1}, {30000, 2}}, ran: 48 * time.Hour,
			base: "0.00333", daily: "30000", baseHelp: "so far", dailyHelp: "traffic so far"},
		{name: "nearly every visitor converts", counts: [][2]int64{{30000, 29999}, {30000, 29990}}, ran: 48 * time.Hour,
			base: "5", daily: "30000", baseHelp: "best guess", dailyHelp: "traffic so far"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, tc.counts...)
			e.app.now = func() time.Time { return x.StartedAt.Add(tc.ran) }
			resp, body := c.get("/experiments/" + x.ID + "/edit")
			wantStatus(t, resp, http.StatusOK, body)
			if got := inputValue(t, body, "f-plan-base"); got != tc.base {
				t.Errorf("conversion rate field %q, want %q", got, tc.base)
			}
			if got := inputValue(t, body, "f-plan-daily"); got != tc.daily {
				t.Errorf("visitors a day field %q, want %q", got, tc.daily)
			}
			if got := helpOf(t, body, "f-plan-base-help"); !strings.Contains(got, tc.baseHelp) {
				t.Errorf("rate help %q, want it to say %q", got, tc.baseHelp)
			}
			if got := helpOf(t, body, "f-plan-daily-help"); !strings.Contains(got, tc.dailyHelp) {
				t.Errorf("traffic help %q, want it to say %q", got, tc.dailyHelp)
			}
			if strings.Contains(body, "Enter today’s conversion rate") {
				t.Error("the estimate refuses the rate the form filled in")
			}
		})
	}

	t.Run("a draft keeps the guess", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		x := e.experiment(e.site("Shop").ID, "Hero")
		if x.Status != experiments.StatusDraft {
			t.Fatalf("status %s", x.Status)
		}
		resp, body := c.get("/experiments/" + x.ID + "/edit")
		wantStatus(t, resp, http.StatusOK, body)
		if got := inputValue(t, body, "f-plan-base"); got != defaultPlanBase {
			t.Errorf("conversion rate field %q, want the guess %q", got, defaultPlanBase)
		}
		if got := helpOf(t, body, "f-plan-base-help"); !strings.Contains(got, "best guess") {
			t.Errorf("rate help %q", got)
		}
	})
}

// inputValue is the value attribute of the input with the id.
func inputValue(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<input id="` + id + `"[^>]*?value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no input #%s with a value", id)
	}
	return html.UnescapeString(m[1])
}

// helpOf is the text of the help paragraph with the id.
func helpOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<p class="help" id="` + id + `">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no help #%s", id)
	}
	return strings.Join(strings.Fields(html.UnescapeString(m[1])), " ")
}
