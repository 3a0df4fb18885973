package app

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// hoursFixture is a young test with real traffic through POST /e over
// four hours that cross a UTC midnight, served at server time now (the
// app's clock, which stamps events too): counted visitors and
// conversions, a visitor who saw both variants and a crawler, neither
// counted. It returns the clock's setter.
func hoursFixture(t *testing.T) (e *env, x experiments.Experiment, base time.Time, setNow func(time.Time)) {
	t.Helper()
	e = newEnv(t)
	now := time.Now()
	setNow = func(at time.Time) { now = at }
	e.app.now = func() time.Time { return now }
	site := e.site("Shop")
	x = e.experiment(site.ID, "Hero", "Original", "New")
	x = e.transition(x.ID, "start")
	// 22:10 UTC on the day after today: after the start, and the fourth
	// hour is on the next day.
	base = time.Now().UTC().Truncate(24 * time.Hour).Add(46*time.Hour + 10*time.Minute)
	send := func(minutes int, visitor string, ua string, evs ...[2]string) {
		t.Helper()
		setNow(base.Add(time.Duration(minutes) * time.Minute))
		e.send(events(site.Key, visitor, x.ID, evs...), ua)
	}
	const person = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
	for i := range 6 {
		send(i*5, fmt.Sprintf("a%d", i), person, exposure([]string{"control", "b"}[i%2]))
	}
	send(40, "a0", person, conversion)
	send(55, "mix", person, exposure("control"), conversion)
	send(70, "bot", testBotUA, exposure("b"))
	for i := range 4 {
		send(80+i*20, fmt.Sprintf("c%d", i), person, exposure([]string{"control", "b"}[i%2]), conversion)
	}
	send(130, "mix", person, exposure("b")) // taken out of the original, with their conversion
	send(170, "a1", person, conversion)     // 01:00 on the next day
	now = base.Add(3*time.Hour + 30*time.Minute)
	x, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return e, x, base, setNow
}

// chartTable reads a data table of the charts (rate-data or visit-data):
// its header, and per row its name and each variant's cell text.
func chartTable(t *testing.T, doc *xhtml.Node, id string) (head []string, rows [][]string) {
	t.Helper()
	boxes := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(boxes) != 1 {
		t.Fatalf("%d #%s, want 1", len(boxes), id)
	}
	for _, th := range findAll(boxes[0], func(n *xhtml.Node) bool { return n.Data == "th" && attrOf(n, "scope") == "col" }) {
		head = append(head, strings.TrimSpace(textOf(th)))
	}
	for _, tr := range findAll(boxes[0], func(n *xhtml.Node) bool { return n.Data == "tr" }) {
		var row []string
		for _, c := range findAll(tr, func(n *xhtml.Node) bool { return n.Data == "td" || attrOf(n, "scope") == "row" }) {
			row = append(row, strings.Join(strings.Fields(textOf(c)), " "))
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	return head, rows
}

// visitCells parses a visit-data cell, "12 3 conv.".
func visitCell(t *testing.T, s string) (visitors, conversions int64) {
	t.Helper()
	f := strings.Fields(strings.ReplaceAll(s, ",", ""))
	if len(f) != 3 || f[2] != "conv." {
		t.Fatalf("visit cell %q", s)
	}
	v, err1 := strconv.ParseInt(f[0], 10, 64)
	c, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("visit cell %q", s)
	}
	return v, c
}

// chartTitles are the captions of the two charts.
func chartTitles(doc *xhtml.Node) []string {
	var out []string
	for _, n := range findAll(doc, hasClass("chart-title")) {
		out = append(out, strings.TrimSpace(textOf(n)))
	}
	return out
}

// TestResultsHoursYoungTest: a young test's charts, on the results page,
// the share page and the trends fragment, count hours, labelled as hours
// with the day where it changes, and their rows add up to the days of the
// results document and to the results table's totals, visitors and
// conversions, leaving out the visitor who saw both variants and the
// crawler. daily.csv stays by day.
func TestResultsHoursYoungTest(t *testing.T) {
	e, x, base, _ := hoursFixture(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")

	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	type pair struct{ visitors, conversions int64 }
	total := map[string]pair{}
	for _, v := range doc["variants"].([]any) {
		m := v.(map[string]any)
		total[m["key"].(string)] = pair{int64(m["exposures"].(float64)), int64(m["conversions"].(float64))}
	}
	excluded := doc["excluded"].(map[string]any)
	if excluded["multiple_variants"].(float64) != 1 || excluded["bots"].(float64) != 1 {
		t.Fatalf("excluded %v: the fixture is off", excluded)
	}
	if want := (map[string]pair{"control": {5, 3}, "b": {5, 3}}); fmt.Sprint(total) != fmt.Sprint(want) {
		t.Fatalf("totals %v, want %v", total, want)
	}
	days := map[string]map[string]pair{} // day, key
	for _, d := range doc["daily"].([]any) {
		m := d.(map[string]any)
		if days[m["day"].(string)] == nil {
			days[m["day"].(string)] = map[string]pair{}
		}
		days[m["day"].(string)][m["key"].(string)] = pair{int64(m["exposures"].(float64)), int64(m["conversions"].(float64))}
	}
	if len(days) != 2 {
		t.Fatalf("the document has %d days, want 2: it stays by day", len(days))
	}

	day1, day2 := base.Format(time.DateOnly), base.Add(2*time.Hour).Format(time.DateOnly)
	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken, "/experiments/" + x.ID + "/results/trends", "/r/" + x.ShareToken + "/trends"} {
		t.Run(path, func(t *testing.T) {
			var body string
			if strings.HasPrefix(path, "/r/") {
				resp := e.do(newRequest(http.MethodGet, path, nil))
				body = readBody(t, resp)
				wantStatus(t, resp, http.StatusOK, body)
			} else {
				var resp *http.Response
				resp, body = c.get(path)
				wantStatus(t, resp, http.StatusOK, body)
			}
			page := parseHTML(t, body)
			if got := chartTitles(page); fmt.Sprint(got) != "[Conversion rate over time, per hour New visitors per hour]" {
				t.Errorf("chart titles %q", got)
			}
			wantContains(t, body, "at the end of each hour (UTC)", "New visitors each hour (UTC)")
			head, rows := chartTable(t, page, "visit-data")
			if fmt.Sprint(head) != "[Hour (UTC) Original Variant B]" {
				t.Errorf("visit-data columns %q", head)
			}
			// 22:00, 23:00, 00:00 and 01:00 (the last conversion) to
			// 01:00, the hour of now: the day is named on the first row and
			// where it changes.
			var names []string
			byDay := map[string]map[string]pair{}
			sum := map[string]pair{}
			day := day1
			for _, r := range rows {
				names = append(names, r[0])
				if strings.HasPrefix(r[0], day2) {
					day = day2
				}
				if byDay[day] == nil {
					byDay[day] = map[string]pair{}
				}
				for i, key := range []string{"control", "b"} {
					v, cv := visitCell(t, r[1+i])
					p := byDay[day][key]
					byDay[day][key] = pair{p.visitors + v, p.conversions + cv}
					s := sum[key]
					sum[key] = pair{s.visitors + v, s.conversions + cv}
				}
			}
			if want := []string{day1 + " 22:00", "23:00", day2 + " 00:00", "01:00"}; fmt.Sprint(names) != fmt.Sprint(want) {
				t.Errorf("rows %q, want %q", names, want)
			}
			if fmt.Sprint(sum) != fmt.Sprint(total) {
				t.Errorf("hours add up to %v, the results table has %v", sum, total)
			}
			if fmt.Sprint(byDay) != fmt.Sprint(days) {
				t.Errorf("hours add up to %v by day, the days are %v", byDay, days)
			}
			_, rate := chartTable(t, page, "rate-data")
			if len(rate) != len(rows) {
				t.Errorf("%d rate rows, %d visit rows", len(rate), len(rows))
			}
			// The axis reads hours, and the day at midnight.
			var ticks []string
			for _, svg := range findAll(page, hasClass("chart-svg")) {
				for _, g := range findAll(svg, hasClass("chart-axis")) {
					for _, n := range findAll(g, func(n *xhtml.Node) bool { return n.Data == "text" }) {
						if s := strings.TrimSpace(textOf(n)); strings.Contains(s, ":") || strings.Contains(s, base.Add(2*time.Hour).Format("Jan")) {
							ticks = append(ticks, s)
						}
					}
				}
			}
			wantTicks := []string{"22:00", "23:00", base.Add(2 * time.Hour).Format("2 Jan"), "01:00"}
			if fmt.Sprint(ticks) != fmt.Sprint(append(wantTicks, wantTicks...)) {
				t.Errorf("x axis labels %q, want %q in each chart", ticks, wantTicks)
			}
			// Too few visitors for any verdict: no interval band.
			if n := len(findAll(page, hasClass("chart-band"))); n != 0 {
				t.Errorf("%d interval bands while too few visitors", n)
			}
		})
	}

	resp, csv := c.get("/experiments/" + x.ID + "/daily.csv")
	wantStatus(t, resp, http.StatusOK, csv)
	if !strings.Contains(csv, day1) || !strings.Contains(csv, day2) || strings.Contains(csv, "22:00") {
		t.Errorf("daily.csv is not by day:\n%s", csv)
	}
}

// TestResultsHoursBackToDays: 48 hours after the first exposure the charts
// count days again; a stopped test that ran less keeps its hours.
func TestResultsHoursBackToDays(t *testing.T) {
	e, x, base, setNow := hoursFixture(t)
	// The share link's fragment: it needs no session, which would have
	// expired by the later clocks here.
	trends := func() (*xhtml.Node, string) {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, "/r/"+x.ShareToken+"/trends", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		return parseHTML(t, body), body
	}
	setNow(base.Add(47*time.Hour + 59*time.Minute))
	if doc, _ := trends(); fmt.Sprint(chartTitles(doc)) != "[Conversion rate over time, per hour New visitors per hour]" {
		t.Errorf("47:59 in: chart titles %q, want hours", chartTitles(doc))
	}
	setNow(base.Add(48 * time.Hour))
	doc, body := trends()
	if got := chartTitles(doc); fmt.Sprint(got) != "[Conversion rate over time New visitors per day]" {
		t.Errorf("48 hours in: chart titles %q, want days", got)
	}
	wantNotContains(t, body, "(UTC)")
	if head, rows := chartTable(t, doc, "visit-data"); head[0] != "Day" || len(rows) != 2 {
		t.Errorf("48 hours in: visit-data %q with %d rows, want 2 days", head, len(rows))
	}

	// Stopped 5 hours in, its data spans 5 hours for good. The store's
	// clock, which stamps the stop, is the real one: the stop is moved
	// to the app's time.
	e.transition(x.ID, "stop")
	if _, err := e.store.Writer().Exec(`update experiments set ended_at = ? where id = ?`,
		base.Add(5*time.Hour).UnixMilli(), x.ID); err != nil {
		t.Fatal(err)
	}
	setNow(base.Add(30 * 24 * time.Hour))
	if doc, _ := trends(); fmt.Sprint(chartTitles(doc)) != "[Conversion rate over time, per hour New visitors per hour]" {
		t.Errorf("stopped after 5 hours, a month on: chart titles %q, want hours", chartTitles(doc))
	}
}

// TestResultsHoursCap: a young test past hourlyMaxVisitors keeps its
// charts by day, since reading its visitors' hours would slow every view.
func TestResultsHoursCap(t *testing.T) {
	e, x, _, _ := hoursFixture(t)
	c := e.signIn("ann@example.com")
	e.setCounts(x, [2]int64{hourlyMaxVisitors / 2, 100}, [2]int64{hourlyMaxVisitors / 2, 100})
	resp, body := c.get("/experiments/" + x.ID + "/results/trends")
	wantStatus(t, resp, http.StatusOK, body)
	if got := chartTitles(parseHTML(t, body)); fmt.Sprint(got) != "[Conversion rate over time New visitors per day]" {
		t.Errorf("chart titles %q, want days", got)
	}
}
