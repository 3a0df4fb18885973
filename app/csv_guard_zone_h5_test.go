package app

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// TestCSVDailyDayUTC: the daily CSV's first column names its zone, on
// every route that serves the file (the page's, the API's, the share
// link's), and its cells are the UTC dates of the visits: a team in Tokyo
// or California must not read UTC days as its own.
func TestCSVDailyDayUTC(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	c := e.signIn("ann@example.com")
	before := time.Now().UTC().Format(time.DateOnly)
	for _, v := range []string{"control", "b"} {
		postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "visitor-" + v, "events": []map[string]any{
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": v,
				"url": "https://example.com/pricing"},
		}})
	}
	after := time.Now().UTC().Format(time.DateOnly)
	// The results page's button says so before the file is opened.
	_, page := c.get("/experiments/" + x.ID + "/results")
	wantContains(t, page, "download>Daily numbers as CSV (UTC days)</a>")
	want := []string{"day_utc", "key", "exposures", "conversions", "cumulative_exposures", "cumulative_conversions",
		"cumulative_rate", "cumulative_rate_interval_low", "cumulative_rate_interval_high"}
	for _, tc := range []struct {
		name  string
		fetch func() (*http.Response, string)
	}{
		{"page", func() (*http.Response, string) { return c.get("/experiments/" + x.ID + "/daily.csv") }},
		{"api", func() (*http.Response, string) {
			req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/daily.csv", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp := e.do(req)
			return resp, readBody(t, resp)
		}},
		{"share", func() (*http.Response, string) { return e.client().get("/r/" + x.ShareToken + "/daily.csv") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.fetch()
			wantStatus(t, resp, http.StatusOK, body)
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Fatalf("%d rows, want a header and two (%v):\n%s", len(rows), err, body)
			}
			if got := strings.Join(rows[0], ","); got != strings.Join(want, ",") {
				t.Errorf("header %s, want %s", got, strings.Join(want, ","))
			}
			for _, r := range rows[1:] {
				if r[0] != before && r[0] != after {
					t.Errorf("day cell %q, want the UTC date %s", r[0], after)
				}
			}
		})
	}
}

// formulaLike says whether a spreadsheet that trims spaces could read
// cell as a formula: its first character past any whitespace is one of
// = + - @, and no ' guards it.
func formulaLike(cell string) bool {
	t := strings.TrimLeftFunc(cell, unicode.IsSpace)
	return t != "" && strings.ContainsRune("=+-@", rune(t[0])) && !strings.HasPrefix(cell, "'")
}

// TestCSVGuardLeadingSpace: a visitor id with whitespace before a formula
// (a space, a tab, a no-break space, an ideographic space) is exported
// with the leading ' as one without, in the page's and the API's
// events.csv; an id with a formula sign later, or none, is left as sent.
// Every other cell of every export (results.csv, daily.csv, events.csv)
// that reads as a formula past its spaces is guarded too, and numbers
// stay bare.
func TestCSVGuardLeadingSpace(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	c := e.signIn("ann@example.com")
	visitors := []struct{ id, want string }{
		{" =2+2", "' =2+2"},
		{"   +SUM(A1)", "'   +SUM(A1)"},
		{"\u00a0=2+2", "'\u00a0=2+2"},
		{"\u3000@SUM(A1)", "'\u3000@SUM(A1)"},
		{" \u2003-1+2", "' \u2003-1+2"},
		{"=1", "'=1"},
		{"a =1", "a =1"},
		{" plain", " plain"},
		{"visitor-7", "visitor-7"},
	}
	for _, v := range visitors {
		postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": v.id, "events": []map[string]any{
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": "b",
				"url": "https://example.com/pricing", "utm": "\u00a0=HYPERLINK(\"x\")"},
		}})
	}

	check := func(name, body string) {
		t.Helper()
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %d rows (%v):\n%s", name, len(rows), err, body)
		}
		for i, r := range rows {
			for j, cell := range r {
				if _, err := strconv.ParseFloat(cell, 64); err == nil {
					continue // a number, written by copylab: it keeps its sign
				}
				if formulaLike(cell) {
					t.Errorf("%s: row %d, %s = %q reads as a formula", name, i, rows[0][j], cell)
				}
			}
		}
	}
	for _, tc := range []struct {
		name, path string
		api        bool
	}{
		{"page", "/experiments/" + x.ID + "/events.csv", false},
		{"api", "/api/v1/experiments/" + x.ID + "/events.csv", true},
	} {
		t.Run("events "+tc.name, func(t *testing.T) {
			var resp *http.Response
			var body string
			if tc.api {
				req := newRequest(http.MethodGet, tc.path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp = e.do(req)
				body = readBody(t, resp)
			} else {
				resp, body = c.get(tc.path)
			}
			wantStatus(t, resp, http.StatusOK, body)
			check(tc.path, body)
			rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll()
			col := -1
			for j, h := range rows[0] {
				if h == "visitor" {
					col = j
				}
			}
			if col < 0 {
				t.Fatalf("no visitor column: %q", rows[0])
			}
			got := map[string]bool{}
			for _, r := range rows[1:] {
				got[r[col]] = true
			}
			for _, v := range visitors {
				if !got[v.want] {
					t.Errorf("visitor %q: no cell %q among %v", v.id, v.want, got)
				}
			}
		})
	}
	for _, kind := range []string{"results", "daily"} {
		t.Run(kind, func(t *testing.T) {
			path := "/experiments/" + x.ID + "/" + kind + ".csv"
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			check(path, body)
		})
	}
}
