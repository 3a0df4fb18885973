package app

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// The results surfaces agree with each other: the page, its fragments, the
// results document, the CSV exports and the recordings name the original
// alike, write numbers alike, say what was shipped, measure the running
// time alike and draw every day.

// resultsCSVRows fetches an experiment's results CSV through c.
func resultsCSVRows(t *testing.T, c *client, id, kind string) [][]string {
	t.Helper()
	resp, body := c.get("/experiments/" + id + "/" + kind + ".csv")
	wantStatus(t, resp, http.StatusOK, body)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv: %v", kind, err)
	}
	return rows
}

// csvColumn returns the index of a column by its header name.
func csvColumn(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

// TestResultsOneNameForTheOriginal: the control is "Original" in the
// table, the recordings card, the chart legend and data tables, the
// recordings filter and list, and the CSV; "the original" in the verdict;
// and "control" only as the machine key.
func TestResultsOneNameForTheOriginal(t *testing.T) {
	f := newRecordingsFixture(t) // recordings of the control (bob) and of B
	e, x := f.e, f.x
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	e.setCounts(x, [2]int64{1000, 200}, [2]int64{1000, 100}) // the original clearly wins

	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, "Control (original)", "Original copy (control)", "Control</")
	doc := parseHTML(t, body)

	var names []string
	for _, n := range findAll(doc, hasClass("result-name")) {
		names = append(names, strings.TrimSpace(textOf(n)))
	}
	// The results table, then the recordings card.
	if want := []string{"Original", "Variant B", "Original", "Variant B"}; fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("variant names %q, want %q", names, want)
	}
	var legend []string
	for _, ul := range findAll(doc, hasClass("legend")) {
		for _, li := range findAll(ul, func(n *xhtml.Node) bool { return n.Data == "li" }) {
			legend = append(legend, strings.TrimSpace(textOf(li)))
		}
	}
	if fmt.Sprint(legend) != "[Original Variant B]" {
		t.Errorf("chart legend %q", legend)
	}
	for _, id := range []string{"rate-data", "visit-data"} {
		var heads []string
		for _, d := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id }) {
			for _, th := range findAll(d, func(n *xhtml.Node) bool { return n.Data == "th" && attrOf(n, "scope") == "col" }) {
				heads = append(heads, strings.TrimSpace(textOf(th)))
			}
		}
		if fmt.Sprint(heads) != "[Hour (UTC) Original Variant B]" { // a test this young is charted by hour
			t.Errorf("%s columns %q", id, heads)
		}
	}
	options := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "option" && attrOf(n, "value") == "control" })
	if len(options) != 1 || strings.TrimSpace(textOf(options[0])) != "Original" {
		t.Errorf("recordings filter: %d options for the control", len(options))
	}
	var shown []string
	for _, td := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Variant" }) {
		shown = append(shown, strings.TrimSpace(textOf(td)))
	}
	if !containsString(shown, "Original") || containsString(shown, "Control (original)") {
		t.Errorf("recorded sessions' variants %q", shown)
	}
	verdict := findAll(doc, hasClass("verdict-text"))
	// A test started just now: too early to act on, so the sentence says
	// the original is ahead rather than to keep it.
	if len(verdict) != 1 || !strings.HasPrefix(textOf(verdict[0]), "The original is ahead: ") {
		t.Fatalf("verdict %v", verdict)
	}

	rows := resultsCSVRows(t, c, x.ID, "results")
	label := csvColumn(t, rows[0], "label")
	key := csvColumn(t, rows[0], "key")
	if rows[1][key] != "control" || rows[1][label] != "Original" || rows[2][label] != "Variant B" {
		t.Errorf("CSV key and label: %q %q, %q", rows[1][key], rows[1][label], rows[2][label])
	}

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	if k := out["variants"].([]any)[0].(map[string]any)["key"]; k != "control" {
		t.Errorf("document key %v", k)
	}
	if v := out["verdict"].(map[string]any)["text"]; v != textOf(verdict[0]) {
		t.Errorf("document verdict %q, page %q", v, textOf(verdict[0]))
	}
}

// asciiMinus finds a hyphen-minus used as the sign of a number: before a
// digit, and not inside a word or a date ("2025-03-10").
var asciiMinus = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_-])-[0-9]`)

// TestResultsMinusSign: every negative number people read on the page (the
// table, the uplift bars' labels, the segment flags and findings, the
// verdict) has the true minus sign; the document's and the CSV's numbers
// are plain numbers with the ASCII one.
func TestResultsMinusSign(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	// A flagged segment either way, and a little worse overall.
	x, _, doc := segmentedResults(t, e, c)
	var texts []string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == xhtml.TextNode {
			texts = append(texts, n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "aria-label" || a.Key == "title" {
				texts = append(texts, a.Val)
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	negatives := 0
	for _, s := range texts {
		if m := asciiMinus.FindString(s); m != "" {
			t.Errorf("hyphen-minus as a sign in %q", s)
		}
		negatives += strings.Count(s, stats.Minus)
	}
	if negatives == 0 {
		t.Fatal("no negative number on the page: the fixture no longer tests the sign")
	}
	if len(findAll(doc, hasClass("cell-worse"))) == 0 {
		t.Error("no segment flagged worse: the fixture no longer tests the flags' sentences")
	}

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	neg := false
	for _, f := range out["segment_flags"].([]any) {
		flag := f.(map[string]any)
		if u, ok := flag["uplift"].(float64); !ok {
			t.Errorf("flag uplift %v is not a number", flag["uplift"])
		} else if u < 0 {
			neg = true
			if !strings.Contains(flag["text"].(string), stats.Minus) {
				t.Errorf("flag sentence %q", flag["text"])
			}
		}
	}
	if !neg {
		t.Error("no flag with a negative uplift in the document")
	}
	rows := resultsCSVRows(t, c, x.ID, "results")
	for _, col := range []string{"uplift", "uplift_interval_low", "uplift_interval_high"} {
		i := csvColumn(t, rows[0], col)
		if _, err := strconv.ParseFloat(rows[2][i], 64); err != nil || strings.Contains(rows[2][i], stats.Minus) {
			t.Errorf("CSV %s %q is not a plain number", col, rows[2][i])
		}
	}
	if low := rows[2][csvColumn(t, rows[0], "uplift_interval_low")]; !strings.HasPrefix(low, "-") {
		t.Errorf("CSV uplift_interval_low %q: want a negative number with an ASCII minus", low)
	}
}

// TestResultsShippedVariant: the results document and the CSV say which
// variant is shipped, as the experiment document does, and nothing once it
// is unshipped.
func TestResultsShippedVariant(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Buy today", "Ship me", "Other")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{1000, 100}, [2]int64{1000, 160}, [2]int64{1000, 90})
	path := "/api/v1/experiments/" + x.ID

	check := func(when string, want string) {
		t.Helper()
		_, exp := e.api("GET", path, tok, "")
		_, res := e.api("GET", path+"/results", tok, "")
		// Both documents say it alike: the key, or "" for none.
		if res["shipped_variant"] != want || exp["shipped_variant"] != want {
			t.Errorf("%s: shipped_variant %#v in the results, %#v in the experiment, want %q", when,
				res["shipped_variant"], exp["shipped_variant"], want)
		}
		if res["shipped_at"] != exp["shipped_at"] {
			t.Errorf("%s: results shipped_at %v, experiment %v", when, res["shipped_at"], exp["shipped_at"])
		}
		if res["status"] != exp["status"] {
			t.Errorf("%s: results status %v, experiment %v", when, res["status"], exp["status"])
		}
		rows := resultsCSVRows(t, c, x.ID, "results")
		col := csvColumn(t, rows[0], "shipped")
		for i, v := range x.Variants {
			if got, want := rows[i+1][col], strconv.FormatBool(v.Key == want); got != want {
				t.Errorf("%s: CSV shipped of %s = %q, want %q", when, v.Key, got, want)
			}
		}
	}
	check("running", "")
	if resp, out := e.api("POST", path+"/ship", tok, `{"variant":"b"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("ship: %d %v", resp.StatusCode, out)
	}
	check("shipped", "b")
	if resp, out := e.api("POST", path+"/unship", tok, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("unship: %d %v", resp.StatusCode, out)
	}
	check("unshipped", "")
}

// shiftHistory moves an experiment's start, and the history lines of one
// action (the n-th, counting from 1), to the given time.
func (e *env) shiftHistory(id, action string, n int, at time.Time) {
	e.t.Helper()
	res, err := e.store.Writer().Exec(`update experiment_history set at = ? where id = (
		select id from experiment_history where experiment_id = ? and action = ? order by id limit 1 offset ?)`,
		at.UnixMilli(), id, action, n-1)
	if err != nil {
		e.t.Fatal(err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		e.t.Fatalf("no %s #%d in the history of %s", action, n, id)
	}
	if action == experiments.ChangeStarted {
		if _, err := e.store.Writer().Exec(`update experiments set started_at = ? where id = ?`, at.UnixMilli(), id); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestResultsPausedTimeIsNotRunning: days paused are not days running, in
// the plan's traffic per day and days left, the page's "days running" and
// the document's days_running; the page says so. A test paused now has no
// days left to give (no visitors come until it is resumed), and its stat
// says it ran and is paused.
func TestResultsPausedTimeIsNotRunning(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	now := time.Now()
	day := 24 * time.Hour

	// Started ten days ago, paused from day 2 to day 5: seven days running.
	x := e.experiment(site.ID, "Hero", "Buy today", "New")
	x = e.transition(x.ID, "start")
	e.transition(x.ID, "pause")
	e.transition(x.ID, "resume")
	e.shiftHistory(x.ID, experiments.ChangeStarted, 1, now.Add(-10*day))
	e.shiftHistory(x.ID, experiments.ChangePaused, 1, now.Add(-8*day))
	e.shiftHistory(x.ID, experiments.ChangeResumed, 1, now.Add(-5*day))
	e.setCounts(x, [2]int64{700, 35}, [2]int64{700, 40})

	// Started four days ago and paused since yesterday: three days running.
	y := e.experiment(site.ID, "Footer", "Buy today", "New")
	y = e.transition(y.ID, "start")
	e.transition(y.ID, "pause")
	e.shiftHistory(y.ID, experiments.ChangeStarted, 1, now.Add(-4*day))
	e.shiftHistory(y.ID, experiments.ChangePaused, 1, now.Add(-1*day))
	e.setCounts(y, [2]int64{300, 15}, [2]int64{300, 20})

	for _, tc := range []struct {
		name          string
		id            string
		running, paus float64
		perDay        float64
		pausedNow     bool
		words         string
	}{
		{"resumed", x.ID, 7, 3, 1400.0 / 7, false, "The traffic per day counts only the 7 days the test ran, not the 3 days it was paused."},
		{"paused now", y.ID, 3, 1, 600.0 / 3, true, "No estimate of the time left while the test is paused: no visitors come until it is resumed. Each variant needs about 32,000 visitors to detect a 10% lift from the original’s 5.00% rate, and the smallest has 300."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out := e.api("GET", "/api/v1/experiments/"+tc.id+"/results", tok, "")
			// Within 1e-3 days (86 s): the clock runs on from now to the
			// request, and a paused test's pause grows with it (1e-6, 86 ms,
			// failed under -race on a busy machine).
			if got := out["days_running"].(float64); math.Abs(got-tc.running) > 1e-3 {
				t.Errorf("days_running %v, want %v", got, tc.running)
			}
			if got, ok := out["days_paused"].(float64); !ok || math.Abs(got-tc.paus) > 1e-3 {
				t.Errorf("days_paused %v, want %v", out["days_paused"], tc.paus)
			}
			plan := out["plan"].(map[string]any)
			if got := plan["visitors_per_day"].(float64); math.Abs(got-tc.perDay) > 0.05 {
				t.Errorf("visitors_per_day %v, want %v", got, tc.perDay)
			}
			need := float64(stats.SampleSize(0.05, stats.DefaultThreshold))
			if tc.pausedNow {
				if left := plan["days_remaining"]; left != nil {
					t.Errorf("days_remaining %v, want null while paused", left)
				}
			} else if left, want := plan["days_remaining"].(float64), (need-float64(tc.perDay*tc.running)/2)/(tc.perDay/2); math.Abs(left-want) > 0.01 {
				t.Errorf("days_remaining %v, want %v", left, want)
			}
			// The line ends in what the plan assumes, after its caveats.
			if text, end := plan["text"].(string), tc.words+" "+stats.DescribePlanBasis(1); !strings.HasSuffix(text, end) {
				t.Errorf("plan %q, want it to end %q", text, end)
			}

			resp, body := c.get("/experiments/" + tc.id + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			doc := parseHTML(t, body)
			var stat []string
			for _, s := range findAll(doc, hasClass("stat")) {
				stat = append(stat, strings.Join(strings.Fields(textOf(s)), " "))
			}
			ran := "running"
			if tc.pausedNow {
				ran = "of running, now paused"
			}
			wantStat := fmt.Sprintf("%ddays %s time paused (%d %s) left out", int(tc.running), ran, int(tc.paus), plural(int(tc.paus), "day", "days"))
			if !containsString(stat, wantStat) {
				t.Errorf("stats %q, want %q", stat, wantStat)
			}
			if lines := findAll(doc, hasClass("plan-line")); len(lines) != 1 || !strings.Contains(textOf(lines[0]), tc.words) {
				t.Errorf("plan line without %q", tc.words)
			}
		})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// TestPausedTime: the spans between pauses and what ends them, within the
// start and the end.
func TestPausedTime(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	ch := func(h int, action string) experiments.Change { return experiments.Change{At: at(h), Action: action} }
	tests := []struct {
		name    string
		changes []experiments.Change // oldest first; reversed as History returns them
		end     int
		want    int // hours
	}{
		{"never paused", []experiments.Change{ch(0, "created"), ch(0, "started")}, 100, 0},
		{"paused and resumed", []experiments.Change{ch(0, "started"), ch(10, "paused"), ch(30, "resumed")}, 100, 20},
		{"twice", []experiments.Change{ch(0, "started"), ch(10, "paused"), ch(20, "resumed"), ch(50, "edited"), ch(60, "paused"), ch(65, "resumed")}, 100, 15},
		{"paused until now", []experiments.Change{ch(0, "started"), ch(90, "paused")}, 100, 10},
		{"stopped while paused", []experiments.Change{ch(0, "started"), ch(40, "paused"), ch(70, "stopped")}, 70, 30},
		{"shipped while paused", []experiments.Change{ch(0, "started"), ch(40, "paused"), ch(50, "shipped")}, 50, 10},
		{"a second pause line changes nothing", []experiments.Change{ch(0, "started"), ch(10, "paused"), ch(15, "paused"), ch(20, "resumed")}, 100, 10},
		{"clipped to the start and the end", []experiments.Change{ch(-10, "paused"), ch(5, "started"), ch(95, "paused")}, 100, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newest := make([]experiments.Change, len(tt.changes))
			for i, c := range tt.changes {
				newest[len(newest)-1-i] = c
			}
			if got := pausedTime(newest, t0, at(tt.end)); got != time.Duration(tt.want)*time.Hour {
				t.Errorf("paused %v, want %dh", got, tt.want)
			}
		})
	}
}

// TestResultsNoVisitorsNoRange: a variant nobody has seen yet has neither an
// uplift nor an uplift interval, in the document, the CSV and the page.
func TestResultsNoVisitorsNoRange(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Buy today", "New", "Newer")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{500, 50}, [2]int64{500, 60}, [2]int64{0, 0})

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	vs := out["variants"].([]any)
	b, cv := vs[1].(map[string]any), vs[2].(map[string]any)
	if b["uplift"] == nil || b["uplift_interval"] == nil {
		t.Errorf("B (500 visitors): uplift %v, interval %v", b["uplift"], b["uplift_interval"])
	}
	if cv["uplift"] != nil || cv["uplift_interval"] != nil {
		t.Errorf("C (no visitors): uplift %v, interval %v, want both null", cv["uplift"], cv["uplift_interval"])
	}

	rows := resultsCSVRows(t, c, x.ID, "results")
	for _, col := range []string{"uplift", "uplift_interval_low", "uplift_interval_high"} {
		if got := rows[3][csvColumn(t, rows[0], col)]; got != "" {
			t.Errorf("CSV %s of C = %q, want empty", col, got)
		}
	}

	// The page: while C has no visitors, the test has too few for a
	// verdict, so it shows no uplift at all (TestResultsTooFewVisitors),
	// and C's rate is a dash.
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	if cells := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Uplift" }); len(cells) != 0 {
		t.Errorf("%d uplift cells, want none while C has no visitors", len(cells))
	}
	rates := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Conversion rate" })
	if len(rates) != 3 {
		t.Fatalf("%d rate cells", len(rates))
	}
	if got := strings.TrimSpace(textOf(rates[2])); got != "—" {
		t.Errorf("C's rate cell %q, want a dash", got)
	}
}

// TestResultsQuietDaysFilled: days without any visitor between the first
// and the last are in the series with zeros, the running totals carried
// over, so the charts space the days as they were.
func TestResultsQuietDaysFilled(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Buy today", "New")
	x = e.transition(x.ID, "start")
	first := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	for _, d := range []struct {
		offset       int
		variant      string
		visitors, cv int64
	}{
		{0, "control", 100, 10}, {0, "b", 100, 12},
		{1, "control", 80, 6}, {1, "b", 90, 9},
		// 12 and 13 March: nobody.
		{4, "control", 50, 5}, {4, "b", 40, 2},
	} {
		if _, err := e.store.Writer().Exec(`insert into variant_days (experiment_id, day, variant, exposures, conversions) values (?, ?, ?, ?, ?)`,
			x.ID, first.AddDate(0, 0, d.offset).Unix()/86400, d.variant, d.visitors, d.cv); err != nil {
			t.Fatal(err)
		}
	}

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	var got []string
	for _, d := range out["daily"].([]any) {
		m := d.(map[string]any)
		got = append(got, fmt.Sprintf("%s %s %v/%v %v/%v", m["day"], m["key"], m["conversions"], m["exposures"],
			m["cumulative_conversions"], m["cumulative_exposures"]))
	}
	want := []string{
		"2025-03-10 control 10/100 10/100", "2025-03-10 b 12/100 12/100",
		"2025-03-11 control 6/80 16/180", "2025-03-11 b 9/90 21/190",
		"2025-03-12 control 0/0 16/180", "2025-03-12 b 0/0 21/190",
		"2025-03-13 control 0/0 16/180", "2025-03-13 b 0/0 21/190",
		"2025-03-14 control 5/50 21/230", "2025-03-14 b 2/40 23/230",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("daily:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	rows := resultsCSVRows(t, c, x.ID, "daily")
	if len(rows) != 1+10 || rows[5][0] != "2025-03-12" || rows[5][2] != "0" || rows[5][4] != "180" {
		t.Errorf("daily CSV %v", rows)
	}

	resp, body := c.get("/experiments/" + x.ID + "/results/trends")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	// Five days on the line: evenly spaced x, the quiet days flat.
	for _, line := range findAll(doc, hasClass("chart-line")) {
		pts := regexp.MustCompile(`[ML]([0-9.]+) ([0-9.]+)`).FindAllStringSubmatch(attrOf(line, "d"), -1)
		if len(pts) != 5 {
			t.Fatalf("line %q: %d points, want 5", attrOf(line, "d"), len(pts))
		}
		var xs, ys []float64
		for _, p := range pts {
			x, _ := strconv.ParseFloat(p[1], 64)
			y, _ := strconv.ParseFloat(p[2], 64)
			xs, ys = append(xs, x), append(ys, y)
		}
		for i := 2; i < 5; i++ {
			if math.Abs((xs[i]-xs[i-1])-(xs[1]-xs[0])) > 0.2 {
				t.Errorf("uneven days: x %v", xs)
			}
		}
		if ys[2] != ys[1] || ys[3] != ys[1] {
			t.Errorf("the quiet days move the line: y %v", ys)
		}
	}
	for _, id := range []string{"rate-data", "visit-data"} {
		var days []string
		for _, d := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id }) {
			for _, th := range findAll(d, func(n *xhtml.Node) bool { return n.Data == "th" && attrOf(n, "scope") == "row" }) {
				days = append(days, textOf(th))
			}
		}
		if fmt.Sprint(days) != "[2025-03-10 2025-03-11 2025-03-12 2025-03-13 2025-03-14]" {
			t.Errorf("%s days %v", id, days)
		}
	}
	if bars := findAll(doc, hasClass("chart-bar")); len(bars) != 6 {
		t.Errorf("%d bars, want 6 (two variants on three days with visitors)", len(bars))
	}
}

// TestResultsCSVCarriesTheDocument: the results CSV carries the fields the
// results document has for each variant and for the experiment, among
// them the link to each variant's recordings and the excluded visitors,
// with the same values as the document: the excluded counts, the
// experiment's, once on the first row (TestResultsCSVExcludedOnce).
func TestResultsCSVCarriesTheDocument(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original", "New")
	x = e.transition(x.ID, "start")
	e.send(events(site.Key, "cat", x.ID, exposure("control")), browserUA)
	e.send(events(site.Key, "cat", x.ID, exposure("b")), browserUA) // both variants: excluded
	e.send(events(site.Key, "dan", x.ID, exposure("b"), conversion), testBotUA)
	e.send(events(site.Key, "eve", x.ID, exposure("b"), conversion), browserUA)

	check := func(when string) {
		t.Helper()
		_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
		rows := resultsCSVRows(t, c, x.ID, "results")
		excluded := doc["excluded"].(map[string]any)
		for i, v := range doc["variants"].([]any) {
			row := rows[i+1]
			want := ""
			if u, ok := v.(map[string]any)["recordings"].(map[string]any)["list_url"].(string); ok {
				want = u
			}
			if got := row[csvColumn(t, rows[0], "recordings")]; got != want {
				t.Errorf("%s: %s's recordings %q, document %q", when, row[0], got, want)
			}
			for col, field := range map[string]string{"excluded_multiple_variants": "multiple_variants", "excluded_bots": "bots"} {
				want := fmt.Sprint(excluded[field])
				if i > 0 {
					want = ""
				}
				if got := row[csvColumn(t, rows[0], col)]; got != want {
					t.Errorf("%s: %s's %s %q, document %s", when, row[0], col, got, want)
				}
			}
		}
	}
	check("without a recorder")
	if rows := resultsCSVRows(t, c, x.ID, "results"); rows[1][csvColumn(t, rows[0], "excluded_bots")] != "1" ||
		rows[1][csvColumn(t, rows[0], "excluded_multiple_variants")] != "1" {
		t.Errorf("excluded counts: %v", rows)
	}

	resp, _ := c.post("/sites/"+site.ID+"/recorders", url.Values{"posthog.host": {"https://eu.posthog.com"}, "posthog.project_id": {"4242"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	check("with PostHog")
	rows := resultsCSVRows(t, c, x.ID, "results")
	for _, row := range rows[1:] {
		if link := row[csvColumn(t, rows[0], "recordings")]; !strings.HasPrefix(link, "https://eu.posthog.com/project/4242/") {
			t.Errorf("%s's recordings link %q", row[0], link)
		}
	}
}
