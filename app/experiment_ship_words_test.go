package app

import (
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestShipButtonsWordTheResults: each Ship button gives its variant's
// uplift against the original and where the verdict leaves it, with the
// numbers of the results panel; the winner's button is the primary one;
// a losing variant's question says how much worse it converts and asks
// "anyway". Once one is shipped, the others offer to switch the shipped
// copy, and no longer say that shipping ends the test.
func TestShipButtonsWordTheResults(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Worse headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	backdate(e, x, 30) // past the full week: the verdict is an answer, not an early lead
	e.setCounts(x, [2]int64{40000, 4000}, [2]int64{40000, 3320}, [2]int64{40000, 5572})

	_, results := c.get("/experiments/" + x.ID + "/results")
	wantContains(t, results, "We have a winner", "−17.0%", "+39.3%")
	_, body := c.get("/experiments/" + x.ID)
	got := pageButtons(t, body, x.ID, "/ship")
	want := []button{
		{"Ship Variant B (−17.0%, behind the winner)", "btn btn-secondary",
			"Variant B converts 17.0% worse than the original so far. The results call Variant C the winner. " +
				"Show Variant B (“Worse headline”) to every visitor anyway? This ends the test: nobody is counted from then on."},
		{"Ship Variant C (+39.3%, the winner)", "btn btn-primary",
			"Variant C converts 39.3% better than the original so far. The results call it the winner. " +
				"Show Variant C (“Better headline”) to every visitor? This ends the test: nobody is counted from then on."},
	}
	if len(got) != len(want) {
		t.Fatalf("Ship buttons %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Ship button %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	// Shipping the loser anyway: the winner's button now switches the
	// shipped copy, and the test has ended already.
	body = flashAfter(t, c, "/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}})
	wantContains(t, body, "Shipped: every visitor now sees Variant B")
	got = pageButtons(t, body, x.ID, "/ship")
	wantC := button{"Ship Variant C (+39.3%, the winner)", "btn btn-primary",
		"Variant C converted 39.3% better than the original. The results call it the winner. " +
			"Switch the shipped copy from Variant B to Variant C (“Better headline”)?"}
	if len(got) != 1 || got[0] != wantC {
		t.Errorf("Ship buttons once B is shipped:\n got %+v\nwant [%+v]", got, wantC)
	}
	ship := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "ship" })
	if len(ship) != 1 {
		t.Fatalf("%d Ship sections", len(ship))
	}
	if help := textOf(ship[0]); strings.Contains(help, "ends the test") || !strings.Contains(help, "from Variant B to it") {
		t.Errorf("the Ship section of a shipped experiment says %q", help)
	}
}

// TestShipButtonsStanding: the words follow the verdict: no leader while
// there is not enough data, a lead while the test runs on, an early winner
// not yet called, the original ahead (ship "anyway"); each uplift is the
// one the results panel shows. None of these is an answer, so no button
// is the primary one and each question says shipping now is a guess.
func TestShipButtonsStanding(t *testing.T) {
	for _, tt := range []struct {
		name          string
		counts        [][2]int64
		uplift        string // as the results panel shows it
		label, class  string
		confirmPrefix string
	}{
		// Too few visitors: the results show no uplift, nor does the button.
		{"not enough data", [][2]int64{{2, 1}, {1, 1}}, "",
			"Ship Variant B (not enough data yet)", "btn btn-secondary",
			"Variant B converts 100% of its visitors so far, the original 50.0%. There is not enough data yet to tell. The numbers can still change: shipping now is a guess. Show Variant B (“New headline”) to every visitor?"},
		{"leads so far", [][2]int64{{1000, 100}, {1000, 110}}, "+10.0%",
			"Ship Variant B (+10.0%, leads so far)", "btn btn-secondary",
			"Variant B converts 10.0% better than the original so far. It leads so far, but the results have no answer yet. The numbers can still change: shipping now is a guess. Show Variant B (“New headline”) to every visitor?"},
		{"early winner", [][2]int64{{1000, 100}, {1000, 200}}, "+100.0%",
			"Ship Variant B (+100.0%, leads, not called yet)", "btn btn-secondary",
			"Variant B converts 100.0% better than the original so far. It leads, but it is too early to call. The numbers can still change: shipping now is a guess. Show Variant B (“New headline”) to every visitor?"},
		{"original ahead", [][2]int64{{1000, 200}, {1000, 100}}, "−50.0%",
			"Ship Variant B (−50.0%, the original is ahead)", "btn btn-secondary",
			"Variant B converts 50.0% worse than the original so far. The original is ahead, but it is too early to call. The numbers can still change: shipping now is a guess. Show Variant B (“New headline”) to every visitor anyway?"},
		{"no visitors on B", [][2]int64{{300, 30}, {0, 0}}, "",
			"Ship Variant B (no visitors yet, results can’t be trusted)", "btn btn-secondary",
			"No visitor has seen Variant B yet. The traffic split is broken, so these numbers can’t be trusted. Shipping now is a guess. Show Variant B (“New headline”) to every visitor?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setCounts(x, tt.counts...)
			_, body := c.get("/experiments/" + x.ID)
			if tt.uplift != "" {
				wantContains(t, body, `class="uplift`, tt.uplift)
			}
			got := pageButtons(t, body, x.ID, "/ship")
			if len(got) != 1 {
				t.Fatalf("%d Ship buttons", len(got))
			}
			if got[0].label != tt.label || got[0].class != tt.class || !strings.HasPrefix(got[0].confirm, tt.confirmPrefix) {
				t.Errorf("Ship button\n got %+v\nwant {%s %s %s…}", got[0], tt.label, tt.class, tt.confirmPrefix)
			}
		})
	}
}
