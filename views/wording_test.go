package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestPValueCellWording: on a phone each cell shows its data-label as its
// heading, so the p-value cell is labelled "p-value" like its column (its
// first number is the raw one; the adjusted one follows, named), and the
// column's hint says where the adjusted value is.
func TestPValueCellWording(t *testing.T) {
	r := Results{Status: "running", Rows: []ResultRow{
		{Key: "control", Text: "Original", Control: true, Exposures: 100, Conversions: 10, Rate: 0.1},
		{Key: "b", Text: "New", Exposures: 100, Conversions: 20, Rate: 0.2, HasPValue: true, PValue: 0.02, PValueAdjusted: 0.04},
	}}
	doc, raw := renderDoc(t, resultsTable(r))
	cells := find(doc, func(n *html.Node) bool { return n.Data == "td" && strings.Contains(text(n), "adjusted 0.04") })
	if len(cells) != 1 {
		t.Fatalf("%d cells with the adjusted p-value", len(cells))
	}
	if label, _ := attr(cells[0], "data-label"); label != "p-value" {
		t.Errorf("p-value cell labelled %q, want %q", label, "p-value")
	}
	if strings.Contains(raw, "in brackets") {
		t.Error("the hint says the adjusted value is in brackets; it is on its own line, named")
	}
}

// TestShipConfirmSaysItEndsTheTest: shipping a running (or paused) test
// stops it, so its Ship button's question says so; a stopped test's does
// not, as there is nothing left to end.
func TestShipConfirmSaysItEndsTheTest(t *testing.T) {
	for _, tt := range []struct {
		name, status string
		ends         bool
	}{
		{"running", "running", true},
		{"paused", "paused", true},
		{"stopped", "stopped", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ExperimentPage{
				Page: testPage(), ID: "x1", Name: "Hero", Status: tt.status, SiteID: "s1", SiteName: "Site", PageURL: "/p", Selector: "h1",
				Goal:     "a click on #go",
				Variants: []VariantView{{Key: "control", Text: "Old", Control: true}, {Key: "b", Text: "New", WeightBP: 5000}},
				Ship:     []ShipOption{{Key: "b", Label: "Variant B", Text: "New"}},
				Results:  Results{Status: tt.status},
			}
			doc, _ := renderDoc(t, Experiment(p))
			buttons := find(doc, func(n *html.Node) bool { return n.Data == "button" && text(n) == "Ship Variant B" })
			if len(buttons) != 1 {
				t.Fatalf("%d Ship Variant B buttons", len(buttons))
			}
			q, _ := attr(buttons[0], "data-confirm")
			// Without a verdict's answer, the question first says that
			// shipping now is a guess (shipCalled).
			if !strings.Contains(q, "now is a guess. Show Variant B (“New”) to every visitor?") {
				t.Errorf("confirm %q", q)
			}
			if got := strings.Contains(q, "This ends the test"); got != tt.ends {
				t.Errorf("confirm %q: says it ends the test %v, want %v", q, got, tt.ends)
			}
		})
	}
}

// TestUsersAddButtonMatchesHeading: the form is headed "Add a teammate";
// its button says the same thing.
func TestUsersAddButtonMatchesHeading(t *testing.T) {
	doc, _ := renderDoc(t, Users(UsersPage{Page: testPage(), Admin: true})) // the form is an admin's
	forms := find(doc, byAttr("action", "/users"))
	if len(forms) != 1 {
		t.Fatalf("%d add forms", len(forms))
	}
	buttons := find(forms[0], byTag("button"))
	if len(buttons) != 1 || text(buttons[0]) != "Add teammate" {
		t.Errorf("%d buttons in the add form, want one: Add teammate", len(buttons))
	} else if heads := find(doc, byTag("h2")); len(heads) == 0 || text(heads[len(heads)-1]) != "Add a teammate" {
		t.Error("the form is no longer headed Add a teammate")
	}
}

// TestSignOutOthersSaysWhy: the button also matters when no other browser
// is listed (it voids the trust of browsers signed in before), and its
// help says so in plain words.
func TestSignOutOthersSaysWhy(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	s := SessionsSection{Now: now, Rows: []SessionRow{{ID: "a", Browser: "Chrome on Linux", SignedIn: now, LastSeen: now, Current: true}}}
	_, raw := renderDoc(t, signedInBrowsers(s))
	for _, want := range []string{"No other browser is signed in as you.", "Sign out all other browsers", "including ones no longer listed here"} {
		if !strings.Contains(raw, want) {
			t.Errorf("no %q", want)
		}
	}
	if strings.Contains(raw, "keeps letting in") {
		t.Error("the old, hard to read sentence is still there")
	}
}
