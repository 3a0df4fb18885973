package app

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"copylab/experiments"
)

// exportEnv is a running test "Hero" with an API token, on an app that
// trusts the test client as its proxy, so that POST /e reads a country
// from CF-IPCountry as it would behind a CDN.
func exportEnv(t *testing.T) (e *env, tok string, site experiments.Site, x experiments.Experiment) {
	t.Helper()
	e = newEnvConfig(t, func(c *Config) {
		c.TrustedProxies = []string{"0.0.0.0/32"}
		c.CountryHeader = "CF-IPCountry"
	})
	tok = e.token("api@example.com")
	site, x = e.runningExperiment()
	return e, tok, site, x
}

// postExportEvents posts one body to POST /e from a desktop Chrome in
// Germany (userAgent "" for that browser), and wants it stored.
func postExportEvents(t *testing.T, e *env, userAgent string, body map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	hdr := map[string]string{"CF-IPCountry": "DE"}
	if userAgent != "" {
		hdr["User-Agent"] = userAgent
	}
	resp, out := e.postRaw(string(b), hdr)
	wantStatus(t, resp, http.StatusNoContent, out)
}

// getExport GETs path with the token and returns the status, the headers
// and the body's lines (NDJSON decoded, one map a line).
func getExport(t *testing.T, e *env, tok, path string) (*http.Response, []map[string]any, string) {
	t.Helper()
	req := newRequest(http.MethodGet, path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp := e.do(req)
	raw := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson") {
		return resp, nil, raw
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", len(lines)+1, err, sc.Text())
		}
		lines = append(lines, m)
	}
	if raw != "" && !strings.HasSuffix(raw, "\n") {
		t.Errorf("the body does not end with a newline: %q", raw[max(0, len(raw)-40):])
	}
	return resp, lines, raw
}

// seqs are the lines' seq values.
func seqs(lines []map[string]any) []int64 {
	var out []int64
	for _, l := range lines {
		out = append(out, int64(l["seq"].(float64)))
	}
	return out
}

// TestH8EventsExportFields: every field of a stored event comes back as
// sent or as the server recorded it, an exposure's and a conversion's,
// in the API's time format; a bot's exposure and a conversion without an
// exposure are there too, not counted and saying why.
func TestH8EventsExportFields(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	before := time.Now().Add(-time.Second)
	expID, convID, botID, lostID := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "visitor-1", "events": []map[string]any{
		{"id": expID.String(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://example.com/pricing?plan=pro",
			"ts": 1732406400123, "matched": true, "ms": 42, "ref": "https://news.example.org/story", "utm": "spring_sale"},
		{"id": strings.ToUpper(convID.String()), "type": "conversion", "experiment": x.ID, "variant": "b", "goal": "click",
			"url": "https://example.com/pricing"},
	}})
	postExportEvents(t, e, "curl/8.5.0", map[string]any{"site": site.Key, "visitor": "robot-1", "events": []map[string]any{
		{"id": botID.String(), "type": "exposure", "experiment": x.ID, "variant": "control", "url": "https://example.com/pricing", "matched": false},
	}})
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "never-saw-it", "events": []map[string]any{
		{"id": lostID.String(), "type": "conversion", "experiment": x.ID, "goal": "click", "url": "https://example.com/thanks", "ts": 1732406400999},
	}})
	after := time.Now().Add(time.Second)

	resp, lines, raw := getExport(t, e, tok, "/api/v1/experiments/"+x.ID+"/events")
	wantStatus(t, resp, http.StatusOK, raw)
	if got := resp.Header.Get("Content-Type"); got != "application/x-ndjson" {
		t.Errorf("Content-Type %q", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), raw)
	}
	s := seqs(lines)
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			t.Errorf("seqs %v are not oldest first", s)
		}
	}
	for i, l := range lines {
		at, _ := l["received_at"].(string)
		if !apiTimeRe.MatchString(at) {
			t.Errorf("line %d: received_at %q is not the API's time format", i+1, at)
		} else if tm, _ := time.Parse(time.RFC3339, at); tm.Before(before.Truncate(time.Millisecond)) || tm.After(after) {
			t.Errorf("line %d: received_at %s is not the time it was sent", i+1, at)
		}
		delete(l, "received_at")
		delete(l, "seq")
	}
	want := []map[string]any{
		{"id": expID.String(), "type": "exposure", "visitor": "visitor-1", "variant": "b", "sent_variant": "b", "goal": "",
			"url": "https://example.com/pricing?plan=pro", "client_ts": "2024-11-24T00:00:00.123Z", "matched": true, "swap_ms": 42.0, "bot": false,
			"counted": true, "first": true, "ignored": "", "country": "DE", "device": "desktop", "browser": "Chrome",
			"referrer": "news.example.org", "utm_source": "spring_sale"},
		{"id": convID.String(), "type": "conversion", "visitor": "visitor-1", "variant": "b", "sent_variant": "b", "goal": "click",
			"url": "https://example.com/pricing", "client_ts": nil, "matched": nil, "swap_ms": nil, "bot": false,
			"counted": true, "first": false, "ignored": "", "country": "", "device": "", "browser": "", "referrer": "", "utm_source": ""},
		{"id": botID.String(), "type": "exposure", "visitor": "robot-1", "variant": "control", "sent_variant": "control", "goal": "",
			"url": "https://example.com/pricing", "client_ts": nil, "matched": false, "swap_ms": nil, "bot": true,
			"counted": false, "first": false, "ignored": experiments.ReasonBot, "country": "DE", "device": "desktop", "browser": "Other",
			"referrer": "", "utm_source": ""},
		{"id": lostID.String(), "type": "conversion", "visitor": "never-saw-it", "variant": "", "sent_variant": "", "goal": "click",
			"url": "https://example.com/thanks", "client_ts": "2024-11-24T00:00:00.999Z", "matched": nil, "swap_ms": nil, "bot": false,
			"counted": false, "first": false, "ignored": experiments.ReasonNoExposure, "country": "", "device": "", "browser": "", "referrer": "", "utm_source": ""},
	}
	for i := range want {
		if i == 2 {
			// What the server makes of curl's user agent is its own
			// business (useragent.go): the export gives what it stored.
			want[i]["device"], want[i]["browser"] = lines[i]["device"], lines[i]["browser"]
		}
		if !reflect.DeepEqual(lines[i], want[i]) {
			t.Errorf("line %d:\n got %v\nwant %v", i+1, lines[i], want[i])
		}
	}
	// The field order is eventsColumns', the CSV's too.
	first := strings.SplitN(raw, "\n", 2)[0]
	last := -1
	for _, name := range eventsColumns {
		i := strings.Index(first, `"`+name+`":`)
		if i < last {
			t.Errorf("field %s is out of order in %s", name, first)
		}
		last = i
	}
}

// TestH8EventsExportQuery: after resumes exactly after a seq, limit caps
// the lines, type keeps one kind, and they combine; a bad value, a
// parameter the call does not take or one given twice is a 400 naming it.
func TestH8EventsExportQuery(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	for i := range 4 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, []string{"control", "b"}[i%2], true)), http.StatusNoContent, "")
	}
	base := "/api/v1/experiments/" + x.ID + "/events"
	_, all, _ := getExport(t, e, tok, base)
	if len(all) != 8 {
		t.Fatalf("%d events, want 8", len(all))
	}
	s := seqs(all)
	check := func(name, query string, want []int64) {
		t.Helper()
		resp, lines, raw := getExport(t, e, tok, base+query)
		wantStatus(t, resp, http.StatusOK, raw)
		if got := seqs(lines); !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%s): seqs %v, want %v", name, query, got, want)
		}
	}
	var conversions []int64
	for _, l := range all {
		if l["type"] == "conversion" {
			conversions = append(conversions, int64(l["seq"].(float64)))
		}
	}
	check("after the third", "?after="+itoa64(s[2]), s[3:])
	check("after the last", "?after="+itoa64(s[7]), nil)
	check("after 0", "?after=0", s)
	check("limit", "?limit=3", s[:3])
	check("limit over the count", "?limit=100", s)
	check("after and limit", "?after="+itoa64(s[1])+"&limit=2", s[2:4])
	check("conversions", "?type=conversion", conversions)
	check("conversions after the first", "?type=conversion&after="+itoa64(conversions[0])+"&limit=2", conversions[1:3])
	check("empty values are left out", "?after=&limit=&type=", s)

	for _, tt := range []struct{ name, query, code, field string }{
		{"negative after", "?after=-1", "invalid_after", "after"},
		{"after not a number", "?after=abc", "invalid_after", "after"},
		{"limit 0", "?limit=0", "invalid_limit", "limit"},
		{"limit not a number", "?limit=1.5", "invalid_limit", "limit"},
		{"unknown type", "?type=recording", "invalid_type", "type"},
		{"unknown parameter", "?offset=2", "unknown_parameter", "offset"},
		{"repeated parameter", "?after=1&after=2", "repeated_parameter", "after"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{base, base + ".csv"} {
				resp, out := e.api(http.MethodGet, path+tt.query, tok, "")
				wantStatus(t, resp, http.StatusBadRequest, "")
				if code, field := errorShape(t, out); code != tt.code || field != tt.field {
					t.Errorf("%s%s: %s on %q, want %s on %q", path, tt.query, code, field, tt.code, tt.field)
				}
			}
		})
	}
}

// TestH8EventsExportPages: with pages smaller than the experiment, the
// export reads page after page and gives every event once, in order,
// whatever the limit and the type; both formats.
func TestH8EventsExportPages(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	old := eventsExportPage
	eventsExportPage = 3
	t.Cleanup(func() { eventsExportPage = old })
	for i := range 10 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, "b", i%3 == 0)), http.StatusNoContent, "")
	}
	var want []int64
	if err := func() error {
		rows, err := e.store.Reader().Query(`select seq from events where experiment_id = ? order by seq`, x.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s int64
			if err := rows.Scan(&s); err != nil {
				return err
			}
			want = append(want, s)
		}
		return rows.Err()
	}(); err != nil {
		t.Fatal(err)
	}
	if len(want) != 14 {
		t.Fatalf("%d events stored, want 14", len(want))
	}
	base := "/api/v1/experiments/" + x.ID + "/events"
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"", want},
		{"?limit=7", want[:7]},
		{"?limit=6", want[:6]}, // a limit that ends on a page's end
		{"?after=" + itoa64(want[4]) + "&limit=5", want[5:10]},
		{"?type=exposure&limit=9", nil}, // filled below
	} {
		if tt.query == "?type=exposure&limit=9" {
			_, lines, _ := getExport(t, e, tok, base+"?type=exposure")
			if len(lines) != 10 {
				t.Fatalf("%d exposures, want 10", len(lines))
			}
			tt.want = seqs(lines)[:9]
		}
		resp, lines, raw := getExport(t, e, tok, base+tt.query)
		wantStatus(t, resp, http.StatusOK, raw)
		if got := seqs(lines); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: seqs %v, want %v", tt.query, got, tt.want)
		}
		// The CSV has the same rows.
		req := newRequest(http.MethodGet, base+".csv"+tt.query, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		cresp := e.do(req)
		rows, err := csv.NewReader(strings.NewReader(readBody(t, cresp))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(tt.want)+1 {
			t.Errorf("%s: the CSV has %d rows, want a header and %d", tt.query, len(rows), len(tt.want))
			continue
		}
		for i, r := range rows[1:] {
			if r[0] != itoa64(tt.want[i]) {
				t.Errorf("%s: CSV row %d has seq %s, want %d", tt.query, i+1, r[0], tt.want[i])
			}
		}
	}
}

// TestH8EventsExportAnswers: a draft has no events (an empty 200), an
// unknown id is the API's 404, and without a token the API's 401.
func TestH8EventsExportAnswers(t *testing.T) {
	e, tok, site, _ := exportEnv(t)
	draft := e.experiment(site.ID, "Draft")
	for _, path := range []string{"/api/v1/experiments/" + draft.ID + "/events", "/api/v1/experiments/" + draft.ID + "/events.csv"} {
		resp, _, raw := getExport(t, e, tok, path)
		wantStatus(t, resp, http.StatusOK, raw)
		want := ""
		if strings.HasSuffix(path, ".csv") {
			want = strings.Join(eventsColumns, ",") + "\n"
		}
		if raw != want {
			t.Errorf("%s: body %q, want %q", path, raw, want)
		}
	}
	for _, path := range []string{"/api/v1/experiments/0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b/events", "/api/v1/experiments/0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b/events.csv"} {
		resp, out := e.api(http.MethodGet, path, tok, "")
		wantStatus(t, resp, http.StatusNotFound, "")
		if code, _ := errorShape(t, out); code != "not_found" {
			t.Errorf("%s: code %s", path, code)
		}
		if msg := out["error"].(map[string]any)["message"]; msg != "No experiment has this id." {
			t.Errorf("%s: message %q", path, msg)
		}
	}
	for _, path := range []string{"/api/v1/experiments/" + draft.ID + "/events", "/api/v1/experiments/" + draft.ID + "/events.csv"} {
		resp, out := e.api(http.MethodGet, path, "", "")
		wantStatus(t, resp, http.StatusUnauthorized, "")
		if code, _ := errorShape(t, out); code != "unauthorized" {
			t.Errorf("%s: code %s", path, code)
		}
	}
}

// TestH8EventsCSV: the CSV download, from the API and from the results
// page, is an attachment named like the other exports, with a header
// row of the NDJSON's names, and a visitor id or campaign that a
// spreadsheet would run as a formula comes out as text (csvText).
func TestH8EventsCSV(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	c := e.signIn("ann@example.com")
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "=HYPERLINK(\"https://evil.example\")", "events": []map[string]any{
		{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://example.com/pricing",
			"ts": 1732406400123, "matched": true, "utm": "@SUM(1+1)"},
	}})
	req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/events.csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp := e.do(req)
	api := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, api)
	if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="copylab-hero-events.csv"` {
		t.Errorf("Content-Disposition %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	pageResp, page := c.get("/experiments/" + x.ID + "/events.csv")
	wantStatus(t, pageResp, http.StatusOK, page)
	if page != api {
		t.Errorf("the results page's file differs from the API's:\n%s\n%s", page, api)
	}
	rows, err := csv.NewReader(strings.NewReader(api)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !reflect.DeepEqual(rows[0], eventsColumns) {
		t.Fatalf("rows %q", rows)
	}
	row := map[string]string{}
	for i, name := range rows[0] {
		row[name] = rows[1][i]
	}
	for name, want := range map[string]string{
		"visitor": `'=HYPERLINK("https://evil.example")`, "utm_source": "'@SUM(1+1)", "type": "exposure", "variant": "b",
		"sent_variant": "b", "first": "true",
		"client_ts": "2024-11-24T00:00:00.123Z", "matched": "true", "bot": "false", "counted": "true", "ignored": "", "goal": "",
		"country": "DE",
	} {
		if row[name] != want {
			t.Errorf("%s = %q, want %q", name, row[name], want)
		}
	}
	if !apiTimeRe.MatchString(row["received_at"]) {
		t.Errorf("received_at %q", row["received_at"])
	}
	// Signed out, the page's download is the sign-in, as every page.
	out, _ := e.client().get("/experiments/" + x.ID + "/events.csv")
	if out.StatusCode == http.StatusOK {
		t.Error("a signed-out visitor got the events")
	}
}

// TestH8EventsExportClientGone: a client that hangs up mid-export ends
// it: copylab reads no page past the one it could not send (the server
// logs where it stopped, at debug level), rather than reading on to the
// end of an experiment nobody is downloading any more. Through a real
// socket, which app.Test cannot close early.
func TestH8EventsExportClientGone(t *testing.T) {
	logs := &syncBuffer{}
	e := newEnvConfig(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	tok := e.token("api@example.com")
	site, x := e.runningExperiment()
	bulkResults(t, e.store, site, x, bulkSpec{Events: 30000, Start: time.Now().UTC().AddDate(0, 0, -1).Truncate(24 * time.Hour),
		Days: 2, Seed: 3, Rates: map[string]float64{"control": 0.1, "b": 0.1}})
	var last int64
	if err := e.store.Reader().QueryRow(`select max(seq) from events where experiment_id = ?`, x.ID).Scan(&last); err != nil {
		t.Fatal(err)
	}
	old := eventsExportPage
	eventsExportPage = 10
	t.Cleanup(func() { eventsExportPage = old })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Fiber().Listener(ln)
	t.Cleanup(func() { e.app.Fiber().ShutdownWithTimeout(5 * time.Second) })
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET /api/v1/experiments/%s/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", x.ID, tok)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp, http.StatusOK, "")
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, `{"seq":`) {
		t.Fatalf("first line %q: %v", line, err)
	}
	conn.Close() // with the rest unread

	re := regexp.MustCompile(`the client went away.* read_to_seq=(\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			t.Logf("stopped after seq %s of %d", m[1], last)
			if seq, _ := strconv.ParseInt(m[1], 10, 64); seq >= last {
				t.Errorf("the export read to seq %d of %d before it noticed", seq, last)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the export did not notice the client had gone; logs:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
