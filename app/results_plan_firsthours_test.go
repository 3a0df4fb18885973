package app

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestPlanFirstHours: the plan's traffic per day is the visitors over the
// time the test has run, not over a full day however little time has
// passed (10 visitors in 5 minutes read "about 16 months", 6,010 in under
// an hour "about 6 days"). In its first hour the line gives no time, only
// what the test needs and that the time comes after the first hour; until
// a full day is in, it says the estimate comes from the first hours. The
// page and the document agree.
func TestPlanFirstHours(t *testing.T) {
	const needs = "each variant needs about 32,000 visitors to detect a 10% lift from the original’s 5.00% rate"
	for _, tc := range []struct {
		name    string
		counts  [][2]int64
		ran     time.Duration
		perDay  float64 // 0: no estimate (null in the document)
		has     []string
		lacks   []string
		minDays float64 // days_remaining at least, when perDay > 0
	}{
		{"10 visitors in 5 minutes", [][2]int64{{5, 1}, {5, 0}}, 5 * time.Minute, 0,
			[]string{"How long the test needs is estimated once it has run for an hour: each variant needs about 6,600 visitors to detect a 10% lift from the original’s 20.0% rate, and the smallest has 5 so far."},
			[]string{"At current traffic", "month"}, 0},
		{"6,010 visitors in 50 minutes", [][2]int64{{3000, 150}, {3010, 160}}, 50 * time.Minute, 0,
			[]string{"How long the test needs is estimated once it has run for an hour: " + needs + ", and the smallest has 3,000 so far."},
			[]string{"At current traffic", "days"}, 0},
		// 9,600 a day, 4,800 a variant: 31,000 more take about 6.5 days.
		{"2,000 visitors in 5 hours", [][2]int64{{1000, 50}, {1000, 60}}, 5 * time.Hour, 9600,
			[]string{"At current traffic, about 7 days to detect a 10% lift from the original’s 5.00% rate",
				"The traffic per day comes from the first 5 hours only: the estimate settles once a full day is in, as traffic rises and falls over the day."},
			[]string{"month", "week"}, 6},
		{"6,010 visitors in 90 minutes", [][2]int64{{3005, 150}, {3005, 160}}, 90 * time.Minute, 6010 * 16,
			[]string{"At current traffic, less than a day", "The traffic per day comes from the first hour only"}, nil, 0},
		// A day and a half in: the traffic of the days the test ran, and
		// no word of the first hours.
		{"3,000 visitors in 36 hours", [][2]int64{{1500, 75}, {1500, 90}}, 36 * time.Hour, 2000,
			[]string{"At current traffic, about 5 weeks"}, []string{"first", "settles"}, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			e.app.now = func() time.Time { return x.StartedAt.Add(tc.ran) }

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			line := planLineOf(t, body)
			for _, s := range tc.has {
				if !strings.Contains(line, s) {
					t.Errorf("plan line %q lacks %q", line, s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(line, s) {
					t.Errorf("plan line %q says %q", line, s)
				}
			}

			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			plan := out["plan"].(map[string]any)
			if plan["text"] != line {
				t.Errorf("plan.text %q, the page %q", plan["text"], line)
			}
			if plan["sample_size_per_variant"] == nil {
				t.Error("no sample_size_per_variant: what the test needs is known from the first visitor")
			}
			perDay, _ := plan["visitors_per_day"].(float64)
			left, hasLeft := plan["days_remaining"].(float64)
			switch {
			case tc.perDay == 0:
				if plan["visitors_per_day"] != nil || plan["days_remaining"] != nil {
					t.Errorf("visitors_per_day %v, days_remaining %v in the first hour, want null", plan["visitors_per_day"], plan["days_remaining"])
				}
			case math.Abs(perDay-tc.perDay) > tc.perDay*1e-6:
				t.Errorf("visitors_per_day %v, want %v", perDay, tc.perDay)
			case !hasLeft || left < tc.minDays:
				t.Errorf("days_remaining %v, want at least %v", plan["days_remaining"], tc.minDays)
			}
		})
	}
}

// TestPlanFirstHoursPaused: a test paused in its first day counts only
// the hours it ran, and says both that and that the estimate is young.
func TestPlanFirstHoursPaused(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	start := time.Now().Add(-5 * time.Hour)
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.transition(x.ID, experiments.ActionPause)
	e.transition(x.ID, experiments.ActionResume)
	// Five hours ago, paused from the first hour to the third: three
	// hours running.
	e.shiftHistory(x.ID, experiments.ChangeStarted, 1, start)
	e.shiftHistory(x.ID, experiments.ChangePaused, 1, start.Add(time.Hour))
	e.shiftHistory(x.ID, experiments.ChangeResumed, 1, start.Add(3*time.Hour))
	e.setCounts(x, [2]int64{1000, 50}, [2]int64{1000, 60})
	e.app.now = func() time.Time { return start.Add(5*time.Hour + time.Minute) }

	_, body := c.get("/experiments/" + x.ID + "/results")
	want := "The traffic per day comes from the 3 hours the test ran, not the 2 hours it was paused: the estimate settles once a full day is in, as traffic rises and falls over the day. The plan assumes 5% significance and 80% power."
	if line := planLineOf(t, body); !strings.HasSuffix(line, want) {
		t.Errorf("plan line %q, want it to end %q", line, want)
	}
}
