package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

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
		t.Errorf("version names %q, want %q", names, want)
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
		if fmt.Sprint(heads) != "[Day Original Variant B]" {
			t.Errorf("%s columns %q", id, heads)
		}
	}
	options := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "option" && attrOf(n, "value") == "control" })
	if len(options) != 1 || strings.TrimSpace(textOf(options[0])) != "Original" {
		t.Errorf("recordings filter: %d options for the control", len(options))
	}
	var versions []string
	for _, td := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Version" }) {
		versions = append(versions, strings.TrimSpace(textOf(td)))
	}
	if !containsString(versions, "Original") || containsString(versions, "Control (original)") {
		t.Errorf("recorded sessions' versions %q", versions)
	}
	verdict := findAll(doc, hasClass("verdict-text"))
	if len(verdict) != 1 || !strings.HasPrefix(textOf(verdict[0]), "Keep the original: ") {
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
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Buy today", "New")
	x = e.transition(x.ID, "start")
	// Worse in the United Kingdom, better in the US and India (a flagged
	// segment either way), and a little worse overall.
	bulkResults(t, e.store, site, x, bulkSpec{Events: 150_000, Start: time.Now().AddDate(0, 0, -14), Days: 14, Seed: 3,
		Rates: map[string]float64{"control": 0.08, "b": 0.08}, Effect: lovedInUSAndIndia})

	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
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
// version is shipped, as the experiment document does, and nothing once it
// is unshipped.
func TestResultsShippedVariant(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Buy today", "Ship me", "Other")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{1000, 100}, [2]int64{1000, 160}, [2]int64{1000, 90})
	path := "/api/v1/experiments/" + x.ID

	check := func(when string, want any) {
		t.Helper()
		_, exp := e.api("GET", path, tok, "")
		_, res := e.api("GET", path+"/results", tok, "")
		if res["shipped_variant"] != want {
			t.Errorf("%s: results shipped_variant %v, want %v", when, res["shipped_variant"], want)
		}
		if exp["shipped_variant"] != map[bool]any{true: "", false: want}[want == nil] {
			t.Errorf("%s: experiment shipped_variant %v", when, exp["shipped_variant"])
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
	check("running", nil)
	if resp, out := e.api("POST", path+"/ship", tok, `{"variant":"b"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("ship: %d %v", resp.StatusCode, out)
	}
	check("shipped", "b")
	if resp, out := e.api("POST", path+"/unship", tok, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("unship: %d %v", resp.StatusCode, out)
	}
	check("unshipped", nil)
}

// TestResultsNoVisitorsNoRange: a version nobody has seen yet has neither an
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

	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	cells := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Uplift" })
	if len(cells) != 3 {
		t.Fatalf("%d uplift cells", len(cells))
	}
	if got := strings.TrimSpace(textOf(cells[2])); got != "—" {
		t.Errorf("C's uplift cell %q, want a dash", got)
	}
	if n := len(findAll(cells[2], hasClass("interval"))) + len(findAll(cells[2], func(n *xhtml.Node) bool { return n.Data == "svg" })); n != 0 {
		t.Errorf("C's uplift cell draws %d ranges", n)
	}
	if n := len(findAll(cells[1], func(n *xhtml.Node) bool { return n.Data == "svg" })); n != 1 {
		t.Errorf("B's uplift cell draws %d ranges, want 1", n)
	}
}
