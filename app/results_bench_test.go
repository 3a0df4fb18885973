package app

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// benchResultsEvents is the size of BenchmarkResults's experiment: 200,000
// events by default (quick enough for CI), or COPYLAB_BENCH_EVENTS, such as
// 10000000 to check the budget of 100 ms at ten million events.
func benchResultsEvents(b *testing.B) int {
	if v := os.Getenv("COPYLAB_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			b.Fatalf("COPYLAB_BENCH_EVENTS=%q: want a number of events", v)
		}
		return n
	}
	return 200_000
}

// BenchmarkResults measures the results end to end, through the Fiber app
// (routing, middleware, session or token, the report, rendering), for an
// experiment with many events over 30 days:
//
//	go test ./app -run '^$' -bench BenchmarkResults -benchtime 50x
//	COPYLAB_BENCH_EVENTS=10000000 go test ./app -run '^$' -bench BenchmarkResults -benchtime 50x -timeout 30m
//
// The database is built in its final shape by bulkResults (events, visitor
// rows and aggregates), in seconds rather than the minutes Ingest takes.
func BenchmarkResults(b *testing.B) {
	ctx := context.Background()
	a, store, path := benchApp(b)
	site, exp := resultsFixture(b, store, "Hero", "Original headline", "New headline", "Third headline")

	n := benchResultsEvents(b)
	start := time.Now()
	bulkResults(b, store, site, exp, bulkSpec{Events: n, Start: time.Now().AddDate(0, 0, -30), Days: 30, Seed: 1,
		Rates: map[string]float64{"control": 0.05, "b": 0.055, "c": 0.049}})
	build := time.Since(start)
	var events int64
	if err := store.Reader().QueryRow(`select count(*) from events where experiment_id = ?`, exp.ID).Scan(&events); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.Logf("built %d events in %v (%.0f events/s), file %d MB", events, build.Round(time.Millisecond),
		float64(events)/build.Seconds(), info.Size()>>20)

	token, err := CreateToken(ctx, store, benchSignUp(b, store), "bench")
	if err != nil {
		b.Fatal(err)
	}
	cookies := benchSignIn(b, a)
	for _, tc := range []struct {
		name, path string
		api        bool
	}{
		{"api", "/api/v1/experiments/" + exp.ID + "/results", true},
		{"page", "/experiments/" + exp.ID + "/results", false},
		{"live", "/experiments/" + exp.ID + "/results/live", false},
		{"trends", "/experiments/" + exp.ID + "/results/trends", false},
		{"csv", "/experiments/" + exp.ID + "/results.csv", false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				bearer := ""
				if tc.api {
					bearer = token
				}
				status, body := benchGet(b, a, tc.path, bearer, cookies)
				if status != http.StatusOK {
					b.Fatalf("%s: status %d: %.300s", tc.path, status, body)
				}
				size = len(body)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// benchGet is one GET through the app, with a bearer token ("" for none)
// and cookies.
func benchGet(b *testing.B, a *App, path, token string, cookies []*http.Cookie) (int, []byte) {
	req, _ := http.NewRequest(http.MethodGet, testPublicURL+path, nil)
	// From a loopback client (through benchApp's trusted proxy): the share
	// pages' per-address limit, made for a person, lets a loop from any
	// other address have a request every half second.
	req.Header.Set("X-Forwarded-For", "127.0.0.1")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := a.Fiber().Test(req, -1)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// benchApp is a benchmark's app on its own database file, closed when the
// benchmark ends.
func benchApp(b *testing.B) (*App, *experiments.Store, string) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "copylab.db")
	store, err := experiments.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	b.Cleanup(func() {
		ing.Close(ctx)
		store.Close()
	})
	a, err := newApp(Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler),
		TrustedProxies: []string{"0.0.0.0/32"}}.withDefaults(), store, ing)
	if err != nil {
		b.Fatal(err)
	}
	return a, store, path
}

// resultsFixture makes a site and a running experiment with the given
// copy, the control first and a click goal.
func resultsFixture(tb testing.TB, s *experiments.Store, name string, texts ...string) (experiments.Site, experiments.Experiment) {
	tb.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		tb.Fatal(err)
	}
	var vs []experiments.Variant
	for _, t := range texts {
		vs = append(vs, experiments.Variant{Text: t})
	}
	e, err := s.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: name, Page: "/pricing",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		CoverageBP: 10000, Variants: vs})
	if err != nil {
		tb.Fatal(err)
	}
	if e, err = s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		tb.Fatal(err)
	}
	return site, e
}

// benchSignUp adds the benchmark's user and returns their email.
func benchSignUp(tb testing.TB, s *experiments.Store) string {
	tb.Helper()
	const email = "bench@example.com"
	if _, _, err := addUser(context.Background(), s, email, "", testPassword, bcrypt.MinCost); err != nil {
		tb.Fatal(err)
	}
	return email
}

// benchSignIn signs the benchmark's user in through the login form and
// returns the session's cookies.
func benchSignIn(tb testing.TB, a *App) []*http.Cookie {
	tb.Helper()
	jar := map[string]*http.Cookie{}
	send := func(req *http.Request) string {
		for _, c := range jar {
			req.AddCookie(c)
		}
		resp, err := a.Fiber().Test(req, -1)
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range resp.Cookies() {
			jar[c.Name] = c
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(body)
	}
	req, _ := http.NewRequest(http.MethodGet, testPublicURL+"/login", nil)
	m := csrfRe.FindStringSubmatch(send(req))
	if m == nil {
		tb.Fatal("no CSRF token on the login page")
	}
	form := url.Values{"email": {"bench@example.com"}, "password": {testPassword}, "_csrf": {html.UnescapeString(m[1])}}
	req, _ = http.NewRequest(http.MethodPost, testPublicURL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	send(req)
	var out []*http.Cookie
	for _, c := range jar {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// BenchmarkExperimentsList measures GET /experiments with 100 started
// experiments, each with results: the first page of the list shows 50 of
// them, each with its counts, then the statistics and the verdict of the
// list's Result column:
//
//	go test ./app -run '^$' -bench BenchmarkExperimentsList -benchtime 50x
func BenchmarkExperimentsList(b *testing.B) {
	a, store, _ := benchApp(b)
	for i := range 100 {
		site, exp := resultsFixture(b, store, "Hero "+strconv.Itoa(i), "Original headline", "New headline", "Third headline")
		bulkResults(b, store, site, exp, bulkSpec{Events: 2000, Start: time.Now().AddDate(0, 0, -7), Days: 7, Seed: uint64(i),
			Rates: map[string]float64{"control": 0.05, "b": 0.06, "c": 0.049}})
	}
	benchSignUp(b, store)
	cookies := benchSignIn(b, a)
	// cold: every verdict computed (new visitors everywhere); warm: from
	// the verdict cache (no new visitors since the last view).
	for _, cold := range []bool{true, false} {
		b.Run(map[bool]string{true: "cold", false: "warm"}[cold], func(b *testing.B) {
			var size int
			for b.Loop() {
				if cold {
					a.verdicts = verdictCache{}
				}
				status, body := benchGet(b, a, "/experiments", "", cookies)
				if status != http.StatusOK || strings.Count(string(body), "verdict-chip") != listPageSize {
					b.Fatalf("status %d, %d verdicts: %.300s", status, strings.Count(string(body), "verdict-chip"), body)
				}
				size = len(body)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// BenchmarkResultsYoung measures the results of a young test, read 36
// hours after its first UTC day began: with about 200,000 visitors that
// day, past hourlyMaxVisitors, and with about 9,900, under it, where the
// charts count hours (addHours), read from every visitor's row rather
// than from the daily aggregate:
//
//	go test ./app -run '^$' -bench BenchmarkResultsYoung -benchtime 50x
func BenchmarkResultsYoung(b *testing.B) {
	// About 2.1 events a visitor (page views, conversions).
	for _, events := range []int{426_000, 21_000} {
		a, store, _ := benchApp(b)
		site, exp := resultsFixture(b, store, "Hero", "Original headline", "New headline", "Third headline")
		day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
		bulkResults(b, store, site, exp, bulkSpec{Events: events, Start: day, Days: 1, Seed: 1,
			Rates: map[string]float64{"control": 0.05, "b": 0.055, "c": 0.049}})
		var visitors int64
		if err := store.Reader().QueryRow(`select count(*) from experiment_visitors where experiment_id = ?`, exp.ID).Scan(&visitors); err != nil {
			b.Fatal(err)
		}
		now := day.Add(36 * time.Hour)
		a.now = func() time.Time { return now }

		benchSignUp(b, store)
		cookies := benchSignIn(b, a)
		for _, tc := range []struct{ name, path string }{
			{"page", "/experiments/" + exp.ID + "/results"},
			{"trends", "/experiments/" + exp.ID + "/results/trends"},
			{"share", "/r/" + exp.ShareToken},
		} {
			b.Run(fmt.Sprintf("%dk/%s", (visitors+500)/1000, tc.name), func(b *testing.B) {
				var size int
				for b.Loop() {
					status, body := benchGet(b, a, tc.path, "", cookies)
					if status != http.StatusOK {
						b.Fatalf("%s: status %d: %.300s", tc.path, status, body)
					}
					size = len(body)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
}
