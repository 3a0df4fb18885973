package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// startedWithEvents is a started test "Hero" with real events through
// POST /e: per variant (control, b) the visitors and how many of them
// convert. It is then made to look started three days ago (backdate).
func startedWithEvents(t *testing.T, visitors int, conversions [2]int) (*env, *client, string, experiments.Experiment) {
	t.Helper()
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.transition(e.experiment(site.ID, "Hero").ID, experiments.ActionStart)
	for vi, variant := range []string{"control", "b"} {
		for i := range visitors {
			body := eventBody(site.Key, fmt.Sprintf("%s-%d", variant, i), x.ID, variant, i < conversions[vi])
			resp := e.postEvents(body)
			wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
		}
	}
	backdate(e, x, 3)
	return e, c, tok, x
}

// pauseSince pauses x and makes the pause look a day old, so that the
// test ran two of its three days and has been paused for one.
func pauseSince(e *env, x experiments.Experiment) {
	e.t.Helper()
	e.transition(x.ID, experiments.ActionPause)
	at := time.Now().Add(-24 * time.Hour).UnixMilli()
	if _, err := e.store.Writer().Exec(`update experiment_history set at = ? where experiment_id = ? and action = ?`,
		at, x.ID, experiments.ChangePaused); err != nil {
		e.t.Fatal(err)
	}
}

// resultsPanels fetches every page that shows x's live results panel: the
// results page, its live fragment, the experiment page, and the share
// page and its live fragment (without signing in).
func resultsPanels(t *testing.T, e *env, c *client, x experiments.Experiment) map[string]*xhtml.Node {
	t.Helper()
	out := map[string]*xhtml.Node{}
	for name, path := range map[string]string{
		"results":    "/experiments/" + x.ID + "/results",
		"live":       "/experiments/" + x.ID + "/results/live",
		"experiment": "/experiments/" + x.ID,
	} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		out[name] = parseHTML(t, body)
	}
	for name, path := range map[string]string{"share": "/r/" + x.ShareToken, "share live": "/r/" + x.ShareToken + "/live"} {
		resp := e.do(newRequest(http.MethodGet, path, nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		out[name] = parseHTML(t, body)
	}
	return out
}

// words is a node's text with its white space folded.
func words(n *xhtml.Node) string { return strings.Join(strings.Fields(textOf(n)), " ") }

// TestResultsRunTimeStatTense: the stat of how long the test has run says
// "running" only while it runs. A paused test gets no visitors, and its
// paused time is left out of the days (as days_running leaves it out), so
// it says the days it ran and that it is paused now; a stopped or shipped
// one, the days it ran. Every page with the results panel says the same.
func TestResultsRunTimeStatTense(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(e *env, x experiments.Experiment)
		want string
	}{
		{"running", nil, "3 days running"},
		{"paused", pauseSince, "2 days of running, now paused time paused (1 day) left out"},
		{"stopped", stopTest, "3 days of running"},
		{"shipped", shipTest, "3 days of running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _, x := startedWithEvents(t, 20, [2]int{1, 2})
			if tc.end != nil {
				tc.end(e, x)
			}
			for name, doc := range resultsPanels(t, e, c, x) {
				var got []string
				for _, s := range findAll(doc, hasClass("stat")) {
					var parts []string
					for _, p := range findAll(s, func(n *xhtml.Node) bool { return hasClass("stat-value")(n) || hasClass("stat-label")(n) }) {
						parts = append(parts, words(p))
					}
					if w := strings.Join(parts, " "); strings.Contains(w, " day") {
						got = append(got, w)
					}
				}
				if len(got) != 1 || got[0] != tc.want {
					t.Errorf("%s: days stat %q, want %q", name, got, tc.want)
				}
			}
		})
	}
}
