package snippet_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/static"
	"copylab/static/browsertest"
)

// The guarded async install (static.GuardedTag): the page's inline script
// hides <html> with the class copylab-wait, the async tag built for
// ?guard=1 takes it off once it has run, and the inline timer takes it off
// after static.GuardTimeoutMS whatever happens.

// guardProbeJS runs first in the page. At every frame (requestAnimationFrame
// runs right before a paint) it notes whether the page is hidden (the
// computed opacity of <html>) and whether the tested element shows its
// original copy: visible, in a page that is not hidden. A MutationObserver
// dates when the guard's class came and went on <html>, and when the
// tested element got other copy (ms after the navigation started). One
// observer sees both: changes made in one task (the tag's swap and its
// removal of the class) reach it in one call, at one time.
const guardProbeJS = `(function () {
  var ORIGINAL = "Original headline", h = document.documentElement;
  var p = (window.__guard = { frames: 0, hiddenFrames: 0, shown: false, addedAt: null, unhiddenAt: null, swapAt: null, violations: 0, log: [] });
  document.addEventListener("securitypolicyviolation", function (e) {
    p.violations++;
    p.log.push(e.violatedDirective + " " + e.blockedURI);
  });
  new MutationObserver(function () {
    var now = performance.now(), on = h.classList.contains("copylab-wait"), el = document.querySelector('[data-copylab="hero"]');
    if (on && p.addedAt == null) p.addedAt = now;
    if (!on && p.addedAt != null && p.unhiddenAt == null) p.unhiddenAt = now;
    if (el && p.swapAt == null && el.textContent && el.textContent.indexOf(ORIGINAL) < 0) p.swapAt = now; // not the parser's empty element
  }).observe(h, { attributes: true, attributeFilter: ["class"], subtree: true, childList: true, characterData: true });
  function frame() {
    p.frames++;
    var hidden = getComputedStyle(h).opacity == "0", el = document.querySelector('[data-copylab="hero"]');
    if (hidden) p.hiddenFrames++;
    else if (el && getComputedStyle(el).visibility == "visible" && el.textContent.indexOf(ORIGINAL) >= 0) p.shown = true;
    if (p.frames < 2000) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();`

type guardProbe struct {
	Frames       int      `json:"frames"`
	HiddenFrames int      `json:"hiddenFrames"`
	Shown        bool     `json:"shown"`
	AddedAt      *float64 `json:"addedAt"`
	UnhiddenAt   *float64 `json:"unhiddenAt"`
	SwapAt       *float64 `json:"swapAt"`
	Violations   int      `json:"violations"`
	Log          []string `json:"log"`
}

// hidden is how long the page had the guard's class, in ms.
func (p guardProbe) hidden() float64 { return *p.UnhiddenAt - *p.AddedAt }

// tagDelay is how long the guard tests' tag takes to arrive: long enough
// for the browser to paint the page before it runs, well within the
// guard's timeout.
const tagDelay = 300 * time.Millisecond

// guardSite is a test site with the guard probe and the page /pricing,
// whose head is the probe then head, and whose hero shows the original
// copy. /slow/test.js serves tagJS after tagDelay.
func guardSite(t *testing.T, tagJS []byte, head string, headers ...string) *site {
	t.Helper()
	s := newSite(t, prod, static.SnippetConfig{Site: "test"})
	s.mux.HandleFunc("GET /guardprobe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, guardProbeJS)
	})
	s.mux.HandleFunc("GET /slow/test.js", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(tagDelay)
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(tagJS)
	})
	s.page("/pricing", `<script src="/guardprobe.js"></script>`+head,
		`<h1 data-copylab="hero">`+original+`</h1><p>`+repeat("Some text. ", 50)+`</p>`, headers...)
	return s
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// heroTag renders the tag of a site testing the hero (all visitors get
// b), as the guard build or not.
func heroTag(t *testing.T, guard bool) []byte {
	t.Helper()
	js, err := prod.Render(static.SnippetConfig{Site: "test", Guard: guard, Endpoint: "/e",
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 10000, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// waitGuard waits until the guard's class is gone (or fails after 10 s),
// lets a few frames pass, and returns the probe.
func waitGuard(t *testing.T, ctx context.Context) guardProbe {
	t.Helper()
	waitJS(t, ctx, `window.__guard && window.__guard.unhiddenAt != null`)
	time.Sleep(100 * time.Millisecond)
	return eval[guardProbe](t, ctx, `window.__guard`)
}

// TestGuardedAsyncTag: with the guarded install, a tag that arrives after
// the page could be painted still swaps the copy before the element is
// ever painted with the original, and the page shows as soon as the tag
// has run, not at the guard's timeout. The page runs under a CSP that
// allows the inline parts by their hashes only (static.GuardCSP): no
// violation. The controls show what each part prevents: the async tag
// alone flickers, and the guard with the tag built without ?guard=1 hides
// the page until the timeout.
func TestGuardedAsyncTag(t *testing.T) {
	t.Parallel()
	scriptHash, styleHash := static.GuardCSP()
	csp := "script-src 'self' " + scriptHash + "; style-src " + styleHash
	guarded := static.GuardedTag("/slow/test.js")

	t.Run("guard and guard build", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := guardSite(t, heroTag(t, true), guarded, "Content-Security-Policy", csp)
		// The page shows when the tag has run: in the task of its swap,
		// not at the guard's timeout. That can be told apart only when
		// the tag ran before the timeout was due, which a busy machine
		// may miss; such a page view is tried again.
		var p guardProbe
		for try := 1; ; try++ {
			navigate(t, ctx, s.URL+"/pricing")
			p = waitGuard(t, ctx)
			waitJS(t, ctx, `window.__guard.swapAt != null`)
			p = eval[guardProbe](t, ctx, `window.__guard`)
			if *p.SwapAt-*p.AddedAt < float64(static.GuardTimeoutMS)*0.9 || try == 3 {
				break
			}
			t.Logf("try %d: the tag ran %.0f ms after the page was hidden, too close to the guard's timeout to tell; again", try, *p.SwapAt-*p.AddedAt)
		}
		t.Logf("page hidden from %.0f ms to %.0f ms after navigation start, swapped at %.0f ms (tag delayed %v, guard timeout %d ms); %d frames, %d hidden",
			*p.AddedAt, *p.UnhiddenAt, *p.SwapAt, tagDelay, static.GuardTimeoutMS, p.Frames, p.HiddenFrames)
		if p.Shown {
			t.Errorf("the original copy was painted: %+v", p)
		}
		if p.HiddenFrames == 0 {
			t.Errorf("no frame was hidden: the guard did not hide the page before the tag ran: %+v", p)
		}
		if p.Violations > 0 {
			t.Errorf("CSP violations: %q", p.Log)
		}
		if *p.UnhiddenAt < float64(tagDelay.Milliseconds()) || *p.UnhiddenAt != *p.SwapAt || *p.SwapAt-*p.AddedAt >= float64(static.GuardTimeoutMS)*0.9 {
			t.Errorf("the page showed at %.0f ms, hidden for %.0f ms, and the tag swapped the copy at %.0f ms; want it shown as the tag ran (after %v), before the timeout (%d ms)",
				*p.UnhiddenAt, p.hidden(), *p.SwapAt, tagDelay, static.GuardTimeoutMS)
		}
		if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
			t.Errorf("hero %q %s, want %q visible", text, vis, textB)
		}
		onlyEvent(t, ctx, s, "exposure", "b", "")
		noExceptions(t, exceptions)
	})

	t.Run("control: the async tag alone flickers", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := guardSite(t, heroTag(t, true), `<script async src="/slow/test.js?guard=1"></script>`)
		navigate(t, ctx, s.URL+"/pricing")
		waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textB))
		if p := eval[guardProbe](t, ctx, `window.__guard`); !p.Shown {
			t.Errorf("without the guard the probe saw no original copy painted: %+v", p)
		}
	})

	t.Run("control: the tag without ?guard=1 leaves the page hidden until the timeout", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := guardSite(t, heroTag(t, false), guarded, "Content-Security-Policy", csp)
		navigate(t, ctx, s.URL+"/pricing")
		p := waitGuard(t, ctx)
		// The probe notes the class's coming and going in observer
		// callbacks, which a loaded machine may run some milliseconds
		// late: 987 ms was seen in CI for a 1,000 ms timer. A tenth's
		// slack still tells this apart from the guard build (under 800).
		if p.hidden() < float64(static.GuardTimeoutMS)*0.9 {
			t.Errorf("the page was hidden for %.0f ms, less than the guard's timeout, without the guard build", p.hidden())
		}
	})
}

// TestGuardTagFails: when the tag never comes (a server that accepts and
// never answers), is refused (404, as copylab answers an unknown site) or
// cannot connect, the guard's own timer shows the page, with its original
// copy, at the timeout, and nothing throws.
func TestGuardTagFails(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/s/test.js"
	l.Close()

	for _, c := range []struct{ name, src string }{
		{"never answers", "/hang/test.js"},
		{"404", "/gone/test.js"},
		{"connection refused", closed},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t)
			exceptions := browsertest.Exceptions(t, ctx)
			s := guardSite(t, nil, static.GuardedTag(c.src))
			// The hanging handler holds its request until the test ends
			// (this cleanup runs before the server's Close, which waits
			// for it).
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			s.mux.HandleFunc("GET /hang/test.js", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
				w.(http.Flusher).Flush() // headers sent, no body
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			s.mux.HandleFunc("GET /gone/test.js", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, "/* copylab: unknown site */\n")
			})
			// An async script holds the load event, which navigate waits
			// for: start the navigation and watch the page instead.
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: s.URL + "/pricing"}); err != nil {
				t.Fatal(err)
			}
			p := waitGuard(t, ctx)
			t.Logf("page hidden from %.0f ms to %.0f ms (guard timeout %d ms)", *p.AddedAt, *p.UnhiddenAt, static.GuardTimeoutMS)
			if h := p.hidden(); h < float64(static.GuardTimeoutMS)*0.9 || h > float64(static.GuardTimeoutMS)+500 {
				t.Errorf("the page was hidden for %.0f ms, want the guard's timeout (%d ms)", h, static.GuardTimeoutMS)
			}
			if text, vis := heroState(t, ctx); text != original || vis != "visible" {
				t.Errorf("hero %q %s, want the original copy, visible", text, vis)
			}
			if op := eval[string](t, ctx, `getComputedStyle(document.documentElement).opacity`); op != "1" {
				t.Errorf("the page's opacity is %s after the timeout, want 1", op)
			}
			noExceptions(t, exceptions)
		})
	}
}
