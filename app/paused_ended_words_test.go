package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestPausedVerdictSaysResume: a paused test gets no visitors, so a
// verdict still waiting for them (keep_running) tells to resume it
// wherever it is said: the verdict's sentence on the results page and in
// the API, and the chip on the experiments list and the site's page, as
// the results page heads it. Resumed, all say to keep it running again.
func TestPausedVerdictSaysResume(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{1000, 50}, [2]int64{1000, 58}) // keep_running
	check := func(t *testing.T, title, call, not string) {
		t.Helper()
		resp, body := c.get("/experiments/" + x.ID + "/results")
		wantStatus(t, resp, http.StatusOK, body)
		pageTitle, text, _, _ := verdictOn(t, body)
		if pageTitle != title {
			t.Errorf("results page title %q, want %q", pageTitle, title)
		}
		if !strings.HasSuffix(text, call) || strings.Contains(text, not) {
			t.Errorf("results page text %q: want it to end %q, without %q", text, call, not)
		}
		_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
		if av, _ := out["verdict"].(map[string]any); av["text"] != text || av["status"] != stats.StatusKeepRunning {
			t.Errorf("API verdict %v, want %s with the page's text %q", av, stats.StatusKeepRunning, text)
		}
		for _, path := range []string{"/experiments", "/sites/" + x.SiteID} {
			if chip, _ := listChip(t, c, path, stats.StatusKeepRunning); chip != title {
				t.Errorf("%s: chip %q, want %q as the results page says", path, chip, title)
			}
		}
	}

	e.transition(x.ID, experiments.ActionPause)
	t.Run("paused", func(t *testing.T) {
		check(t, "Resume the test to reach a verdict", "but it is too early to call: resume the test to reach a verdict.", "keep the test running")
	})
	e.transition(x.ID, experiments.ActionResume)
	t.Run("resumed", func(t *testing.T) {
		check(t, "Keep the test running", "but it is too early to call: keep the test running.", "resume")
	})
}

// TestListLeaderTense: the list and the site's page say the leader of a
// running or paused test "leads", and of one that has ended (stopped or
// shipped) "led", as its results page does.
func TestListLeaderTense(t *testing.T) {
	// An early winner: the list names a leader only where the verdict
	// names one (stats.Verdict.Leads); keep_running's leader and its "No
	// clear leader yet" have their own tests (TestListLeaderAsResults,
	// TestExperimentsListNoLeaderInNoise).
	counts := [][2]int64{{1000, 50}, {1000, 100}}
	for _, tc := range []struct {
		name string
		end  func(e *env, x experiments.Experiment)
		want string
	}{
		{"running", nil, "Variant B leads"},
		{"paused", pauseTest, "Variant B leads"},
		{"stopped", stopTest, "Variant B led"},
		{"shipped", shipTest, "Variant B led"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _, x := startedWithCounts(t, counts...)
			if tc.end != nil {
				tc.end(e, x)
			}
			for _, path := range []string{"/experiments", "/sites/" + x.SiteID} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				cells := findAll(parseHTML(t, body), hasClass("list-result"))
				if len(cells) != 1 {
					t.Fatalf("%s: %d result cells", path, len(cells))
				}
				lead := findAll(cells[0], hasClass("small"))
				if len(lead) != 1 {
					t.Fatalf("%s: no leader line in %q", path, textOf(cells[0]))
				}
				if got := strings.Join(strings.Fields(textOf(lead[0])), " "); !strings.HasPrefix(got, tc.want+" (") {
					t.Errorf("%s: leader line %q, want %q", path, got, tc.want+" (…)")
				}
			}
		})
	}
}

// TestShippedNoticeLinksRunningTest: while a running test of the element
// hides the shipped copy, the shipped experiment's page names that test
// and links to it; once it stops, the notice goes.
func TestShippedNoticeLinksRunningTest(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	old := e.shipped(site.ID, "Shipped headline")
	next := e.transition(e.experimentOn(site.ID, "Next <b>test</b>", "/pricing", heroSelector, "Shipped headline", "Newer headline").ID, experiments.ActionStart)
	c := e.signIn("owner@example.com")

	_, body := c.get("/experiments/" + old.ID)
	wantNotContains(t, body, "Next <b>test</b>")
	shipped := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "shipped" })
	if len(shipped) != 1 {
		t.Fatalf("%d #shipped notices", len(shipped))
	}
	var notice string
	var links []string
	for _, p := range findAll(shipped[0], func(n *xhtml.Node) bool { return n.Data == "p" }) {
		if s := strings.Join(strings.Fields(textOf(p)), " "); strings.HasPrefix(s, "Not shown right now") {
			notice = s
			for _, a := range findAll(p, func(n *xhtml.Node) bool { return n.Data == "a" }) {
				links = append(links, attrOf(a, "href")+" "+textOf(a))
			}
		}
	}
	if want := "Not shown right now: the running experiment “Next <b>test</b>” tests the same element, and decides its copy until that experiment ends."; notice != want {
		t.Errorf("notice %q, want %q", notice, want)
	}
	if len(links) != 1 || links[0] != "/experiments/"+next.ID+" Next <b>test</b>" {
		t.Errorf("notice links %q, want one to /experiments/%s", links, next.ID)
	}

	e.transition(next.ID, experiments.ActionStop)
	_, body = c.get("/experiments/" + old.ID)
	wantNotContains(t, body, "Not shown right now")
}
