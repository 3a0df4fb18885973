package app

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// backdate makes x look started days ago, its history too, so that the
// page agrees with itself about how long it ran.
func backdate(e *env, x experiments.Experiment, days int) {
	e.t.Helper()
	at := time.Now().Add(-time.Duration(days) * 24 * time.Hour).UnixMilli()
	if _, err := e.store.Writer().Exec(`update experiments set started_at = ? where id = ?`, at, x.ID); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.Writer().Exec(`update experiment_history set at = ? where experiment_id = ?`, at, x.ID); err != nil {
		e.t.Fatal(err)
	}
}

// verdictOn reads the verdict block of a rendered page: its title, its
// sentence, whether it is marked early, and the caution banner's title
// ("" without one).
func verdictOn(t *testing.T, body string) (title, text string, early bool, caution string) {
	t.Helper()
	doc := parseHTML(t, body)
	v := findAll(doc, hasClass("verdict"))
	if len(v) != 1 {
		t.Fatalf("%d verdict blocks", len(v))
	}
	title = strings.TrimSpace(textOf(findAll(v[0], hasClass("verdict-title"))[0]))
	// The title starts with its glyph, which only helps the eye.
	title = strings.TrimSpace(strings.TrimPrefix(title, textOf(findAll(v[0], hasClass("verdict-icon"))[0])))
	text = strings.TrimSpace(textOf(findAll(v[0], hasClass("verdict-text"))[0]))
	early = hasClass("verdict-early")(v[0])
	for _, b := range findAll(doc, hasClass("banner-warn")) {
		if t := findAll(b, hasClass("banner-title")); len(t) > 0 && strings.Contains(textOf(b), "Results this early") {
			caution = strings.TrimSpace(textOf(t[0]))
		}
	}
	return title, text, early, caution
}

// TestResultsEarlyVerdictNotCalled: a decisive status on a test too young
// to act on (less than a full week, or short of its planned sample) is
// headed and worded as a lead that is not called yet, never "We have a
// winner … Ship it." above a "Don't call it yet" banner; once stopped, as
// too early to call. The experiment page, the full results, the share page
// and the API's text say the same; the API's status stays the machine code.
// A test old enough and past its planned sample still gets the answer.
func TestResultsEarlyVerdictNotCalled(t *testing.T) {
	// Past the planned sample (about 31,000 visitors per variant at 5%).
	big := map[string][][2]int64{
		stats.StatusWinner:                 {{100000, 5000}, {100000, 6500}},
		stats.StatusControlWins:            {{100000, 6500}, {100000, 5000}},
		stats.StatusNoMeaningfulDifference: {{1000000, 50000}, {1000000, 50100}},
	}
	// Short of it.
	small := [][2]int64{{10000, 500}, {10000, 650}}
	// The team's instruction in a case's sentence, which the share page
	// words for whoever holds the link, who cannot act on it: what the
	// team can do (TestShareSaysWhatTheTeamCanDo).
	instruction := map[string]string{
		"broken split, running": "can't be trusted yet: check how the tag is installed before reading anything into them.",
		"broken split, stopped": "can't be trusted: check how the tag is installed before running the test again.",
	}
	for _, tc := range []struct {
		name    string
		status  string
		counts  [][2]int64
		days    int
		end     func(e *env, x experiments.Experiment)
		title   string
		has     []string // in the sentence
		lacks   []string
		early   bool
		caution string // the banner's title
	}{
		{"winner, two days in", stats.StatusWinner, big[stats.StatusWinner], 2, nil,
			"Early lead: not called yet", []string{"Variant B lifts clicks by +30.0% so far (95% interval", "but it is too early to call."},
			[]string{"Ship it"}, true, "Don’t call it yet"},
		{"winner, two weeks in but short of the plan", stats.StatusWinner, small, 14, nil,
			"Early lead: not called yet", []string{"so far", "too early to call"}, []string{"Ship it"}, true, "Don’t call it yet"},
		{"winner, paused two days in", stats.StatusWinner, big[stats.StatusWinner], 2, pauseTest,
			"Early lead: not called yet", []string{"too early to call"}, []string{"Ship it"}, true, "Don’t call it yet"},
		{"winner, stopped two days in", stats.StatusWinner, big[stats.StatusWinner], 2, stopTest,
			"Too early to call", []string{"Variant B lifted clicks by +30.0% (95% interval", "but the test stopped too early to be sure."},
			[]string{"Ship it", "yet", "so far"}, true, "Stopped too soon"},
		{"winner, shipped two days in", stats.StatusWinner, big[stats.StatusWinner], 2, shipTest,
			"Too early to call", []string{"the test stopped too early to be sure"}, []string{"Ship it", "yet"}, true, "Stopped too soon"},
		{"winner, two weeks in and past the plan", stats.StatusWinner, big[stats.StatusWinner], 14, nil,
			"We have a winner", []string{"Variant B lifts clicks by +30.0% (95% interval", "Ship it."}, []string{"so far", "too early"}, false, ""},
		{"the original ahead, two days in", stats.StatusControlWins, big[stats.StatusControlWins], 2, nil,
			"Original ahead: not called yet", []string{"The original is ahead: none of the new copy beats it on clicks so far", "too early to call"},
			[]string{"Keep the original"}, true, "Don’t call it yet"},
		{"the original ahead, stopped two days in", stats.StatusControlWins, big[stats.StatusControlWins], 2, stopTest,
			"Too early to call", []string{"The original was ahead", "the test stopped too early to be sure"}, []string{"Keep the original", "yet"}, true, "Stopped too soon"},
		{"the original wins, two weeks in", stats.StatusControlWins, big[stats.StatusControlWins], 14, nil,
			"Keep the original", []string{"Keep the original: none of the new copy beats it on clicks"}, []string{"too early"}, false, ""},
		{"no difference, two days in", stats.StatusNoMeaningfulDifference, big[stats.StatusNoMeaningfulDifference], 2, nil,
			"No difference so far: not called yet", []string{"Every variant is within ±10% of the original on clicks so far, but it is too early to rule the copy out."},
			[]string{"Copy isn't the issue"}, true, "Don’t call it yet"},
		{"no difference, stopped two days in", stats.StatusNoMeaningfulDifference, big[stats.StatusNoMeaningfulDifference], 2, stopTest,
			"Too early to call", []string{"Every variant was within ±10%", "the test stopped too early to rule the copy out"}, []string{"Copy isn't the issue", "yet"}, true, "Stopped too soon"},
		{"no difference, two weeks in", stats.StatusNoMeaningfulDifference, big[stats.StatusNoMeaningfulDifference], 14, nil,
			"No meaningful difference", []string{"Copy isn't the issue here"}, []string{"too early"}, false, ""},
		// A broken split is no answer to act on: no early wording, but no
		// "yet" once the test has stopped either.
		{"broken split, running", stats.StatusSRM, [][2]int64{{10000, 500}, {8000, 400}}, 2, nil,
			"Results can’t be trusted yet", []string{"The traffic split is broken", "can't be trusted yet"}, nil, false, ""},
		{"broken split, stopped", stats.StatusSRM, [][2]int64{{10000, 500}, {8000, 400}}, 9, stopTest,
			"Results can’t be trusted", []string{"The traffic split was broken", "can't be trusted"},
			[]string{"yet"}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tc.counts...)
			backdate(e, x, tc.days)
			if tc.end != nil {
				tc.end(e, x)
			}

			var first string
			for _, path := range []string{"/experiments/" + x.ID + "/results", "/experiments/" + x.ID, "/r/" + x.ShareToken} {
				resp, body := c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				title, text, early, caution := verdictOn(t, body)
				if title != tc.title {
					t.Errorf("%s: title %q, want %q", path, title, tc.title)
				}
				for _, s := range tc.has {
					if !strings.Contains(text, s) {
						t.Errorf("%s: sentence %q lacks %q", path, text, s)
					}
				}
				for _, s := range tc.lacks {
					if strings.Contains(text, s) {
						t.Errorf("%s: sentence %q says %q", path, text, s)
					}
				}
				if early != tc.early {
					t.Errorf("%s: marked early %v, want %v", path, early, tc.early)
				}
				if caution != tc.caution {
					t.Errorf("%s: caution titled %q, want %q", path, caution, tc.caution)
				}
				switch do, share := instruction[tc.name], strings.HasPrefix(path, "/r/"); {
				case share && do != "":
					if strings.Contains(text, do) {
						t.Errorf("%s tells whoever holds the link to act: %q", path, text)
					}
				case do != "" && !strings.Contains(text, do):
					t.Errorf("%s: sentence %q lacks %q", path, text, do)
				case first == "":
					first = text
				case text != first:
					t.Errorf("%s says %q, the results page %q", path, text, first)
				}
			}

			// What a list asks agrees with the page.
			x, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			totals, err := e.store.VariantTotals(context.Background(), []experiments.Experiment{x})
			if err != nil {
				t.Fatal(err)
			}
			counts := experiments.Counts{Variants: totals[x.ID]}
			_, an := analyzeCounts(x, counts)
			if early, err := e.app.answerTooEarly(context.Background(), x, counts, an.Verdict.Status); err != nil || early != tc.early {
				t.Errorf("answerTooEarly %v (%v), want %v", early, err, tc.early)
			}

			_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			av, _ := out["verdict"].(map[string]any)
			if av["status"] != tc.status {
				t.Errorf("API status %v, want %s", av["status"], tc.status)
			}
			if av["text"] != first {
				t.Errorf("API text %q, the pages %q", av["text"], first)
			}
			if caution, _ := out["caution"].(string); (caution != "") != tc.early {
				t.Errorf("API caution %q, want one: %v", caution, tc.early)
			}
		})
	}
}

func pauseTest(e *env, x experiments.Experiment) {
	e.t.Helper()
	e.transition(x.ID, experiments.ActionPause)
}

// Each kind of number has one format on the results page (stats.FormatRate
// and the rules beside it).
var (
	rateRe       = `(<0\.01|\d\.\d\d|\d\d\.\d|100)%`
	upliftRe     = `([+−]\d+\.\d|±0\.0)%`
	rateFormat   = regexp.MustCompile(`^` + rateRe + `$`)
	rateRange    = regexp.MustCompile(`^` + rateRe + ` to ` + rateRe + `$`)
	upliftFormat = regexp.MustCompile(`^` + upliftRe + `$`)
	upliftRange  = regexp.MustCompile(`^` + upliftRe + ` to ` + upliftRe + `$`)
	// A signed number in a sentence, but not the threshold's "±10%".
	signedInWords = regexp.MustCompile(`[+−]\d[\d.]*%|±0[\d.]*%`)
)

// TestResultsNumbersReadAlike: one panel writes each kind of number one
// way. The verdict's uplift and interval are the table's, the plan line's
// rate is the original's rate cell, every rate (table, daily data table,
// segments) is a rate and every uplift (table, segments, findings, segment
// notes) an uplift, and every range is "A to B".
func TestResultsNumbersReadAlike(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")

	// A winner old enough to call: its sentence quotes the table.
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{100000, 5000}, [2]int64{100000, 6650})
	backdate(e, x, 14)
	_, body := c.get("/experiments/" + x.ID + "/results")
	doc := parseHTML(t, body)
	_, verdict, _, _ := verdictOn(t, body)
	cell := func(label string, row int, class string) string {
		t.Helper()
		tds := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == label })
		if row >= len(tds) {
			t.Fatalf("no %s cell in row %d", label, row)
		}
		spans := findAll(tds[row], hasClass(class))
		if len(spans) == 0 {
			t.Fatalf("no .%s in the %s cell of row %d", class, label, row)
		}
		return strings.TrimSpace(textOf(spans[0]))
	}
	uplift, interval := cell("Uplift", 1, "uplift"), cell("Uplift", 1, "interval")
	if want := "Variant B lifts clicks by " + uplift + " (95% interval " + interval + ")"; !strings.Contains(verdict, want) {
		t.Errorf("verdict %q does not quote the table: want %q", verdict, want)
	}
	plan := findAll(doc, hasClass("plan-line"))
	if rate := cell("Conversion rate", 0, "rate"); len(plan) != 1 || !strings.Contains(textOf(plan[0]), "from the original’s "+rate+" rate") {
		t.Errorf("plan line does not quote the original's rate %s: %v", rate, plan)
	}
	for row := range 2 {
		if s := cell("Conversion rate", row, "rate"); !rateFormat.MatchString(s) {
			t.Errorf("rate %q", s)
		}
		if s := cell("Conversion rate", row, "interval"); !rateRange.MatchString(s) {
			t.Errorf("rate interval %q", s)
		}
	}
	if !upliftFormat.MatchString(uplift) || !upliftRange.MatchString(interval) {
		t.Errorf("uplift %q, interval %q", uplift, interval)
	}

	// Two weeks of traffic with segments and findings.
	_, body, doc = segmentedResults(t, e, c)
	if strings.Contains(body, " – ") {
		t.Error("a range written with a dash")
	}
	for _, n := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "rate-data" }) {
		for _, td := range findAll(n, func(n *xhtml.Node) bool { return n.Data == "td" }) {
			if td.FirstChild == nil || td.FirstChild.Type != xhtml.TextNode || len(findAll(td, hasClass("interval"))) == 0 {
				continue
			}
			if s := strings.TrimSpace(td.FirstChild.Data); !rateFormat.MatchString(s) {
				t.Errorf("daily rate %q", s)
			}
			iv, _, _ := strings.Cut(textOf(findAll(td, hasClass("interval"))[0]), " · ")
			if !rateRange.MatchString(strings.TrimSpace(iv)) {
				t.Errorf("daily interval %q", iv)
			}
		}
	}
	segments := 0
	for _, table := range findAll(doc, hasClass("table-segments")) {
		for _, td := range findAll(table, func(n *xhtml.Node) bool { return n.Data == "td" && hasClass("num")(n) }) {
			ivs := findAll(td, hasClass("interval"))
			if len(ivs) == 0 {
				continue
			}
			segments++
			if s := strings.TrimSpace(td.FirstChild.Data); !rateFormat.MatchString(s) {
				t.Errorf("segment rate %q", s)
			}
			if s := strings.TrimSpace(textOf(ivs[0])); !upliftFormat.MatchString(s) {
				t.Errorf("segment uplift %q", s)
			}
		}
	}
	if segments == 0 {
		t.Fatal("no segment uplift: the fixture no longer tests them")
	}
	var words []string
	for _, class := range []string{"finding", "finding-details", "verdict-text"} {
		for _, n := range findAll(doc, hasClass(class)) {
			words = append(words, textOf(n))
		}
	}
	if len(words) < 2 {
		t.Fatal("no findings: the fixture no longer tests their sentences")
	}
	for _, w := range words {
		for _, s := range signedInWords.FindAllString(w, -1) {
			if !upliftFormat.MatchString(s) {
				t.Errorf("uplift %q in %q", s, w)
			}
		}
	}
}

// TestHealthLineWords: the tag's health under each variant says in plain
// words where and how soon the copy was shown, in whole milliseconds.
func TestHealthLineWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{996, 10}, [2]int64{1000, 12})
	// 4 page views of the original missed the element; its swaps took
	// 20 ms, Variant B's 224.5 ms (the middle of the 220–229 ms bucket).
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`update variant_counts set missed = 4 where experiment_id = ? and variant = 'control'`, []any{x.ID}},
		{`insert into variant_swap_ms (experiment_id, variant, bucket, n) values (?, 'control', 20, 3)`, []any{x.ID}},
		{`insert into variant_swap_ms (experiment_id, variant, bucket, n) values (?, 'b', 112, 2)`, []any{x.ID}},
	} {
		if _, err := e.store.Writer().Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	_, body := c.get("/experiments/" + x.ID + "/results")
	var lines []string
	for _, n := range findAll(parseHTML(t, body), hasClass("result-health")) {
		lines = append(lines, strings.TrimSpace(textOf(n)))
	}
	want := []string{
		"Shown on 99.6% of page views, typically 20\u00a0ms after the page starts loading",
		"Shown on 100% of page views, typically 225\u00a0ms after the page starts loading",
	}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("health lines\n%q\nwant\n%q", lines, want)
	}
}
