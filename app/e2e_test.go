package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// liveApp is copylab listening on a real 127.0.0.1 port, as Run serves it,
// for tests that need a browser or a real HTTP client.
type liveApp struct {
	base  string
	app   *App
	store *experiments.Store
}

// ownerToken adds the user owner@example.com to the live app and returns
// an API token of theirs named name.
func (l *liveApp) ownerToken(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, _, err := AddUser(ctx, l.store, "owner@example.com", "Owner", testPassword); err != nil {
		t.Fatal(err)
	}
	token, err := CreateToken(ctx, l.store, "owner@example.com", name)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func serveLive(t *testing.T) *liveApp {
	t.Helper()
	return serveLiveChanged(t, nil)
}

// serveLiveChanged is serveLive with the app changed by change, when not
// nil, before it listens (so that no request races the change).
func serveLiveChanged(t *testing.T, change func(*App)) *liveApp {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	store, err := experiments.Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	a, err := New(Config{Addr: ln.Addr().String(), DBPath: store.Path(), PublicURL: base, BcryptCost: 10,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler)}, store, ing)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(a)
	}
	go a.Fiber().Listener(ln)
	t.Cleanup(func() {
		a.Fiber().ShutdownWithTimeout(5 * time.Second)
		ing.Close(ctx)
		store.Close()
	})
	return &liveApp{base: base, app: a, store: store}
}

// call sends a JSON API request over real HTTP and decodes the answer.
func (l *liveApp) call(t *testing.T, method, path, token, body string, want int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, l.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, raw)
	}
	return out
}

// TestEndToEndCrossOrigin is the whole loop as a site would live it: an
// experiment created and started through the API, a host page on ANOTHER
// origin with a strict CSP and the tag in <head>, a visitor who sees the
// variant, signs in (identify) and clicks the goal, and one exposure and one
// conversion in the results API. Then a draft's QA link on the same page
// shows the draft's copy, loaded under that CSP, and counts nothing.
func TestEndToEndCrossOrigin(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	token := live.ownerToken(t, "e2e")

	site := live.call(t, "POST", "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example.com"}`, 201)
	siteID, siteKey := site["id"].(string), site["key"].(string)
	exp := live.call(t, "POST", "/api/v1/experiments", token, fmt.Sprintf(`{"site_id":%q,"name":"Landing headline",
		"page":"/landing*","selector":"[data-copylab=\"hero\"]","goal":{"type":"click","selector":"#buy"},
		"variants":[{"key":"control","text":"Original headline"},
		            {"key":"b","text":"Ship copy that converts"}]}`, siteID), 201)
	expID := exp["id"].(string)
	live.call(t, "POST", "/api/v1/experiments/"+expID+"/start", token, "", 200)
	// Then all traffic on variant b, so the test knows what the visitor
	// sees. (A test cannot start with none for the original.)
	live.call(t, "PATCH", "/api/v1/experiments/"+expID+"/variants/b", token, `{"weight_bp":10000}`, 200)

	// The host site: a different origin (another port), a strict CSP that
	// allows only copylab's origin for scripts and events.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+live.base+"; connect-src 'self' "+live.base+"; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="%s/s/%s.js"></script></head>
<body><h1 data-copylab="hero">Original headline</h1><button id="buy">Buy now</button></body></html>`, live.base, siteKey)
	}))
	defer host.Close()

	if err := browsertest.AsPerson(tab); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	if err := chromedp.Do(tab, chromedp.Navigate(host.URL+"/landing?utm_source=newsletter"), chromedp.WaitVisible(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	headline, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || headline != "Ship copy that converts" {
		t.Fatalf("headline %q (%v): the variant was not applied", headline, err)
	}
	// The tag batches events for up to a second; wait until they count
	// (30 s: the browser's timer, the POST, the ingest writer's batch and
	// its commit, under -race beside other browsers on a busy machine).
	waitB := func(what string, exposures, conversions float64) {
		t.Helper()
		var b map[string]any
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
			res := live.call(t, "GET", "/api/v1/experiments/"+expID+"/results", token, "", 200)
			for _, v := range res["variants"].([]any) {
				if v := v.(map[string]any); v["key"] == "b" {
					b = v
				}
			}
			if b["exposures"] == exposures && b["conversions"] == conversions {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("variant b %s: %v, want %v exposures and %v conversions", what, b, exposures, conversions)
			}
		}
	}
	waitB("after one visit", 1, 0)

	// The visitor signs up: the site identifies them, they see the page
	// again and click. Still one visitor, now converted: the events after
	// identify join the exposure sent before it.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`copylab.identify("user-42")`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(host.URL+"/landing"), chromedp.WaitVisible(chromedp.CSS("#buy")),
		chromedp.Click(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	waitB("after sign-in, a second view and a click", 1, 1)

	// A new draft on the same element, checked on the real page before it
	// starts: its QA link loads the QA build from copylab's origin under
	// the host's CSP, shows the draft's copy over the running test's, and
	// sends nothing.
	draft := live.call(t, "POST", "/api/v1/experiments", token, fmt.Sprintf(`{"site_id":%q,"name":"Next headline",
		"page":"/landing*","selector":"[data-copylab=\"hero\"]","goal":{"type":"click","selector":"#buy"},
		"variants":[{"key":"control","text":"Original headline"},{"key":"b","text":"Draft headline"}]}`, siteID), 201)
	draftID := draft["id"].(string)
	if err := chromedp.Do(tab, chromedp.Navigate(host.URL+"/landing?copylab="+draftID+":b")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("h1").textContent == "Draft headline"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		headline, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
		t.Fatalf("the draft's QA link shows %q: %v", headline, err)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // past the tag's batching, had it sent anything
	waitB("after a preview of another experiment", 1, 1)
	res := live.call(t, "GET", "/api/v1/experiments/"+draftID+"/results", token, "", 200)
	for _, v := range res["variants"].([]any) {
		if v := v.(map[string]any); v["exposures"] != 0.0 || v["conversions"] != 0.0 {
			t.Errorf("the draft's preview counted %v", v)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the host page threw: %v", ex)
	}
}

// TestMain stops the shared browser after the package's tests.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
