package snippet_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static"
	"copylab/static/browsertest"
)

// TestLongURLsFitABatch: a full queue of events from a page with a very
// long URL, referrer and utm_source still goes out, in one request. The
// tag cuts each to what the server keeps (the URL to 2,048 characters,
// utm_source to 128, the referrer, of which the server keeps only the
// host, to 128), so 20 events stay within the 64 KiB that keepalive
// fetch and sendBeacon carry; uncut, both refuse the batch every time
// and the visitor's queue never empties.
func TestLongURLsFitABatch(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	x := heroExperiment("/pricing*", 0, 10000, 0)
	x.Goal = static.SnippetGoal{Type: "event", Value: "signup"}
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{x}})
	ref := "https://ref.example/" + strings.Repeat("r", 10000)
	s.page("/pricing", `<script>Object.defineProperty(document, "referrer", {value: `+jsString(ref)+`})</script>`+tag,
		// The exposure, then 19 conversions in the same moment: one batch
		// of 20 events, each with the page's URL.
		`<h1 data-copylab="hero">`+original+`</h1><script>for (let i = 0; i < 19; i++) copylab.convert("signup")</script>`)
	utm := strings.Repeat("界", 200) // 3 bytes each in UTF-8, 9 characters percent-encoded
	page := s.URL + "/pricing?q=" + strings.Repeat("a", 10000) + "&utm_source=" + url.QueryEscape(utm)
	navigate(t, ctx, page)
	evs := s.waitEvents(20)
	if len(evs) != 20 {
		t.Fatalf("%d events, want 20", len(evs))
	}
	s.mu.Lock()
	posts := len(s.posts)
	s.mu.Unlock()
	if posts != 1 {
		t.Errorf("%d requests, want the 20 events in one", posts)
	}
	checkEvent(t, evs[0], "exposure", "b", "")
	for _, e := range evs[1:] {
		checkEvent(t, e, "conversion", "b", "signup")
	}
	for i, e := range evs {
		if e["url"] != page[:2048] {
			t.Errorf("event %d url: %d characters, want the page's first 2048", i, len(e["url"].(string)))
		}
	}
	if evs[0]["ref"] != ref[:128] {
		t.Errorf("ref: %d characters, want the referrer's first 128", len(evs[0]["ref"].(string)))
	}
	if want := strings.Repeat("界", 128); evs[0]["utm"] != want {
		t.Errorf("utm %q, want the first 128 characters of utm_source", evs[0]["utm"])
	}
	waitJS(t, ctx, `JSON.parse(localStorage.copylab).q.length == 0`)
	noExceptions(t, exceptions)
}

// TestIdentifyIgnoresNonIDs: identify takes a string or a number;
// anything else (an object, an array, NaN, a boolean, a function) changes
// nothing, where it once hashed "[object Object]" and the like, which put
// every visitor identified so in the same variant.
func TestIdentifyIgnoresNonIDs(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	// An experiment on another page: its assignment is the one identify
	// changes.
	other := heroExperiment("/other*", 3334, 3333, 3333)
	other.ID = "exp-two"
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0), other}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	keys := []string{"control", "b", "c"}
	assigned := func(id string) string {
		return keys[experiments.Assign(other.ID, id, []int{3334, 3333, 3333}, 10000)]
	}
	browser := eval[string](t, ctx, `JSON.parse(localStorage.copylab).v`)
	for _, arg := range []string{`{id: "user-1"}`, `["user-1"]`, `NaN`, `true`, `() => "user-1"`, `new String("user-1")`} {
		eval[any](t, ctx, `copylab.identify(`+arg+`)`)
		if u := eval[any](t, ctx, `JSON.parse(localStorage.copylab).u`); u != nil {
			t.Errorf("identify(%s) stored the id %q", arg, u)
		}
		if got := eval[string](t, ctx, `copylab.variant("exp-two")`); got != assigned(browser) {
			t.Errorf("identify(%s): variant %q, want %q (still the browser's id)", arg, got, assigned(browser))
		}
	}
	for _, c := range []struct{ arg, id string }{{`42`, "42"}, {`"user-7"`, "user-7"}} {
		eval[any](t, ctx, `copylab.identify(`+c.arg+`)`)
		if u := eval[any](t, ctx, `JSON.parse(localStorage.copylab).u`); u != c.id {
			t.Errorf("identify(%s) stored %v, want %q", c.arg, u, c.id)
		}
		if got := eval[string](t, ctx, `copylab.variant("exp-two")`); got != assigned(c.id) {
			t.Errorf("identify(%s): variant %q, want %q (the id hashed)", c.arg, got, assigned(c.id))
		}
	}
	noExceptions(t, exceptions)
}

// TestPrerender: a page that Chromium prerenders (here by speculation
// rules) shows the variant from the start, but stores and sends nothing
// while the visitor has not opened it: a prerendered page they never open
// must not count them. Once they open it, the exposure goes out, once.
//
// The tab is one that no DevTools session is attached to (Chromium does
// not prerender in a tab under DevTools): the opener page asks the test
// server when to follow the link, and both pages report to it.
func TestPrerender(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t) // for the browser; the test's tab is another
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	var (
		mu       sync.Mutex
		log      []string // what the pages reported, in order
		stored   string   // the opener's last reading of localStorage.copylab
		prerends atomic.Int32
		open     atomic.Bool
	)
	report := func(s string) {
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
	}
	s.page("/", `<script type="speculationrules">{"prerender": [{"source": "list", "urls": ["/pricing"]}]}</script>`,
		`<script>
			setInterval(async () => {
				const r = await fetch("/open?stored=" + encodeURIComponent(localStorage.copylab ?? "none"));
				if (await r.text() == "yes") location.href = "/pricing";
			}, 100);
		</script>`)
	s.mux.HandleFunc("GET /open", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stored = r.URL.Query().Get("stored")
		mu.Unlock()
		if open.Load() {
			io.WriteString(w, "yes")
		}
	})
	s.mux.HandleFunc("GET /report", func(w http.ResponseWriter, r *http.Request) { report(r.URL.Query().Get("m")) })
	pricing := "<!doctype html><html><head><meta charset=utf-8>" + tag + `<script>
		const report = (m) => fetch("/report?m=" + encodeURIComponent(m));
		report("start prerendering=" + document.prerendering);
		document.addEventListener("prerenderingchange", () =>
			report("opened: " + document.querySelector('` + hero + `').textContent));
	</script></head><body><h1 data-copylab="hero">` + original + `</h1></body></html>`
	s.mux.HandleFunc("GET /pricing", func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Sec-Purpose"), "prerender") {
			prerends.Add(1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, pricing)
	})

	bc, err := chromedp.CallBrowser(ctx, target.CreateBrowserContext, target.CreateBrowserContextParams{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		chromedp.CallBrowser(ctx, target.DisposeBrowserContext, target.DisposeBrowserContextParams{BrowserContextID: bc.BrowserContextID})
	})
	tab, err := chromedp.CallBrowser(ctx, target.CreateTarget, target.CreateTargetParams{URL: s.URL + "/", BrowserContextID: bc.BrowserContextID})
	if err != nil {
		t.Fatal(err)
	}
	logged := func(prefix string) bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.ContainsFunc(log, func(s string) bool { return strings.HasPrefix(s, prefix) })
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("waited for %s; the pages reported %q", what, log)
			}
		}
	}
	waitFor("the prerendered page", func() bool { return logged("start") })
	if prerends.Load() != 1 || !logged("start prerendering=true") {
		t.Fatalf("Chromium did not prerender /pricing (%d prerender requests; the page reported %q)", prerends.Load(), log)
	}
	// Prerendered, not opened: past the batching second and the hide
	// timeout, nothing was sent or stored.
	time.Sleep(2500 * time.Millisecond)
	if evs := s.events(); len(evs) != 0 {
		t.Errorf("sent while prerendered: %v", evs)
	}
	mu.Lock()
	if stored != "none" {
		t.Errorf("stored while prerendered: %s", stored)
	}
	mu.Unlock()

	open.Store(true)
	waitFor("the visitor to open the page", func() bool { return logged("opened") })
	if !logged("opened: " + textB) {
		t.Errorf("the opened page reported %q, want the variant's copy", log)
	}
	s.waitEvents(1)
	chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: tab.TargetID})
	time.Sleep(300 * time.Millisecond)
	evs := s.events()
	if len(evs) != 1 {
		t.Fatalf("events %v, want one exposure", evs)
	}
	checkEvent(t, evs[0], "exposure", "b", "")
	if evs[0]["url"] != s.URL+"/pricing" {
		t.Errorf("exposure url %v, want %s/pricing", evs[0]["url"], s.URL)
	}
}

// TestVariantIDCase: copylab.variant takes the experiment's id in any
// case, and a value that is not a string finds nothing, without an error.
func TestVariantIDCase(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	got := eval[[]any](t, ctx, `[copylab.variant("`+expID+`"), copylab.variant("`+strings.ToUpper(expID)+`"),
		copylab.variant(12), copylab.variant({}), copylab.variant()]`)
	if want := []any{"b", "b", nil, nil, nil}; !slices.Equal(got, want) {
		t.Errorf("variant(id, ID, 12, {}, nothing) = %v, want %v", got, want)
	}
	// The page view goes on: a re-render still gets the variant.
	eval[any](t, ctx, `document.querySelector('`+hero+`').textContent = "reset"`)
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textB))
	noExceptions(t, exceptions)
}
