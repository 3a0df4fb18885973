package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// unsureTest is "Hero" on Shop at a 50% threshold, 8 days in, with
// control and b counted as given (visitors, conversions): at 800/80
// against 800/102, Variant B is the winner by the spec's rule while its
// 95% interval, −3.2% to +67.9%, still includes no gain; swapped, the
// original is best while Variant B's interval still includes a gain.
func unsureTest(t *testing.T, control, b [2]int64) (*env, *client, experiments.Experiment) {
	t.Helper()
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	if _, err := e.store.Writer().Exec(`update experiments set threshold = 0.5 where id = ?`, x.ID); err != nil {
		t.Fatal(err)
	}
	x = e.transition(x.ID, experiments.ActionStart)
	backdate(e, x, 8)
	e.setCounts(x, control, b)
	return e, c, x
}

// sharePage fetches x's share page, signed out.
func sharePage(t *testing.T, e *env, x experiments.Experiment) string {
	t.Helper()
	resp := e.do(newRequest(http.MethodGet, "/r/"+x.ShareToken, nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	return body
}

// TestUnsureVerdictHeadlines: a winner or control_wins the verdict calls
// only probable (its sentence says so and leaves the choice) is headed as
// the webhook heads it, "Probably a winner", "The original is probably
// best", on the results page and the share page, never "We have a
// winner" or "Keep the original" above a sentence that hedges.
func TestUnsureVerdictHeadlines(t *testing.T) {
	for _, tc := range []struct {
		name       string
		control, b [2]int64
		want       string
	}{
		{"winner", [2]int64{800, 80}, [2]int64{800, 102}, "Probably a winner"},
		{"original", [2]int64{800, 102}, [2]int64{800, 80}, "The original is probably best"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, x := unsureTest(t, tc.control, tc.b)
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			pages := map[string]string{"results": body, "share": sharePage(t, e, x)}
			for name, body := range pages {
				title, text, early, _ := verdictOn(t, body)
				if early {
					t.Fatalf("%s: verdict marked early: %q", name, text)
				}
				if title != tc.want {
					t.Errorf("%s page headline %q, want %q (under %q)", name, title, tc.want, text)
				}
			}
		})
	}
}

// TestShipButtonUnsureWinner: the Ship button of a winner whose interval
// still includes no gain calls it the likely winner, and its question
// says that the interval still includes no gain, instead of "the winner"
// and "The results call it the winner.".
func TestShipButtonUnsureWinner(t *testing.T) {
	_, c, x := unsureTest(t, [2]int64{800, 80}, [2]int64{800, 102})
	_, body := c.get("/experiments/" + x.ID)
	got := pageButtons(t, body, x.ID, "/ship")
	if len(got) != 1 {
		t.Fatalf("Ship buttons %+v, want 1", got)
	}
	want := button{"Ship Variant B (+27.5%, the likely winner)", "btn btn-primary",
		"Variant B converts 27.5% better than the original so far. The results call it the likely winner, but the 95% interval of its lift still includes no gain. " +
			"Show Variant B (“New headline”) to every visitor? This ends the test: nobody is counted from then on."}
	if got[0] != want {
		t.Errorf("Ship button\n got %+v\nwant %+v", got[0], want)
	}
}

// TestShippedShareVerdictSaysNoRunAgain: a shipped test's share page does
// not end its verdict with "The team can run it again for longer." (nor
// offer to ship it): it was shipped, and the panel says so.
func TestShippedShareVerdictSaysNoRunAgain(t *testing.T) {
	e, c, x := unsureTest(t, [2]int64{800, 80}, [2]int64{800, 102})
	if _, err := e.store.Ship(context.Background(), x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	const want = "Variant B is probably the best on clicks (95% chance) and lifts them by +27.5%, but the 95% interval of that lift, −3.2% to +67.9%, still includes no gain."
	_, results := c.get("/experiments/" + x.ID + "/results")
	for name, body := range map[string]string{"share": sharePage(t, e, x), "results": results} {
		title, text, _, _ := verdictOn(t, body)
		if text != want {
			t.Errorf("%s page verdict\n %q\nwant\n %q", name, text, want)
		}
		if title != "Probably a winner" {
			t.Errorf("%s page headline %q", name, title)
		}
		if !strings.Contains(body, "Shipped: Variant B") {
			t.Errorf("%s page does not say Variant B was shipped", name)
		}
	}
}

// TestSegmentWordsCompareTheLift: a segment's flag, its finding and its
// cell say that they compare the variant's lift there with its lift
// overall ("lift … is clearly lower … than overall"), never "does clearly
// worse", which reads as worse than the original; and the referrer's
// empty value has one name in the table and in the sentences.
func TestSegmentWordsCompareTheLift(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{10000, 1000}, [2]int64{10000, 1500})
	setSegments(t, e, x, experiments.DimReferrer, []segmentCounts{
		{"", "control", 5000, 500}, {"", "b", 5000, 500},
		{"news.example", "control", 5000, 500}, {"news.example", "b", 5000, 1000},
	})
	_, doc, findings, details := segmentFindings(t, c, x)
	const finding = "Variant B's lift on clicks is clearly higher for visitors from news.example, and clearly lower for visitors with no referrer, than overall; overall it is +50.0% against the original."
	if len(findings) != 1 || findings[0] != finding {
		t.Errorf("findings %q, want\n %q", findings, finding)
	}
	wantDetails := []string{
		"Variant B's lift on clicks is clearly lower for visitors with no referrer than overall: no change (",
		"Variant B's lift on clicks is clearly higher for visitors from news.example than overall: +100.0% (",
	}
	if len(details) != len(wantDetails) {
		t.Fatalf("flag sentences %q", details)
	}
	for i, w := range wantDetails {
		if !strings.HasPrefix(details[i], w) || !strings.HasSuffix(details[i], " against +50.0% overall.") {
			t.Errorf("flag sentence %d\n %q\nwant it to start\n %q", i, details[i], w)
		}
	}
	table := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "seg-"+experiments.DimReferrer })
	if len(table) != 1 {
		t.Fatalf("%d referrer tables", len(table))
	}
	var labels, marks []string
	for _, th := range findAll(table[0], func(n *xhtml.Node) bool { return n.Data == "th" && attrOf(n, "scope") == "row" }) {
		labels = append(labels, words(th))
	}
	for _, f := range findAll(table[0], hasClass("flag")) {
		marks = append(marks, words(f))
	}
	if !containsString(labels, "No referrer") {
		t.Errorf("referrer rows %q, want one named No referrer", labels)
	}
	for _, m := range marks {
		if m != "▼ clearly lower lift here than overall" && m != "▲ clearly higher lift here than overall" {
			t.Errorf("segment mark %q", m)
		}
	}
	if len(marks) != 2 {
		t.Errorf("segment marks %q, want 2", marks)
	}
}

// TestListChipUnsure: the experiments list and the site's page head an
// unsure answer as its results page does. Before, their chips said "We
// have a winner" and "Keep the original" above pages that hedge.
func TestListChipUnsure(t *testing.T) {
	for _, tc := range []struct {
		name, status string
		control, b   [2]int64
		want         string
	}{
		{"winner", "winner", [2]int64{800, 80}, [2]int64{800, 102}, "Probably a winner"},
		{"original", "control_wins", [2]int64{800, 102}, [2]int64{800, 80}, "The original is probably best"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, x := unsureTest(t, tc.control, tc.b)
			for _, path := range []string{"/experiments", "/sites/" + x.SiteID} {
				if title, early := listChip(t, c, path, tc.status); title != tc.want || early {
					t.Errorf("%s: chip %q (early %v), want %q", path, title, early, tc.want)
				}
			}
		})
	}
}

// TestShippedAgainstTheOriginalHeadline: a variant shipped where the
// original did best is not headed "Keep the original" (advice the ship
// made moot, as its sentence already drops it) on the results page, the
// share page or the lists: it says what the results found, in the past.
func TestShippedAgainstTheOriginalHeadline(t *testing.T) {
	for _, tc := range []struct {
		name, before, after string
		control, b          [2]int64
	}{
		{"clear", "Keep the original", "The original did best", [2]int64{800, 140}, [2]int64{800, 80}},
		{"probable", "The original is probably best", "The original was probably best", [2]int64{800, 102}, [2]int64{800, 80}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, x := unsureTest(t, tc.control, tc.b)
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			if title, text, _, _ := verdictOn(t, body); title != tc.before {
				t.Fatalf("before the ship: %q (%q), want %q", title, text, tc.before)
			}
			tok := e.token("api@example.com")
			resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/ship", tok, `{"variant":"b"}`)
			wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			resp, body = c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			for name, body := range map[string]string{"results": body, "share": sharePage(t, e, x)} {
				if title, text, _, _ := verdictOn(t, body); title != tc.after {
					t.Errorf("%s page after the ship: %q (%q), want %q", name, title, text, tc.after)
				}
			}
			for _, path := range []string{"/experiments", "/sites/" + x.SiteID} {
				if title, _ := listChip(t, c, path, "control_wins"); title != tc.after {
					t.Errorf("%s: chip %q, want %q", path, title, tc.after)
				}
			}
		})
	}
}
