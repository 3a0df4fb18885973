package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestResultsVerdictPaused: a paused test gets no visitors, so a verdict
// still waiting for them (keep_running) says to resume the test, not to
// keep it running, wherever the live panel shows it to the team: the
// results page and the experiment page; the share page says it is paused.
// Resumed, it says to keep it running again.
func TestResultsVerdictPaused(t *testing.T) {
	e, c, _, x := startedWithCounts(t, [2]int64{1000, 50}, [2]int64{1000, 58}) // keep_running
	title := func(t *testing.T, path string, c *client) string {
		t.Helper()
		var resp *http.Response
		var body string
		if c == nil {
			resp = e.do(newRequest(http.MethodGet, path, nil))
			body = readBody(t, resp)
		} else {
			resp, body = c.get(path)
		}
		wantStatus(t, resp, http.StatusOK, body)
		v := findAll(parseHTML(t, body), hasClass("verdict-"+stats.StatusKeepRunning))
		if len(v) != 1 {
			t.Fatalf("%s: %d .verdict-%s", path, len(v), stats.StatusKeepRunning)
		}
		return strings.TrimSpace(strings.TrimPrefix(textOf(findAll(v[0], hasClass("verdict-title"))[0]), "◔"))
	}
	pages := []struct {
		name   string
		path   string
		member bool
	}{
		{"results", "/experiments/" + x.ID + "/results", true},
		{"live", "/experiments/" + x.ID + "/results/live", true},
		{"experiment", "/experiments/" + x.ID, true},
		{"share", "/r/" + x.ShareToken, false},
	}
	check := func(t *testing.T, want, shareWant string) {
		t.Helper()
		for _, p := range pages {
			cl, want := c, want
			if !p.member {
				cl, want = nil, shareWant
			}
			if got := title(t, p.path, cl); got != want {
				t.Errorf("%s: verdict title %q, want %q", p.name, got, want)
			}
		}
	}

	e.transition(x.ID, experiments.ActionPause)
	// Whoever holds the share link cannot resume it: theirs says only
	// where the test stands (TestSharePausedWordsForViewer).
	t.Run("paused", func(t *testing.T) { check(t, "Resume the test to reach a verdict", "Paused: too early to call") })
	e.transition(x.ID, experiments.ActionResume)
	t.Run("resumed", func(t *testing.T) { check(t, "Keep the test running", "Keep the test running") })
}
