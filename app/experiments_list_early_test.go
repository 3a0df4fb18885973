package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestExperimentsListEarlyVerdict: the list's chip, on /experiments and on
// the site's page, heads an answer that came too early to act on as the
// results page does ("Early lead: not called yet", or "Too early to call"
// once stopped) and marks it verdict-early; an answer from a test old and
// large enough reads as before.
func TestExperimentsListEarlyVerdict(t *testing.T) {
	// Past the planned sample (about 31,000 visitors per variant at 5%),
	// and short of it.
	winner := [][2]int64{{100000, 5000}, {100000, 6500}}
	original := [][2]int64{{100000, 6500}, {100000, 5000}}
	small := [][2]int64{{10000, 500}, {10000, 650}}
	for _, tc := range []struct {
		name   string
		status string
		counts [][2]int64
		days   int
		end    func(e *env, x experiments.Experiment)
		title  string
		early  bool
	}{
		{"winner, two days in", stats.StatusWinner, winner, 2, nil, "Early lead: not called yet", true},
		{"winner, two weeks in but short of the plan", stats.StatusWinner, small, 14, nil, "Early lead: not called yet", true},
		{"winner, paused two days in", stats.StatusWinner, winner, 2, pauseTest, "Early lead: not called yet", true},
		{"winner, stopped two days in", stats.StatusWinner, winner, 2, stopTest, "Too early to call", true},
		{"winner, two weeks in and past the plan", stats.StatusWinner, winner, 14, nil, "We have a winner", false},
		{"the original ahead, two days in", stats.StatusControlWins, original, 2, nil, "Original ahead: not called yet", true},
		{"the original wins, two weeks in", stats.StatusControlWins, original, 14, nil, "Keep the original", false},
		{"keep running, two days in", stats.StatusKeepRunning, [][2]int64{{1000, 50}, {1000, 58}}, 2, nil, "Keep the test running", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			site := e.site("Shop")
			x := e.experiment(site.ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setCounts(x, tc.counts...)
			backdate(e, x, tc.days)
			if tc.end != nil {
				tc.end(e, x)
			}

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			pageTitle, _, pageEarly, _ := verdictOn(t, body)
			if pageTitle != tc.title || pageEarly != tc.early {
				t.Fatalf("the results page heads it %q (early %v); the case expects %q (%v)", pageTitle, pageEarly, tc.title, tc.early)
			}
			for _, path := range []string{"/experiments", "/sites/" + site.ID} {
				title, early := listChip(t, c, path, tc.status)
				if title != tc.title {
					t.Errorf("%s: chip %q, want %q as the results page says", path, title, tc.title)
				}
				if early != tc.early {
					t.Errorf("%s: chip marked early %v, want %v", path, early, tc.early)
				}
			}
		})
	}
}

// TestExperimentsListEarlyVerdictAges: a test turns old enough to call
// with no new visitor, so the chip does not keep what the list's verdict
// cache held: once a full week has passed it says "We have a winner".
func TestExperimentsListEarlyVerdictAges(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{100000, 5000}, [2]int64{100000, 6500})
	backdate(e, x, 2)

	if title, early := listChip(t, c, "/experiments", stats.StatusWinner); title != "Early lead: not called yet" || !early {
		t.Fatalf("two days in: chip %q (early %v)", title, early)
	}
	later := time.Now().Add(6 * 24 * time.Hour)
	e.app.now = func() time.Time { return later }
	if title, early := listChip(t, c, "/experiments", stats.StatusWinner); title != "We have a winner" || early {
		t.Errorf("eight days in: chip %q (early %v), want %q", title, early, "We have a winner")
	}
}

// listChip reads the one verdict chip on a list page: its words and
// whether it is marked early. It must wear the status's class.
func listChip(t *testing.T, c *client, path, status string) (title string, early bool) {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	chips := findAll(parseHTML(t, body), hasClass("verdict-chip"))
	if len(chips) != 1 {
		t.Fatalf("%s: %d verdict chips, want 1", path, len(chips))
	}
	if !hasClass("verdict-" + status)(chips[0]) {
		t.Errorf("%s: the chip lacks verdict-%s", path, status)
	}
	return strings.TrimSpace(textOf(chips[0])), hasClass("verdict-early")(chips[0])
}
