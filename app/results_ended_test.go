package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestResultsVerdictStopped: a stopped test gets no more visitors, so its
// results page, the list's chip and the API word the verdicts that would
// say to wait for what the stop means, while the API's status stays the
// machine code; a shipped test is stopped too, but is not told to run it
// again (it shipped), and a running one still says to keep it running.
func TestResultsVerdictStopped(t *testing.T) {
	early := [][2]int64{{1000, 50}, {1000, 58}} // keep_running
	few := [][2]int64{{50, 2}, {50, 3}}         // not_enough_data
	for _, tc := range []struct {
		name       string
		end        func(e *env, x experiments.Experiment)
		counts     [][2]int64
		status     string
		title      string
		text, lack string
	}{
		{"running, too early", nil, early, stats.StatusKeepRunning,
			"Keep the test running", "but it is too early to call: keep the test running.", "stopped"},
		{"stopped, too early", stopTest, early, stats.StatusKeepRunning,
			"Too early to call", "Variant B was ahead on clicks (+16.0% against the original", "keep the test running"},
		{"shipped, too early", shipTest, early, stats.StatusKeepRunning,
			"Too early to call", "but the test stopped before it could be called: no clear answer.", "run it again"},
		{"running, too few visitors", nil, few, stats.StatusNotEnoughData,
			"Not enough data yet", "Not enough data yet: copylab calls a test once each variant has 100 visitors", "stopped"},
		{"stopped, too few visitors", stopTest, few, stats.StatusNotEnoughData,
			"Not enough data", "Not enough data: copylab calls a test once each variant has 100 visitors and the test has 10 clicks in all, and the test stopped with each variant at 50", "yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			if tc.end != nil {
				tc.end(e, x)
			}

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			v := findAll(doc, hasClass("verdict-"+tc.status))
			if len(v) != 1 {
				t.Fatalf("%d .verdict-%s", len(v), tc.status)
			}
			if got := textOf(findAll(v[0], hasClass("verdict-title"))[0]); !strings.HasSuffix(got, tc.title) {
				t.Errorf("page title %q, want %q", got, tc.title)
			}
			text := textOf(findAll(v[0], hasClass("verdict-text"))[0])
			if !strings.Contains(text, tc.text) || strings.Contains(text, tc.lack) {
				t.Errorf("page text %q: want %q, without %q", text, tc.text, tc.lack)
			}

			resp, body = c.get("/experiments")
			wantStatus(t, resp, http.StatusOK, body)
			chips := findAll(parseHTML(t, body), hasClass("verdict-chip"))
			if len(chips) != 1 || textOf(chips[0]) != tc.title {
				t.Errorf("list chips %d, want one reading %q", len(chips), tc.title)
				for _, ch := range chips {
					t.Log(textOf(ch))
				}
			}

			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			av, _ := out["verdict"].(map[string]any)
			if av["status"] != tc.status {
				t.Errorf("API status %v, want %s", av["status"], tc.status)
			}
			if at, _ := av["text"].(string); at != text {
				t.Errorf("API text %q, page text %q", at, text)
			}
		})
	}
}

func stopTest(e *env, x experiments.Experiment) {
	e.t.Helper()
	e.transition(x.ID, experiments.ActionStop)
}

func shipTest(e *env, x experiments.Experiment) {
	e.t.Helper()
	if _, err := e.store.Ship(context.Background(), x.ID, "b"); err != nil {
		e.t.Fatal(err)
	}
}
