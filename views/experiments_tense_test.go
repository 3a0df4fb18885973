package views

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestExperimentListTense: the list's result cell speaks of a test as the
// results page does. A test that has ended (stopped, or shipped) "led"; a
// running or paused one "leads". A paused test still waiting for an
// answer is told to resume, as its results page heads it, never to keep
// running.
func TestExperimentListTense(t *testing.T) {
	for _, tt := range []struct {
		name         string
		row          ExperimentRow
		chip, leader string
	}{
		{"running", ExperimentRow{Status: "running", Verdict: "keep_running"},
			"Keep the test running", "Variant B leads (+16.0%)"},
		{"paused", ExperimentRow{Status: "paused", Verdict: "keep_running"},
			"Resume the test to reach a verdict", "Variant B leads (+16.0%)"},
		{"paused with an answer", ExperimentRow{Status: "paused", Verdict: "winner"},
			"We have a winner", "Variant B leads (+16.0%)"},
		{"paused, early answer", ExperimentRow{Status: "paused", Verdict: "winner", Early: true},
			"Early lead: not called yet", "Variant B leads (+16.0%)"},
		{"stopped", ExperimentRow{Status: "stopped", Verdict: "keep_running", Ended: true},
			"Too early to call", "Variant B led (+16.0%)"},
		{"shipped", ExperimentRow{Status: "shipped", Verdict: "winner", Ended: true},
			"We have a winner", "Variant B led (+16.0%)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.row
			r.ID, r.Name, r.Page, r.Started, r.Visitors = "x1", "Hero", "/", true, 2000
			r.Leader, r.LeaderLift, r.HasLeadLift = "Variant B", 0.16, true
			p := ExperimentsPage{Page: testPage(), Experiments: []ExperimentRow{r}, Total: 1, HasSites: true}
			doc, _ := renderDoc(t, Experiments(p))
			cells := find(doc, byClass("list-result"))
			if len(cells) != 1 {
				t.Fatalf("%d result cells", len(cells))
			}
			chip := find(cells[0], byClass("verdict-chip"))
			if len(chip) != 1 || strings.TrimSpace(text(chip[0])) != tt.chip {
				t.Errorf("chip %q, want %q", textOr(chip), tt.chip)
			}
			lead := find(cells[0], byClass("small"))
			if len(lead) != 1 || squash(text(lead[0])) != tt.leader {
				t.Errorf("leader line %q, want %q", textOr(lead), tt.leader)
			}
			if got := text(cells[0]); (r.Status == "paused" || r.Ended) && strings.Contains(got, "Keep the test running") {
				t.Errorf("a %s test is told to keep running: %q", r.Status, got)
			}
		})
	}
}

// TestShippedNoticeNamesRunningTest: while a running test of the element
// hides the shipped copy, the notice names that test and links to it, its
// name as text.
func TestShippedNoticeNamesRunningTest(t *testing.T) {
	for _, tt := range []struct {
		name    string
		running []OtherCopy
		want    string
	}{
		{"one", []OtherCopy{{ID: "r1", Name: evil}},
			"Not shown right now: the running experiment “" + evil + "” tests the same element, and decides its copy until that experiment ends."},
		{"two", []OtherCopy{{ID: "r1", Name: "Blog A"}, {ID: "r2", Name: "Hero"}},
			"Not shown right now: the running experiments “Blog A” and “Hero” test the same element, and decide its copy until they end."},
		{"three", []OtherCopy{{ID: "r1", Name: "Blog A"}, {ID: "r2", Name: "Hero"}, {ID: "r3", Name: "Nav"}},
			"Not shown right now: the running experiments “Blog A”, “Hero” and “Nav” test the same element, and decide its copy until they end."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ExperimentPage{Page: testPage(), ID: "x1", Name: "Old", Status: "shipped", SiteID: "s1", SiteName: "Shop",
				PageURL: "/", Selector: "#hero", Shipped: "Variant B", ShippedText: "Shipped headline", ShipHidden: true,
				Element: ElementNotes{Running: tt.running}}
			doc, raw := renderDoc(t, Experiment(p))
			if strings.Contains(raw, evil) {
				t.Fatal("a running test's name is not escaped")
			}
			shipped := find(doc, byAttr("id", "shipped"))
			if len(shipped) != 1 {
				t.Fatalf("%d #shipped notices", len(shipped))
			}
			var notice *html.Node
			for _, para := range find(shipped[0], byTag("p")) {
				if strings.HasPrefix(text(para), "Not shown right now") {
					notice = para
				}
			}
			if notice == nil {
				t.Fatalf("no “Not shown right now” line in %q", text(shipped[0]))
			}
			if got := squash(text(notice)); got != tt.want {
				t.Errorf("notice %q, want %q", got, tt.want)
			}
			links := find(notice, byTag("a"))
			if len(links) != len(tt.running) {
				t.Fatalf("%d links, want one per running test", len(links))
			}
			for i, a := range links {
				if href, _ := attr(a, "href"); href != "/experiments/"+tt.running[i].ID || text(a) != tt.running[i].Name {
					t.Errorf("link %d: %q → %q, want %q → /experiments/%s", i, text(a), href, tt.running[i].Name, tt.running[i].ID)
				}
			}
		})
	}
}

// squash collapses runs of white space, as a browser shows them.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func textOr(ns []*html.Node) string {
	if len(ns) == 0 {
		return "<none>"
	}
	return text(ns[0])
}
