// Package browsertest runs tests in a real, headless Chromium: one browser
// per test binary, shared by all its tests, and a fresh tab with its own
// storage for each test.
//
// Use it from a package's tests like this:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		ctx := browsertest.NewTab(t) // skips when there is no Chromium
//		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil { … }
//	}
//
// Start test servers on 127.0.0.1 (httptest does); the browser runs with
// background networking off and reaches nothing else.
//
// A test skips when no Chromium is installed, unless the environment
// variable CI is set: then it fails, so CI cannot pass by skipping. Install
// Chromium with `apt-get install -y chromium`, or point COPYLAB_CHROMIUM at
// a Chrome or Chromium binary.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TabTimeout bounds each tab's context, so that a stuck page fails its test
// instead of hanging the binary. It counts from NewTab to the test's end,
// server set-up included: a long test took 44 s of a minute on a busy
// 2-core machine under -race, hence the room.
const TabTimeout = 3 * time.Minute

// shared is the browser of this test binary, started on first use.
var shared struct {
	once       sync.Once
	ctx        context.Context // the browser's chromedp context
	cancel     func()          // stops the browser
	cancelAloc func()          // stops the allocator and removes its profile
	err        error
}

// ExecPath returns the browser binary to run, or "" when none is found:
// $COPYLAB_CHROMIUM when set (and "" when that file does not exist), else
// Debian's Chromium (the binary itself, which skips the wrapper script and
// its warning), else chromium, google-chrome or chrome on the PATH.
func ExecPath() string {
	if p := os.Getenv("COPYLAB_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// start launches the shared browser. chromedp gives it a fresh, temporary
// --user-data-dir and removes it when the allocator stops.
func start() {
	path := ExecPath()
	if path == "" {
		shared.err = errNoBrowser
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless, no-first-run, no background networking, no sync
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Do starts the browser. Its context has no deadline: the
	// browser lives as long as the test binary, until Main stops it.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		shared.err = fmt.Errorf("browsertest: start %s: %w", path, err)
		return
	}
	shared.ctx, shared.cancel, shared.cancelAloc = ctx, cancel, cancelAlloc
}

var errNoBrowser = errors.New("browsertest: no Chromium found (apt-get install -y chromium, or set COPYLAB_CHROMIUM)")

// Main runs the tests of a package and then stops the shared browser, if
// one started. Call it from TestMain and exit with its result.
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the shared browser and removes its profile. Main calls it; a
// package that cannot use Main can call it from its own TestMain.
func Stop() {
	if shared.cancel != nil {
		shared.cancel()
		shared.cancelAloc()
		shared.cancel = nil
	}
}

// NewTab returns the chromedp context of a new tab in the shared browser,
// starting the browser on first use. The tab has its own browser context
// (storage, cookies, cache), so tests running in parallel never see each
// other's state. It closes when the test ends, and TabTimeout bounds it.
//
// NewTab skips the test when there is no Chromium, or fails it when the
// environment variable CI is set.
func NewTab(t testing.TB) context.Context {
	t.Helper()
	shared.once.Do(start)
	if shared.err != nil {
		if errors.Is(shared.err, errNoBrowser) && os.Getenv("CI") == "" {
			t.Skip(shared.err)
		}
		t.Fatal(shared.err)
	}
	tab, cancelTab := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	// The first Do opens the tab, bound to tab (not to a deadline, which
	// would close it early); the deadline goes on a child context.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		t.Fatalf("browsertest: open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, TabTimeout)
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	// Runs before the cleanup above (cleanups run last first), while the
	// tab is still open: a test that failed on the tab's deadline says
	// where its page was, since the deadline's error says nothing of it.
	t.Cleanup(func() {
		if t.Failed() && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Logf("browsertest: the tab's %s ran out; its page then: %s", TabTimeout, PageState(tab))
		}
	})
	return ctx
}

// PageState describes a tab's page in one line, for a failure's message:
// its address, load state, focused element and the start of its visible
// text. It has a bound of its own, so it answers after the tab's deadline
// too, and says why when the page cannot be read.
func PageState(tab context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(tab), 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, ready: document.readyState,
		focus: (document.activeElement?.outerHTML || "").slice(0, 120),
		text: (document.body?.innerText || "").replace(/\s+/g, " ").slice(0, 300)})`))
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return s
}

// Exceptions collects the uncaught exceptions (and unhandled promise
// rejections) of the tab's pages from now on. Call the returned func to
// read them.
func Exceptions(t testing.TB, ctx context.Context) func() []string {
	t.Helper()
	return Console(t, ctx, func(m chromedp.ConsoleMessage) (string, bool) { return m.String(), m.IsException() })
}

// Warnings collects, from now on, the text of the tab's console.warn
// messages that contain part. Call the returned func to read them.
func Warnings(t testing.TB, ctx context.Context, part string) func() []string {
	t.Helper()
	return Console(t, ctx, func(m chromedp.ConsoleMessage) (string, bool) {
		return m.Text, m.Type == chromedp.ConsoleWarning && strings.Contains(m.Text, part)
	})
}

// Console collects, from now on, what keep returns for each message of
// the tab's console that it keeps. Call the returned func to read them.
func Console(t testing.TB, ctx context.Context, keep func(chromedp.ConsoleMessage) (string, bool)) func() []string {
	t.Helper()
	var (
		mu  sync.Mutex
		out []string
	)
	msgs := chromedp.Console(ctx) // subscribes now
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if s, ok := keep(m); ok {
				mu.Lock()
				out = append(out, s)
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}

// PersonUserAgent is a regular desktop Chrome user agent.
const PersonUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// AsPerson makes a tab look like a person's browser to copylab. copylab
// rightly counts automation as bots (headless Chromium names itself
// HeadlessChrome, and sets navigator.webdriver), so a test that checks
// counted exposures and conversions plays a person: a regular user agent
// and navigator.webdriver false, for every page the tab loads from now on.
func AsPerson(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
		emulation.SetUserAgentOverrideParams{UserAgent: PersonUserAgent}); err != nil {
		return fmt.Errorf("browsertest: user agent: %w", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(Navigator.prototype, "webdriver", {get: () => false})`,
	}); err != nil {
		return fmt.Errorf("browsertest: webdriver: %w", err)
	}
	return nil
}
