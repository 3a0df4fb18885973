package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// listResult is the result cell of the one experiment a list page shows:
// the chip's words and the line under it ("" for none), spaces folded.
func listResult(t *testing.T, c *client, path string) (chip, line string) {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	cells := findAll(parseHTML(t, body), hasClass("list-result"))
	if len(cells) != 1 {
		t.Fatalf("%s: %d result cells", path, len(cells))
	}
	chips := findAll(cells[0], hasClass("verdict-chip"))
	if len(chips) != 1 {
		t.Fatalf("%s: %d verdict chips in %q", path, len(chips), textOf(cells[0]))
	}
	chip = strings.Join(strings.Fields(textOf(chips[0])), " ")
	if lines := findAll(cells[0], hasClass("small")); len(lines) > 0 {
		line = strings.Join(strings.Fields(textOf(lines[0])), " ")
	}
	return chip, line
}

// TestListElementNotFoundAsResults: a test whose element the tag finds on
// none of its page views is headed "The element was not found" on its
// results page and in the results document; the list and the site's page
// head it so too, not "Not enough data yet", which reads as a test
// waiting for traffic. Running, paused or stopped alike.
func TestListElementNotFoundAsResults(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(e *env, x experiments.Experiment)
	}{
		{"running", nil},
		{"paused", pauseTest},
		{"stopped", stopTest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			site := e.site("Shop")
			x := e.transition(e.experiment(site.ID, "Hero").ID, experiments.ActionStart)
			for i := range 12 {
				body := `{"site":"` + site.Key + `","visitor":"gone` + itoa(i) + `","events":[{"id":"` + uuid.Must(uuid.NewV7()).String() +
					`","type":"exposure","experiment":"` + x.ID + `","variant":"` + []string{"control", "b"}[i%2] + `","matched":false,"url":"/pricing"}]}`
				wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
			}
			if tc.end != nil {
				tc.end(e, x)
			}
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			title, _, _, _ := verdictOn(t, body)
			if title != "The element was not found" {
				t.Fatalf("the results page heads it %q; the case wants the element never found", title)
			}
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if v, _ := doc["verdict"].(map[string]any); v["headline"] != title {
				t.Errorf("the document's verdict.headline is %v, want the page's %q", v["headline"], title)
			}
			for _, path := range []string{"/experiments", "/sites/" + site.ID} {
				if chip, line := listResult(t, c, path); chip != title || line != "" {
					t.Errorf("%s: chip %q, line %q; want the page's %q alone", path, chip, line, title)
				}
			}
		})
	}
}

// TestListLeaderAsResults: where the results say a variant is ahead but
// it is too early to call ("Variant B is ahead on clicks (+85.7% …, 91%
// chance it is the best), but it is too early to call"), or was ahead
// when the test stopped or shipped, the list and the site's page name it
// as leading, or having led, under the page's title, never "No clear
// leader". Where the results name no one arm ahead (two variants both beat
// the original, which of them is best too early to call), nor does the
// list.
func TestListLeaderAsResults(t *testing.T) {
	ahead := [][2]int{{100, 7}, {100, 13}}
	for _, tc := range []struct {
		name   string
		counts [][2]int // visitors and clicks per variant, sent through POST /e
		end    func(e *env, x experiments.Experiment)
		says   string // in every verdict sentence of the results
		title  string // the results page's title, and the list's chip
		line   string // the list's line under the chip
	}{
		{"running", ahead, nil, "Variant B is ahead on clicks (+85.7% against the original, 91% chance it is the best), but it is too early to call",
			"Keep the test running", "Variant B leads (+85.7%)"},
		{"paused", ahead, pauseTest, "Variant B is ahead on clicks (+85.7% against the original, 91% chance it is the best), but it is too early to call",
			"Resume the test to reach a verdict", "Variant B leads (+85.7%)"},
		{"stopped", ahead, stopTest, "Variant B was ahead on clicks (+85.7% against the original, 91% chance it is the best), but the test stopped",
			"Too early to call", "Variant B led (+85.7%)"},
		{"shipped", ahead, shipTest, "Variant B was ahead on clicks (+85.7% against the original, 91% chance it is the best), but the test stopped",
			"Too early to call", "Variant B led (+85.7%)"},
		{"two beat the original", [][2]int{{100, 4}, {100, 22}, {100, 17}}, nil,
			"Variant B and Variant C both beat the original on clicks (each >99% chance); which of them is best is too early to call",
			"Keep the test running", "2 variants beat the original; too early to pick one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, site, x := inVerdictState(t, tc.counts, tc.end, tc.says)
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			if title, _, _, _ := verdictOn(t, body); title != tc.title {
				t.Fatalf("the results page heads it %q, the case expects %q", title, tc.title)
			}
			for _, path := range []string{"/experiments", "/sites/" + site.ID} {
				if chip, _ := listChip(t, c, path, stats.StatusKeepRunning); chip != tc.title {
					t.Errorf("%s: chip %q, want the page's %q", path, chip, tc.title)
				}
				if _, line := listResult(t, c, path); line != tc.line {
					t.Errorf("%s: the line under the chip is %q, want %q", path, line, tc.line)
				}
			}
		})
	}
}

// inVerdictState starts a test of Shop whose variant i gets counts[i][0]
// visitors, counts[i][1] of them converting, ends it with end (nil: it
// keeps running), and checks that every verdict sentence holds says, so
// that a case is in the state it tests. It gives the env, ann's client,
// the site and the test.
func inVerdictState(t *testing.T, counts [][2]int, end func(e *env, x experiments.Experiment), says string) (*env, *client, experiments.Site, experiments.Experiment) {
	t.Helper()
	// Hundreds of visitors from one address in a moment: past the
	// public routes' rate limits, which are not under test here.
	e := newEnvWith(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	texts := []string{"Original headline", "New headline", "Newer headline"}[:len(counts)]
	x := e.transition(e.experiment(site.ID, "Hero", texts...).ID, experiments.ActionStart)
	for i, n := range counts {
		key := x.Variants[i].Key
		for j := range n[0] {
			body := eventBody(site.Key, fmt.Sprintf("%s-%d", key, j), x.ID, key, j < n[1])
			wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
		}
	}
	if end != nil {
		end(e, x)
	}
	for path, text := range verdictSentences(t, e, c, tok, x) {
		if !strings.Contains(text, says) {
			t.Fatalf("%s: verdict %q, want %q: the case is not in the state it tests", path, text, says)
		}
	}
	return e, c, site, x
}
