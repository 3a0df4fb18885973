package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// planLineOf reads the plan line of a rendered results page.
func planLineOf(t *testing.T, body string) string {
	t.Helper()
	lines := findAll(parseHTML(t, body), hasClass("plan-line"))
	if len(lines) != 1 {
		t.Fatalf("%d plan lines", len(lines))
	}
	return strings.TrimSpace(textOf(lines[0]))
}

// TestPlanLineOneSentence: the plan line of a running test short of its
// planned sample says the time left, the goal and the visitors needed in
// one sentence, the goal once ("to detect a 10% lift (about 32,000
// visitors per variant to detect a 10% change …)" said it twice). When a
// variant short of the plan gets no traffic (weight 0), there is no time
// left to give, and the line says why instead of "No traffic yet". Then
// the line says what the plan assumes. The page and the API's plan.text
// agree.
func TestPlanLineOneSentence(t *testing.T) {
	for _, tc := range []struct {
		name    string
		weights []int // nil: the default, equal
		want    string
	}{
		{"equal split", nil,
			"At current traffic, about 5 weeks to detect a 10% lift from the original’s 5.00% rate: each variant needs about 32,000 visitors, and the smallest has 1,000 so far. The plan assumes 5% significance and 80% power."},
		{"a variant without traffic", []int{10000, 0},
			"No estimate of the time left: a variant short of the planned sample gets no new visitors at its 0% weight. The test needs about 32,000 visitors per variant to detect a 10% change from the original’s 5.00% rate, and the smallest has 1,000 so far. The plan assumes 5% significance and 80% power."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			for i, w := range tc.weights {
				if _, err := e.store.Writer().Exec(`update variants set weight_bp = ? where experiment_id = ? and key = ?`, w, x.ID, x.Variants[i].Key); err != nil {
					t.Fatal(err)
				}
			}
			// 2,000 visitors in the first day: about 30 days to the
			// 31,000 or so per variant that a 10% change from 5% needs.
			e.setCounts(x, [2]int64{1000, 50}, [2]int64{1000, 60})
			backdate(e, x, 1)

			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			if got := planLineOf(t, body); got != tc.want {
				t.Errorf("plan line\n %q\nwant\n %q", got, tc.want)
			}
			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if got := out["plan"].(map[string]any)["text"]; got != tc.want {
				t.Errorf("API plan.text %q, want the page's", got)
			}
		})
	}
}

// TestSegmentFindingsZeroOverall: a variant that does clearly better in
// one segment and clearly worse in another, and exactly as well as the
// original overall, reads "level with the original" in the finding and
// "against no change overall" in each flag's sentence (page and API),
// never "±0.0%" in a sentence; the table cell keeps its "±0.0%", where it
// lines up with the signed uplifts.
func TestSegmentFindingsZeroOverall(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{10000, 1000}, [2]int64{10000, 1000})
	setSegments(t, e, x, experiments.DimDevice, []segmentCounts{
		{"mobile", "control", 5000, 500}, {"mobile", "b", 5000, 800},
		{"desktop", "control", 5000, 500}, {"desktop", "b", 5000, 200},
	})
	body, _, findings, details := segmentFindings(t, c, x)
	want := "Variant B's lift on clicks is clearly higher for mobile visitors, and clearly lower for desktop visitors, than overall; overall it is level with the original, so the segments even out."
	if len(findings) != 1 || findings[0] != want {
		t.Errorf("findings %q, want %q", findings, want)
	}
	if len(details) != 2 {
		t.Fatalf("%d flag sentences, want 2: %q", len(details), details)
	}
	for _, d := range details {
		if !strings.HasSuffix(d, " against no change overall.") {
			t.Errorf("flag sentence %q does not end against no change overall", d)
		}
	}
	for _, s := range append(findings, details...) {
		if strings.Contains(s, "±0.0%") {
			t.Errorf("a sentence says ±0.0%%: %q", s)
		}
	}
	if !strings.Contains(body, `<span class="uplift`) || !strings.Contains(body, ">±0.0%</span>") {
		t.Error("the table no longer shows the zero uplift as ±0.0%")
	}

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	flags := out["segment_flags"].([]any)
	if len(flags) != 2 {
		t.Fatalf("%d segment flags in the API, want 2", len(flags))
	}
	for _, f := range flags {
		if text := f.(map[string]any)["text"].(string); !strings.HasSuffix(text, " against no change overall.") {
			t.Errorf("API flag text %q", text)
		}
	}
}

// segmentCounts is one variant's visitors and conversions in one value of
// a segment dimension.
type segmentCounts struct {
	value, variant         string
	exposures, conversions int64
}

// setSegments stores rows as x's segment counts of dimension dim, as the
// writer would have counted them.
func setSegments(t *testing.T, e *env, x experiments.Experiment, dim string, rows []segmentCounts) {
	t.Helper()
	for _, s := range rows {
		if _, err := e.store.Writer().Exec(`insert into variant_segments (experiment_id, dimension, value, variant, exposures, conversions)
			values (?, ?, ?, ?, ?, ?)`, x.ID, dim, s.value, s.variant, s.exposures, s.conversions); err != nil {
			t.Fatal(err)
		}
	}
}

// segmentFindings opens x's results page and returns it, parsed, with the
// segment findings above the table and the flag sentences under them, each
// as its words.
func segmentFindings(t *testing.T, c *client, x experiments.Experiment) (body string, doc *xhtml.Node, findings, details []string) {
	t.Helper()
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc = parseHTML(t, body)
	for _, n := range findAll(doc, hasClass("finding")) {
		findings = append(findings, words(n))
	}
	for _, n := range findAll(doc, hasClass("finding-details")) {
		for _, li := range findAll(n, func(n *xhtml.Node) bool { return n.Data == "li" }) {
			details = append(details, words(li))
		}
	}
	return body, doc, findings, details
}
