package app

import (
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestShipBeforeAnAnswerIsFolded: until the verdict calls an answer
// (too few visitors, keep running, an early lead), shipping is still
// possible but sits in a collapsed "Ship before the test has an answer"
// disclosure that says the numbers can still change, its buttons plain,
// and each question says shipping now is a guess. Once the verdict calls
// a winner, the "Ship a variant" card and its primary button are back in
// plain sight, and the question says nothing of a guess.
func TestShipBeforeAnAnswerIsFolded(t *testing.T) {
	for _, tt := range []struct {
		name    string
		days    int
		counts  [][2]int64
		called  bool
		primary bool // the winner's button is the primary one
	}{
		{"just started", 0, nil, false, false},
		{"not enough data", 0, [][2]int64{{2, 1}, {1, 1}}, false, false},
		{"keep running", 30, [][2]int64{{200, 20}, {202, 23}}, false, false},
		{"leads so far", 0, [][2]int64{{1000, 100}, {1000, 110}}, false, false},
		{"early winner", 0, [][2]int64{{1000, 100}, {1000, 200}}, false, false},
		{"original ahead, early", 0, [][2]int64{{1000, 200}, {1000, 100}}, false, false},
		{"called winner", 30, [][2]int64{{40000, 4000}, {40000, 5572}}, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			if tt.days > 0 {
				backdate(e, x, tt.days)
			}
			if tt.counts != nil {
				e.setCounts(x, tt.counts...)
			}
			_, body := c.get("/experiments/" + x.ID)
			doc := parseHTML(t, body)
			ship := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "ship" })
			if len(ship) != 1 {
				t.Fatalf("%d #ship elements", len(ship))
			}
			s := ship[0]
			buttons := pageButtons(t, body, x.ID, "/ship")
			if len(buttons) != 1 {
				t.Fatalf("%d Ship buttons", len(buttons))
			}
			b := buttons[0]
			if tt.called {
				if s.Data != "section" || !strings.Contains(textOf(s), "Ship a variant") {
					t.Errorf("a called winner's Ship card is <%s> %q, want the Ship a variant card", s.Data, textOf(s))
				}
				if len(findAll(s, func(n *xhtml.Node) bool { return n.Data == "details" })) != 0 {
					t.Error("a called winner's Ship buttons are folded away")
				}
				if strings.Contains(b.confirm, "guess") {
					t.Errorf("a called winner's question says %q", b.confirm)
				}
				// As a browser shows it: runs of white space are one space.
				if txt := strings.Join(strings.Fields(textOf(s)), " "); !strings.Contains(txt, "has the new copy. This ends the test") {
					t.Errorf("the Ship card's help runs its sentences together: %q", txt)
				}
			} else {
				if s.Data != "details" {
					t.Fatalf("#ship is <%s>, want a disclosure: %q", s.Data, textOf(s))
				}
				for _, a := range s.Attr {
					if a.Key == "open" {
						t.Error("the disclosure is open")
					}
				}
				sum := findAll(s, func(n *xhtml.Node) bool { return n.Data == "summary" })
				if len(sum) != 1 || textOf(sum[0]) != "Ship before the test has an answer" {
					t.Errorf("summary %q", textOf(sum[0]))
				}
				if !strings.Contains(textOf(s), "The numbers can still change, so shipping now is a guess.") {
					t.Errorf("the disclosure says %q", textOf(s))
				}
				if strings.Contains(body, ">Ship a variant<") {
					t.Error("the page still heads a Ship a variant card")
				}
				if !strings.Contains(b.confirm, " The numbers can still change: shipping now is a guess. Show Variant B") {
					t.Errorf("question %q", b.confirm)
				}
			}
			if got := strings.Contains(b.class, "btn-primary"); got != tt.primary {
				t.Errorf("Ship button class %q", b.class)
			}
		})
	}
}
