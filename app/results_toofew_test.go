package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestResultsTooFewVisitors: with three visitors in each variant, the
// results page and the share page show the counts and the observed rates
// but no uplift, no interval, no chance to be best, no chance to beat the
// original and no p-value (numbers that swing on every visitor, yet read as a
// result): the chance column says "Too few visitors yet" over the
// verdict's own count of the visitors each variant still needs, and the rate chart
// draws no band. The results document keeps every number. Once the
// counts are enough for a verdict, the numbers come back.
func TestResultsTooFewVisitors(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	token := e.token("ci@example.com")
	site, x := e.runningExperiment()
	for i, v := range []struct {
		variant string
		convert bool
	}{{"control", false}, {"control", true}, {"control", false}, {"b", true}, {"b", true}, {"b", false}} {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, v.variant, v.convert)), http.StatusNoContent, "")
	}

	_, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
	if s := doc["verdict"].(map[string]any)["status"]; s != "not_enough_data" {
		t.Fatalf("verdict %v, want not_enough_data", s)
	}
	for _, v := range doc["variants"].([]any) {
		if m := v.(map[string]any); m["prob_best"] == nil || m["rate_interval"] == nil {
			t.Errorf("the document lost a number: %v", m)
		}
	}
	text := doc["verdict"].(map[string]any)["text"].(string)
	// Short of the 100 visitors a variant, the verdict says what each
	// lacks (here the same for both).
	more := regexp.MustCompile(`each variant needs ([\d,]+) more`).FindStringSubmatch(text)
	if more == nil {
		t.Fatalf("verdict %q gives no estimate", text)
	}

	_, full := c.get("/experiments/" + x.ID + "/results")
	resp := e.do(newRequest(http.MethodGet, "/r/"+x.ShareToken, nil))
	share := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, share)
	for name, body := range map[string]string{"results": full, "share": share} {
		t.Run(name, func(t *testing.T) {
			page := parseHTML(t, body)
			panel := find1(t, page, "results")
			cells := func(label string) []*xhtml.Node {
				return findAll(panel, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == label })
			}
			best := cells("Chance to be best")
			if len(best) != 2 {
				t.Fatalf("%d chance cells, want 2", len(best))
			}
			for i, td := range best {
				got := strings.Join(strings.Fields(textOf(td)), " ")
				if want := "Too few visitors yet " + more[1] + " more visitors needed"; got != want {
					t.Errorf("row %d chance cell %q, want %q", i, got, want)
				}
			}
			if rates := cells("Conversion rate"); len(rates) != 2 || textOf(findAll(rates[0], hasClass("rate"))[0]) != "33.3%" ||
				textOf(findAll(rates[1], hasClass("rate"))[0]) != "66.7%" {
				t.Errorf("the observed rates are not shown")
			}
			if visitors := cells("Visitors"); len(visitors) != 2 || textOf(visitors[1]) != "3" {
				t.Errorf("the counts are not shown: %d cells, %q", len(visitors), textOf(visitors[len(visitors)-1]))
			}
			for _, class := range []string{"prob", "ci", "chart-band"} {
				if n := len(findAll(page, hasClass(class))); n != 0 {
					t.Errorf("%d .%s shown with three visitors a variant", n, class)
				}
			}
			for _, td := range cells("Conversion rate") {
				if n := len(findAll(td, hasClass("interval"))); n != 0 {
					t.Errorf("an interval in the rate cell: %q", textOf(td))
				}
			}
			if n := len(cells("Uplift")); n != 0 {
				t.Errorf("%d uplift cells shown with three visitors a variant", n)
			}
			var figures strings.Builder
			for _, td := range findAll(panel, func(n *xhtml.Node) bool { return n.Data == "td" }) {
				figures.WriteString(textOf(td) + " | ")
			}
			for _, s := range []string{"to beat the original", "%  to ", "adjusted"} {
				if strings.Contains(figures.String(), s) {
					t.Errorf("the table says %q: %s", s, figures.String())
				}
			}
			for _, s := range []string{"p-value", "Uplift", "The bar is the 95% interval"} {
				if strings.Contains(textOf(panel), s) {
					t.Errorf("the panel says %q", s)
				}
			}
			if seg := textOf(find1(t, page, "results-trends")); !strings.Contains(seg, "Too few visitors to compare segments") ||
				strings.Contains(seg, "No segment stands out") {
				t.Errorf("the segments card judges three visitors a variant: %s", seg)
			}
			for _, td := range findAll(find1(t, page, "rate-data"), func(n *xhtml.Node) bool { return n.Data == "td" }) {
				if strings.Contains(textOf(td), " to ") {
					t.Errorf("the daily table has an interval: %q", textOf(td))
				}
			}
		})
	}

	// Stopped: no more visitors come, so nothing is "yet".
	e.transition(x.ID, experiments.ActionStop)
	_, full = c.get("/experiments/" + x.ID + "/results")
	got := strings.Join(strings.Fields(textOf(findAll(parseHTML(t, full), func(n *xhtml.Node) bool {
		return n.Data == "td" && attrOf(n, "data-label") == "Chance to be best"
	})[0])), " ")
	if want := "Too few visitors " + more[1] + " more visitors were needed"; got != want {
		t.Errorf("stopped: chance cell %q, want %q", got, want)
	}
}

// TestResultsEnoughVisitorsShowNumbers: at 1,000 visitors a variant the
// same table shows every number, and no "Too few visitors".
func TestResultsEnoughVisitorsShowNumbers(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{1000, 100}, [2]int64{1000, 120})
	_, body := c.get("/experiments/" + x.ID + "/results")
	page := parseHTML(t, body)
	if n := len(findAll(page, hasClass("prob"))); n != 2 {
		t.Errorf("%d chances to be best, want 2", n)
	}
	wantContains(t, body, "92% to beat the original", "p-value", "+20.0%", "95% interval")
	if strings.Contains(body, "Too few visitors") {
		t.Error("too few visitors at 1,000 a variant")
	}
}

// TestResultsTooFewWithoutConversions: with visitors but no conversion
// there is no rate to estimate the need from; the line says the least the
// verdict asks for.
func TestResultsTooFewWithoutConversions(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site, x := e.runningExperiment()
	for i := range 4 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, []string{"control", "b"}[i%2], false)), http.StatusNoContent, "")
	}
	_, body := c.get("/experiments/" + x.ID + "/results")
	wantContains(t, body, "Too few visitors yet", "At least 10 clicks and 100 visitors per variant needed")
}

// find1 is the element with the given id.
func find1(t *testing.T, doc *xhtml.Node, id string) *xhtml.Node {
	t.Helper()
	n := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(n) != 1 {
		t.Fatalf("%d #%s", len(n), id)
	}
	return n[0]
}
