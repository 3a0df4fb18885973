package views

import (
	"strings"
	"testing"
	"time"
)

// notice is the squashed text of the paragraphs of the experiment page's
// element with the given id, one space between them; "" when there is
// none.
func notice(t *testing.T, p ExperimentPage, id string) string {
	t.Helper()
	doc, _ := renderDoc(t, Experiment(p))
	nodes := find(doc, byAttr("id", id))
	if len(nodes) == 0 {
		return ""
	}
	var paras []string
	for _, para := range find(nodes[0], byTag("p")) {
		paras = append(paras, squash(text(para)))
	}
	return strings.Join(paras, " ")
}

// TestShippedHeadingOnHold: while a running test of the element holds the
// shipped copy back, the shipped notice's heading says so rather than
// "every visitor sees" it, and the line that names the test keeps its
// distance from the copy above it.
func TestShippedHeadingOnHold(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		hidden bool
		want   string
	}{
		{"shown", false, "Shipped: every visitor sees Variant B on pages matching /demo, since " + dateTime(at) +
			". Nothing is counted. Put this copy on the page itself, then stop showing it here: Shipped headline"},
		{"held back", true, "Shipped, on hold: Variant B shows to every visitor on pages matching /demo once the test of this element ends. " +
			"Shipped " + dateTime(at) + ". Nothing is counted. Put this copy on the page itself, then stop showing it here: Shipped headline " +
			"Not shown right now: the running experiment “Next” tests the same element, and decides its copy until that experiment ends."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ExperimentPage{Page: testPage(), ID: "x1", Name: "Old", Status: "stopped", SiteID: "s1", SiteName: "Shop",
				PageURL: "/demo", Selector: "#hero", Shipped: "Variant B", ShippedAt: at, ShippedText: "Shipped headline",
				ShipHidden: tt.hidden}
			if tt.hidden {
				p.Element.Running = []OtherCopy{{ID: "r1", Name: "Next"}}
			}
			if got := notice(t, p, "shipped"); got != tt.want {
				t.Errorf("shipped notice\n%q\nwant\n%q", got, tt.want)
			}
			doc, _ := renderDoc(t, Experiment(p))
			shipped := find(doc, byAttr("id", "shipped"))
			if len(shipped) != 1 {
				t.Fatalf("%d #shipped notices", len(shipped))
			}
			// .copy has no margin of its own: the notice spaces its parts.
			if class, _ := attr(shipped[0], "class"); !strings.Contains(" "+class+" ", " stack ") {
				t.Errorf("#shipped has class %q, want it to space its parts (stack)", class)
			}
		})
	}
}

// TestDemoNoticeByStatus: the demo notice asks to watch the numbers change
// only while the test counts visitors; a draft, a paused test and one
// that has ended (stopped or shipped) are told what is true of them.
func TestDemoNoticeByStatus(t *testing.T) {
	const head = "This is the demo experiment. It runs on copylab's own demo page. "
	for _, tt := range []struct {
		name, status, shipped string
		hidden                bool
		want                  string
	}{
		{"running", "running", "", false,
			head + "Open it (a private window gets you a new visitor and maybe a new headline), click “Start writing”, and watch the numbers below change."},
		{"draft", "draft", "", false,
			head + "Once you start this test, open it (a private window gets you a new visitor and maybe a new headline), click “Start writing”, and watch the numbers change."},
		{"paused", "paused", "", false,
			head + "Nothing is counted while the test is paused: resume it to watch the numbers below change."},
		{"stopped", "stopped", "", false,
			head + "The test has ended: nothing is counted any more, so the numbers below stay as they are."},
		{"shipped", "stopped", "Variant B", false,
			head + "The test has ended: open the page to see the shipped copy. Nothing is counted any more, so the numbers below stay as they are."},
		{"shipped, on hold", "stopped", "Variant B", true,
			head + "The test has ended: nothing is counted any more, so the numbers below stay as they are."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ExperimentPage{Page: testPage(), ID: "x1", Name: "Demo", Status: tt.status, SiteID: "s1", SiteName: "Demo",
				PageURL: "/demo", Selector: "#hero", Demo: true, Shipped: tt.shipped, ShippedText: "New headline", ShipHidden: tt.hidden}
			if got := notice(t, p, "demo"); got != tt.want {
				t.Errorf("demo notice\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
