package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// The results from the outside: real events through POST /e, the results
// document's JSON, the rendered pages parsed as HTML, the CSV exports.

const testBotUA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

// send posts one body to POST /e with a user agent and wants a 204.
func (e *env) send(body []byte, ua string) {
	e.t.Helper()
	req := newRequest(http.MethodPost, "/e", bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", ua)
	resp := e.do(req)
	wantStatus(e.t, resp, http.StatusNoContent, readBody(e.t, resp))
}

// events builds a POST /e body; each event is {type, variant}.
func events(siteKey, visitor, expID string, evs ...[2]string) []byte {
	var list []map[string]any
	for _, ev := range evs {
		m := map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": ev[0], "experiment": expID, "url": "/pricing"}
		if ev[0] == "exposure" {
			m["variant"] = ev[1]
			m["ms"] = 35
		} else {
			m["goal"] = "click"
		}
		list = append(list, m)
	}
	b, _ := json.Marshal(map[string]any{"site": siteKey, "visitor": visitor, "events": list})
	return b
}

func exposure(variant string) [2]string { return [2]string{"exposure", variant} }

var conversion = [2]string{"conversion", ""}

// TestResultsCountingEndToEnd sends the counting rules' cases as real
// events and reads the numbers back from the results document.
func TestResultsCountingEndToEnd(t *testing.T) {
	e := newEnv(t)
	// Each reading of the clock is a millisecond after the last: a
	// conversion in its exposure's millisecond counts whichever came
	// first, and two requests in a row can share one on a fast machine,
	// so bob's conversion must be in an earlier millisecond to stay
	// uncounted.
	var ticks atomic.Int64
	start := time.Now()
	e.app.now = func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original", "New")
	e.transition(x.ID, "start")

	ann := events(site.Key, "ann", x.ID, exposure("control"), conversion)
	e.send(ann, browserUA)
	e.send(ann, browserUA)                                                      // a resend: the same ids, stored once
	e.send(events(site.Key, "bob", x.ID, conversion), browserUA)                // converts before any exposure: not counted…
	e.send(events(site.Key, "bob", x.ID, exposure("b")), browserUA)             // …then sees B
	e.send(events(site.Key, "cat", x.ID, exposure("control")), browserUA)       // sees the original…
	e.send(events(site.Key, "cat", x.ID, exposure("b"), conversion), browserUA) // …then B: out of both
	e.send(events(site.Key, "dan", x.ID, exposure("b"), conversion), testBotUA) // a bot
	e.send(events(site.Key, "eve", x.ID, exposure("b"), conversion), browserUA)
	e.send(events(site.Key, "eve", x.ID, conversion), browserUA) // converts again: once

	resp, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	// The contract's field names, exactly.
	wantKeys(t, "document", out, "id", "name", "status", "threshold", "variants", "srm", "excluded", "verdict", "plan", "daily",
		"segments", "segment_flags", "caution", "started_at", "days_running", "days_paused", "shipped_variant", "shipped_at", "generated_at")
	vs := out["variants"].([]any)
	if len(vs) != 2 {
		t.Fatalf("variants %v", vs)
	}
	for _, v := range vs {
		wantKeys(t, "variant", v.(map[string]any), "key", "text", "exposures", "conversions", "rate", "rate_interval", "prob_best",
			"prob_beat_control", "uplift", "uplift_interval", "p_value", "p_value_adjusted", "recordings", "health")
		wantKeys(t, "health", v.(map[string]any)["health"].(map[string]any), "applied", "missed", "median_ms", "recent_applied", "recent_missed", "warning")
	}
	wantKeys(t, "srm", out["srm"].(map[string]any), "p_value", "flagged")
	wantKeys(t, "excluded", out["excluded"].(map[string]any), "multiple_variants", "bots")
	wantKeys(t, "verdict", out["verdict"].(map[string]any), "status", "text", "early", "headline")
	wantKeys(t, "plan", out["plan"].(map[string]any), "mde", "baseline_rate", "sample_size_per_variant", "visitors_per_day", "days_remaining", "reached", "text")

	control, b := vs[0].(map[string]any), vs[1].(map[string]any)
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"control key", control["key"], "control"},
		{"control text", control["text"], "Original"},
		{"control exposures (ann; cat is out)", control["exposures"], 1.0},
		{"control conversions (ann, once)", control["conversions"], 1.0},
		{"b exposures (bob, eve)", b["exposures"], 2.0},
		{"b conversions (eve once; bob's came first)", b["conversions"], 1.0},
		{"b rate", b["rate"], 0.5},
		{"multiple variants (cat)", out["excluded"].(map[string]any)["multiple_variants"], 1.0},
		{"bots (dan)", out["excluded"].(map[string]any)["bots"], 1.0},
		{"control's prob_beat_control", control["prob_beat_control"], nil},
		{"control's uplift", control["uplift"], nil},
		{"control's uplift_interval", control["uplift_interval"], nil},
		{"control's p_value", control["p_value"], nil},
		{"verdict", out["verdict"].(map[string]any)["status"], "not_enough_data"},
		{"threshold", out["threshold"], 0.1},
		{"recordings", fmt.Sprint(control["recordings"]), "map[instructions:[] list_url:<nil> sessions:[] visitors:[] visitors_total:0 visitors_url:<nil>]"},
		{"health applied (ann twice? no: the resend is a duplicate; cat once)", control["health"].(map[string]any)["applied"], 2.0},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// The numbers are the statistics package's, for these counts.
	an := stats.Analyze([]stats.Arm{{Key: "control", Exposures: 1, Conversions: 1, WeightBP: 5000}, {Key: "b", Exposures: 2, Conversions: 1, WeightBP: 5000}}, stats.Options{})
	iv := b["rate_interval"].([]any)
	if math.Abs(iv[0].(float64)-an.Variants[1].RateInterval.Low) > 1e-12 || math.Abs(iv[1].(float64)-an.Variants[1].RateInterval.High) > 1e-12 {
		t.Errorf("b rate_interval %v, want %v", iv, an.Variants[1].RateInterval)
	}
	if pb := control["prob_best"].(float64) + b["prob_best"].(float64); math.Abs(pb-1) > 1e-6 {
		t.Errorf("prob_best sums to %v", pb)
	}
	if u := b["uplift"].(float64); math.Abs(u-(-0.5)) > 1e-12 {
		t.Errorf("b uplift %v", u)
	}
	if daily := out["daily"].([]any); len(daily) != 2 { // one day, two variants
		t.Errorf("daily %v", daily)
	}
}

func wantKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q", what, k)
		}
	}
	if len(m) != len(keys) {
		var extra []string
		for k := range m {
			if !containsString(keys, k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		t.Errorf("%s has fields beyond the contract: %v", what, extra)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setCounts writes a variant's counted visitors and conversions straight
// into the aggregates (as if the pipeline had counted them).
func (e *env) setCounts(x experiments.Experiment, counts ...[2]int64) {
	e.t.Helper()
	for i, c := range counts {
		if _, err := e.store.Writer().Exec(`insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed)
			values (?, ?, ?, ?, ?, 0) on conflict do update set exposures = excluded.exposures, conversions = excluded.conversions, applied = excluded.applied`,
			x.ID, x.Variants[i].Key, c[0], c[1], c[0]); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestResultsSpecNumbers checks the spec's reference numbers through the
// results document: 100/1000 against 120/1000.
func TestResultsSpecNumbers(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{1000, 100}, [2]int64{1000, 120})
	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	vs := out["variants"].([]any)
	c, b := vs[0].(map[string]any), vs[1].(map[string]any)
	civ := c["rate_interval"].([]any)
	for _, tc := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"prob_beat_control", b["prob_beat_control"].(float64), 0.92318, 1e-4},
		{"p_value", b["p_value"].(float64), 0.15292, 1e-5},
		{"p_value_adjusted (one variant: the same)", b["p_value_adjusted"].(float64), 0.15292, 1e-5},
		{"control rate_interval low", civ[0].(float64), 0.082936, 1e-5},
		{"control rate_interval high", civ[1].(float64), 0.120169, 1e-5},
		{"uplift", b["uplift"].(float64), 0.2, 1e-12},
	} {
		if math.Abs(tc.got-tc.want) > tc.tol {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	p := out["plan"].(map[string]any)
	if p["sample_size_per_variant"].(float64) != float64(stats.SampleSize(0.1, 0.1)) || p["baseline_rate"].(float64) != 0.1 {
		t.Errorf("plan %v", p)
	}
}

// TestResultsVerdictsOnPage reaches every verdict status on the rendered
// page, with its sentence and colour, the broken-split banner only when the
// split is broken, and the caution against calling a result early. These
// tests start now, so a decisive status is too early to act on: its
// sentence is the one stats words for an early test (see
// TestResultsEarlyVerdictNotCalled for the words themselves).
func TestResultsVerdictsOnPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	for _, tc := range []struct {
		status        string
		control, b    [2]int64
		banner, early bool
	}{
		{stats.StatusNotEnoughData, [2]int64{50, 2}, [2]int64{50, 3}, false, false},
		{stats.StatusSRM, [2]int64{10000, 500}, [2]int64{8000, 400}, true, false},
		{stats.StatusWinner, [2]int64{10000, 500}, [2]int64{10000, 650}, false, true},
		{stats.StatusControlWins, [2]int64{10000, 650}, [2]int64{10000, 500}, false, true},
		{stats.StatusNoMeaningfulDifference, [2]int64{1000000, 50000}, [2]int64{1000000, 50100}, false, true},
		{stats.StatusKeepRunning, [2]int64{1000, 50}, [2]int64{1000, 58}, false, false},
	} {
		t.Run(tc.status, func(t *testing.T) {
			x := e.experiment(site.ID, "Verdict "+tc.status)
			x = e.transition(x.ID, "start")
			e.setCounts(x, tc.control, tc.b)
			want := stats.Analyze([]stats.Arm{
				{Key: "control", Exposures: tc.control[0], Conversions: tc.control[1], WeightBP: 5000},
				{Key: "b", Label: "Variant B", Exposures: tc.b[0], Conversions: tc.b[1], WeightBP: 5000},
			}, stats.Options{GoalNoun: "clicks", Early: tc.early}).Verdict
			if want.Status != tc.status {
				t.Fatalf("the case gives %s, not %s", want.Status, tc.status)
			}
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			v := findAll(doc, hasClass("verdict-"+tc.status))
			if len(v) != 1 {
				t.Fatalf("no .verdict-%s", tc.status)
			}
			if got := textOf(v[0]); !strings.Contains(got, want.Text) {
				t.Errorf("verdict %q lacks %q", got, want.Text)
			}
			banner := strings.Contains(body, "The traffic split is broken")
			if banner != tc.banner {
				t.Errorf("SRM banner shown: %v, want %v", banner, tc.banner)
			}
			if early := strings.Contains(body, "Don’t call it yet"); early != tc.early {
				t.Errorf("early-call caution shown: %v, want %v", early, tc.early)
			}
		})
	}
}

// segmentedResults starts a test of two weeks whose new copy does better in
// the US and India and worse in the UK (a little worse overall), and
// returns it with its results page, as text and parsed.
func segmentedResults(t *testing.T, e *env, c *client) (experiments.Experiment, string, *xhtml.Node) {
	t.Helper()
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Buy today", "New")
	x = e.transition(x.ID, "start")
	bulkResults(t, e.store, site, x, bulkSpec{Events: 150_000, Start: time.Now().AddDate(0, 0, -14), Days: 14, Seed: 3,
		Rates: map[string]float64{"control": 0.08, "b": 0.08}, Effect: lovedInUSAndIndia})
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	return x, body, parseHTML(t, body)
}

// TestResultsPageChartsAndSegments renders a month of traffic in which the
// new copy does better in the US and India and worse in the UK, and reads
// the page as HTML.
func TestResultsPageChartsAndSegments(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x, body, doc := segmentedResults(t, e, c)

	svgs := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "svg" && attrOf(n, "class") == "chart-svg" })
	if len(svgs) != 2 {
		t.Fatalf("%d charts", len(svgs))
	}
	for _, s := range svgs {
		if attrOf(s, "role") != "img" {
			t.Errorf("chart without role=img")
		}
		titles := findAll(s, func(n *xhtml.Node) bool { return n.Data == "title" && n.Parent == s })
		if len(titles) != 1 || textOf(titles[0]) == "" {
			t.Errorf("chart without a <title>")
		}
		if ids := strings.Fields(attrOf(s, "aria-labelledby")); len(ids) != 2 {
			t.Errorf("chart aria-labelledby %q", attrOf(s, "aria-labelledby"))
		}
		// Its data table is beside it, in a <details>.
		fig := s.Parent.Parent
		tables := findAll(fig, func(n *xhtml.Node) bool { return n.Data == "table" && n.Parent.Parent.Data == "details" })
		if len(tables) != 1 {
			t.Errorf("chart without its data table in a <details>")
		} else if rows := findAll(tables[0], func(n *xhtml.Node) bool { return n.Data == "tr" }); len(rows) < 14 {
			t.Errorf("data table with %d rows", len(rows))
		}
	}
	paths := findAll(doc, hasClass("chart-line"))
	if len(paths) != 2 || !strings.HasPrefix(attrOf(paths[0], "d"), "M") {
		t.Errorf("lines %d", len(paths))
	}

	// Segments: the five dimensions, the flagged countries and the summary.
	for _, dim := range experiments.SegmentDimensions {
		if len(findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "seg-"+dim })) != 1 {
			t.Errorf("no segment table for %s", dim)
		}
	}
	better := findAll(doc, hasClass("cell-better"))
	worse := findAll(doc, hasClass("cell-worse"))
	if len(better) == 0 || len(worse) == 0 {
		t.Fatalf("flagged cells: %d better, %d worse", len(better), len(worse))
	}
	rowLabel := func(cell *xhtml.Node) string {
		return textOf(findAll(cell.Parent, func(n *xhtml.Node) bool { return n.Data == "th" })[0])
	}
	var betterIn, worseIn []string
	for _, c := range better {
		betterIn = append(betterIn, rowLabel(c))
		// A screen reader hears the flag as a phrase, its words apart.
		if f := findAll(c, hasClass("flag-better")); len(f) != 1 || !strings.HasSuffix(textOf(f[0]), "clearly higher lift here than overall") {
			t.Errorf("a better cell's flag reads %q", textOf(c))
		}
	}
	for _, c := range worse {
		worseIn = append(worseIn, rowLabel(c))
	}
	if !containsString(betterIn, "United States") || !containsString(betterIn, "India") || !containsString(worseIn, "United Kingdom") {
		t.Errorf("better in %v, worse in %v", betterIn, worseIn)
	}
	findings := findAll(doc, hasClass("finding"))
	if len(findings) != 1 {
		t.Fatalf("%d findings", len(findings))
	}
	if f := textOf(findings[0]); !strings.Contains(f, "Variant B's lift on clicks is clearly higher for visitors in the United States and India") ||
		!strings.Contains(f, "clearly lower for visitors in the United Kingdom") {
		t.Errorf("finding %q", f)
	}

	// The statistics table explains its columns on hover and focus.
	for _, id := range []string{"hint-rate", "hint-uplift", "hint-best", "hint-p"} {
		tips := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id && attrOf(n, "role") == "tooltip" })
		btns := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "button" && attrOf(n, "aria-describedby") == id })
		if len(tips) != 1 || len(btns) != 1 {
			t.Errorf("hint %s: %d tooltips, %d buttons", id, len(tips), len(btns))
		}
	}
	wantContains(t, body, "How to read this", "Results as CSV", `hx-get="/experiments/`+x.ID+`/results/trends"`)
	if n := len(findAll(doc, func(n *xhtml.Node) bool {
		return n.Data == "svg" && attrOf(n, "class") == "ci" && attrOf(n, "role") == "img"
	})); n != 3 {
		t.Errorf("%d interval bars, want 3 (two rates, one uplift)", n)
	}

	// The trends fragment alone.
	resp, body := c.get("/experiments/" + x.ID + "/results/trends")
	wantStatus(t, resp, http.StatusOK, body)
	if !strings.HasPrefix(body, `<div id="results-trends"`) {
		t.Errorf("trends fragment starts %.60q", body)
	}
}

// lovedInUSAndIndia: the new copy converts 40% better in the US and India
// and 40% worse in the UK; it evens out overall.
func lovedInUSAndIndia(country, variant string) float64 {
	if variant == "control" {
		return 1
	}
	switch country {
	case "US", "IN":
		return 1.4
	case "GB":
		return 0.55
	}
	return 0.92
}

// TestResultsCSV checks both exports: a header row, RFC 4180 quoting that
// reads back, formula injection neutralised, and the session or share
// token required.
func TestResultsCSV(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	evil := []string{`Original, "quoted"`, `=HYPERLINK("http://evil.example","click")`, "+SUM(A1)", "-2+3", "@cmd", "Line one\nline two"}
	var vs []experiments.Variant
	for _, t := range evil {
		vs = append(vs, experiments.Variant{Text: t})
	}
	x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{SiteID: site.ID, Name: "Évil: headline", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000, Variants: vs})
	if err != nil {
		t.Fatal(err)
	}
	x = e.transition(x.ID, "start")
	var counts [][2]int64
	for i := range vs {
		counts = append(counts, [2]int64{1000, int64(100 - 10*i)})
	}
	e.setCounts(x, counts...)
	e.send(events(site.Key, "v1", x.ID, exposure("control"), conversion), browserUA) // one day in the daily series

	resp, body := c.get("/experiments/" + x.ID + "/results.csv")
	wantStatus(t, resp, http.StatusOK, body)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="copylab-vil-headline-results.csv"; filename*=UTF-8''copylab-%C3%A9vil-headline-results.csv` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180: %v\n%s", err, body)
	}
	if len(rows) != 1+len(vs) || rows[0][0] != "key" || rows[0][2] != "text" || rows[0][10] != "uplift" {
		t.Fatalf("rows %v", rows)
	}
	wantTexts := []string{`Original, "quoted"`, `'=HYPERLINK("http://evil.example","click")`, "'+SUM(A1)", "'-2+3", "'@cmd", "Line one\nline two"}
	for i, w := range wantTexts {
		if got := rows[i+1][2]; got != w {
			t.Errorf("text cell %d = %q, want %q", i, got, w)
		}
	}
	if u, err := strconv.ParseFloat(rows[2][10], 64); err != nil || u > -0.09 || u < -0.11 {
		t.Errorf("a negative uplift stays a number: %q", rows[2][10])
	}
	if rows[1][9] != "" || rows[1][10] != "" {
		t.Errorf("the control's absent numbers: %q %q", rows[1][9], rows[1][10])
	}

	resp, body = c.get("/experiments/" + x.ID + "/daily.csv")
	wantStatus(t, resp, http.StatusOK, body)
	rows, err = csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 1+len(vs) || rows[0][0] != "day_utc" || rows[1][1] != "control" || rows[1][2] != "1" {
		t.Errorf("daily %v (%v)", rows, err)
	}

	anon := e.client()
	resp, _ = anon.get("/experiments/" + x.ID + "/results.csv")
	if resp.StatusCode == http.StatusOK {
		t.Error("results.csv without a session")
	}
	resp, body = anon.get("/r/" + x.ShareToken + "/results.csv")
	wantStatus(t, resp, http.StatusOK, body)
	if _, err := csv.NewReader(strings.NewReader(body)).ReadAll(); err != nil {
		t.Error(err)
	}
	resp, _ = anon.get("/r/wrong-token/results.csv")
	wantStatus(t, resp, http.StatusNotFound, "")
}

// TestCSVText covers the cells the store never lets into copy (tabs and
// carriage returns come from other fields one day), and whitespace before
// a formula, which a spreadsheet may trim.
func TestCSVText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"plain", "plain"}, {"=1+2", "'=1+2"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"}, {"\r=1", "'\r=1"}, {"a=b", "a=b"}, {" =1", "' =1"},
		{"\tplain", "'\tplain"}, {" plain", " plain"}, {"\n-1", "'\n-1"}, {"\u00a0+1", "'\u00a0+1"},
		{"\u3000@A1", "'\u3000@A1"}, {"\u200b=1", "'\u200b=1"}, {"\ufeff =1", "'\ufeff =1"}, {"   ", "   "},
	} {
		if got := csvText(tc.in); got != tc.want {
			t.Errorf("csvText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSharePageSameNumbers compares the share page with the signed-in
// results page: the same verdict and table, no actions.
func TestSharePageSameNumbers(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original", "New")
	x = e.transition(x.ID, "start")
	bulkResults(t, e.store, site, x, bulkSpec{Events: 30_000, Start: time.Now().AddDate(0, 0, -10), Days: 10, Seed: 5,
		Rates: map[string]float64{"control": 0.05, "b": 0.07}})

	_, page := c.get("/experiments/" + x.ID + "/results")
	resp, share := e.client().get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusOK, share)
	region := func(body, id string) string {
		t.Helper()
		n := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
		if len(n) != 1 {
			t.Fatalf("no #%s", id)
		}
		// The update time and the polled URL differ; the rest must not.
		s := textOf(n[0])
		if i := strings.Index(s, "Updated"); i >= 0 {
			s = s[:i]
		}
		return strings.Join(strings.Fields(s), " ")
	}
	if a, b := region(page, "results"), region(share, "results"); a != b {
		t.Errorf("the share page shows other numbers:\n%s\n%s", a, b)
	}
	if a, b := region(page, "results-trends"), region(share, "results-trends"); a != b {
		t.Errorf("the share page shows other trends")
	}
	wantContains(t, share, "Variant B", "Over time", "Segments", "/r/"+x.ShareToken+"/results.csv", `hx-get="/r/`+x.ShareToken+`/trends"`)
	wantNotContains(t, share, "<form", "_csrf", "/edit", "/stop", "/pause", "Sign out", "/experiments/")
	resp, body := e.client().get("/r/" + x.ShareToken + "/trends")
	wantStatus(t, resp, http.StatusOK, body)
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("trends fragment sends a referrer")
	}
}

// TestThresholdFormAndAPI sets the practical threshold on the form and in
// the API, and gets a planning estimate.
func TestThresholdFormAndAPI(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")

	_, body := c.get("/experiments/new")
	wantContains(t, body, `name="threshold"`, `value="10"`, `name="plan_base"`, `hx-get="/experiments/plan"`, "visitors per variant")

	form := url.Values{"site_id": {site.ID}, "name": {"Pricing"}, "page": {"/pricing"}, "selector": {"h1"}, "goal_type": {"click"},
		"goal_selector": {"#buy"}, "coverage": {"100"}, "threshold": {"5"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}}
	resp, body := c.post("/experiments", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
	x, err := e.store.Experiment(context.Background(), id)
	if err != nil || x.Threshold != 0.05 {
		t.Fatalf("threshold %v (%v)", x.Threshold, err)
	}
	_, body = c.get("/experiments/" + id + "/edit")
	wantContains(t, body, `id="f-threshold" name="threshold" class="input" inputmode="decimal" value="5"`)

	form.Set("threshold", "abc")
	resp, body = c.post("/experiments", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "Enter a percentage such as 10.")
	form.Set("threshold", "0.1")
	resp, body = c.post("/experiments", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "between 0.5% and 100%")

	resp, out := e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"threshold": 0.2}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["threshold"] != 0.2 {
		t.Errorf("threshold %v", out["threshold"])
	}
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"threshold": 0}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if _, field := errorShape(t, out); field != "threshold" {
		t.Errorf("error field %q", field)
	}
	resp, out = e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"T","page":"/","selector":"h1",
		"goal":{"type":"click","selector":"#b"},"threshold":0.15,"variants":[{"text":"a"},{"text":"b"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["threshold"] != 0.15 {
		t.Errorf("created threshold %v", out["threshold"])
	}
	e.transition(id, "start")
	_, out = e.api("GET", "/api/v1/experiments/"+id+"/results", tok, "")
	if out["threshold"] != 0.2 || out["plan"].(map[string]any)["mde"] != 0.2 {
		t.Errorf("the results use threshold %v, plan %v", out["threshold"], out["plan"])
	}

	for _, tc := range []struct{ query, want string }{
		{"threshold=10&plan_base=5&plan_variants=2", "32,000 visitors per variant"},
		{"threshold=10&plan_base=5&plan_daily=1000&plan_variants=2", "about 9 weeks"},
		{"threshold=10&plan_base=5&plan_variants=3", "114,000 in all, the original and 2 variants"}, // 38,000 each: 2.5% significance for each of 2 comparisons
		// The rate as the field holds it (the edit form fills it with three
		// significant digits), not rounded to one decimal.
		{"threshold=10&plan_base=7.13&plan_variants=2", "To detect a 10% change from a 7.13% conversion rate"},
		{"threshold=2.5&plan_base=0.0333&plan_variants=2", "To detect a 2.5% change from a 0.0333% conversion rate"},
		{"threshold=x&plan_base=5", "Enter the smallest change"},
		{"threshold=10&plan_base=0", "Enter today’s conversion rate"},
	} {
		resp, body := c.get("/experiments/plan?" + tc.query)
		wantStatus(t, resp, http.StatusOK, body)
		if !strings.HasPrefix(body, `<div id="plan-estimate"`) || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: %s", tc.query, body)
		}
	}
}

// parseHTML parses a page as a browser would.
func parseHTML(t *testing.T, body string) *xhtml.Node {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func findAll(n *xhtml.Node, match func(*xhtml.Node) bool) []*xhtml.Node {
	var out []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(class string) func(*xhtml.Node) bool {
	return func(n *xhtml.Node) bool { return containsString(strings.Fields(attrOf(n, "class")), class) }
}

func textOf(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}
