package app

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// verdictSentences is the verdict's sentence wherever the results say it:
// the team's results page, the share page, the results document, and
// the results CSV of both.
func verdictSentences(t *testing.T, e *env, c *client, tok string, x experiments.Experiment) map[string]string {
	t.Helper()
	out := map[string]string{}
	anon := e.client()
	for _, p := range []struct {
		c    *client
		path string
	}{{c, "/experiments/" + x.ID + "/results"}, {anon, "/r/" + x.ShareToken}} {
		resp, body := p.c.get(p.path)
		wantStatus(t, resp, http.StatusOK, body)
		_, text, _, _ := verdictOn(t, body)
		out[p.path] = strings.Join(strings.Fields(text), " ")
	}
	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	out["document"], _ = doc["verdict"].(map[string]any)["text"].(string)
	for _, p := range []struct {
		c    *client
		path string
	}{{c, "/experiments/" + x.ID + "/results.csv"}, {anon, "/r/" + x.ShareToken + "/results.csv"}} {
		rows, err := csv.NewReader(strings.NewReader(readCSV(t, p.c, p.path))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out[p.path] = rows[1][csvColumn(t, rows[0], "verdict")]
	}
	return out
}

// TestNoClearLeaderIsNotAhead: a lead that is close to a coin flip (52%
// chance to be best between two arms, a 143/1,501 against 144/1,499 test)
// is "No clear leader yet" wherever the verdict is said, as the
// experiments list says it, never "Variant B is ahead"; nor do the Ship
// buttons say it "leads so far". A lead the chances do back (about 78%)
// is still said to be ahead, and the list says it leads. With three arms
// the lead must stand out from the runner-up, not only from an even split.
func TestNoClearLeaderIsNotAhead(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		end    func(e *env, x experiments.Experiment)
		want   string // in every verdict sentence
		lack   string // in none
		list   string // the line under the list's chip
		ship   bool   // the Ship button of B says it leads
	}{
		{"coin flip", [][2]int64{{1501, 143}, {1499, 144}}, nil,
			"No clear leader yet on clicks", "ahead", "No clear leader yet", false},
		{"coin flip, paused", [][2]int64{{1501, 143}, {1499, 144}}, pauseTest,
			"No clear leader yet on clicks", "ahead", "No clear leader yet", false},
		{"coin flip, stopped", [][2]int64{{1501, 143}, {1499, 144}}, stopTest,
			"No clear leader on clicks", "ahead", "No clear leader", false},
		{"coin flip, shipped", [][2]int64{{1501, 143}, {1499, 144}}, shipTest,
			"No clear leader on clicks", "ahead", "No clear leader", false},
		{"a lead the chances back", [][2]int64{{1000, 50}, {1000, 58}}, nil,
			"Variant B is ahead on clicks", "No clear leader", "Variant B leads (+16.0%)", true},
		// B 49.9% and C 42.7%: well above an even third each, but a toss-up
		// between the two.
		{"three arms, two close", [][2]int64{{1000, 50}, {1000, 60}, {1000, 59}}, nil,
			"No clear leader yet on clicks (Variant B is +20.0% against the original, with a 49% chance it is the best): keep the test running.",
			"ahead", "No clear leader yet", false},
		// B 66%, the others 17% each: short of two thirds, yet four times
		// likelier to be the best than either.
		{"three arms, one ahead", [][2]int64{{1000, 50}, {1000, 58}, {1000, 50}}, nil,
			"Variant B is ahead on clicks", "No clear leader", "Variant B leads (+16.0%)", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			texts := []string{"Original headline", "New headline", "Newer headline"}[:len(tt.counts)]
			x := e.transition(e.experiment(e.site("Shop").ID, "Hero", texts...).ID, experiments.ActionStart)
			e.setCounts(x, tt.counts...)
			backdate(e, x, 3)
			if tt.end != nil {
				tt.end(e, x)
			}
			for path, text := range verdictSentences(t, e, c, tok, x) {
				if !strings.Contains(text, tt.want) || strings.Contains(text, tt.lack) {
					t.Errorf("%s: verdict %q, want %q and no %q", path, text, tt.want, tt.lack)
				}
			}
			resp, body := c.get("/experiments")
			wantStatus(t, resp, http.StatusOK, body)
			cells := findAll(parseHTML(t, body), hasClass("list-result"))
			if len(cells) != 1 {
				t.Fatalf("%d result cells", len(cells))
			}
			if line := findAll(cells[0], hasClass("small")); len(line) == 0 || strings.Join(strings.Fields(textOf(line[0])), " ") != tt.list {
				t.Errorf("list cell %q, want the line %q", strings.Join(strings.Fields(textOf(cells[0])), " "), tt.list)
			}
			if x.Status == experiments.StatusRunning && tt.end == nil {
				resp, body = c.get("/experiments/" + x.ID)
				wantStatus(t, resp, http.StatusOK, body)
				if leads := strings.Contains(pageWords(t, body), "leads so far"); leads != tt.ship {
					t.Errorf("experiment page says B leads so far: %v, want %v", leads, tt.ship)
				}
			}
		})
	}
}
