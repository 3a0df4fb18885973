package snippet_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
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
// removal of the class) reach it in one call, at one time. Once the guard
// has lifted, every frame that does not show the original copy, visible,
// counts in badFrames (the first in bad); and tagAt dates the load event
// of the tag's script, which fires once it has run.
const guardProbeJS = `(function () {
  var ORIGINAL = "Original headline", h = document.documentElement;
  var p = (window.__guard = { frames: 0, hiddenFrames: 0, shown: false, addedAt: null, unhiddenAt: null, swapAt: null, tagAt: null, liftedFrames: 0, badFrames: 0, bad: "", violations: 0, log: [] });
  document.addEventListener("load", function (e) {
    if (e.target.tagName == "SCRIPT" && /test\.js/.test(e.target.src)) p.tagAt = performance.now();
  }, true);
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
    var orig = el && getComputedStyle(el).visibility == "visible" && el.textContent.indexOf(ORIGINAL) >= 0;
    if (hidden) p.hiddenFrames++;
    else if (orig) p.shown = true;
    if (!hidden && p.unhiddenAt != null) {
      p.liftedFrames++;
      if (!orig && p.badFrames++ == 0) p.bad = (el ? getComputedStyle(el).visibility + " " + JSON.stringify(el.textContent) : "no element") + " at " + Math.round(performance.now()) + " ms";
    }
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
	TagAt        *float64 `json:"tagAt"`
	LiftedFrames int      `json:"liftedFrames"`
	BadFrames    int      `json:"badFrames"`
	Bad          string   `json:"bad"`
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
		// At its timeout the guard's script finds the class gone: it marks
		// nothing late and drops the class attribute the tag left empty.
		waitJS(t, ctx, `performance.now() > window.__guard.addedAt + `+strconv.Itoa(static.GuardTimeoutMS+200))
		if class := eval[any](t, ctx, `document.documentElement.getAttribute("class")`); class != nil {
			t.Errorf("<html> class %q after the guard's timeout, want no class attribute", class)
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
			// The upper bound allows a loaded machine's late timer (the race
			// tests run beside the browser); a page never shown fails anyway.
			if h := p.hidden(); h < float64(static.GuardTimeoutMS)*0.9 || h > float64(static.GuardTimeoutMS)+1500 {
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

// lateTagDelay is how long TestGuardLateTag's tag takes to arrive: half a
// second after the guard's timeout has shown the page.
const lateTagDelay = static.GuardTimeoutMS*time.Millisecond + 500*time.Millisecond

// oldGuardScript is the inline script of GuardedTag before it marked the
// page late at its timeout. Installs pasted before then keep it.
const oldGuardScript = `(function(h,c){h.classList.add(c);setTimeout(function(){h.classList.remove(c)},1000)})(document.documentElement,"copylab-wait")`

// lateGuardSite is guardSite with the tag at /late/test.js, which takes
// lateTagDelay to arrive.
func lateGuardSite(t *testing.T, head string, headers ...string) *site {
	t.Helper()
	s := guardSite(t, nil, head, headers...)
	tagJS := heroTag(t, true)
	s.mux.HandleFunc("GET /late/test.js", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(lateTagDelay)
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(tagJS)
	})
	return s
}

// waitLateTag loads /pricing of a site that lateGuardSite makes until the
// tag ran after the guard lifted (a loaded machine may run the guard's
// timer that late; such a page view is tried again, on a new site, so
// that no event of it counts), lets a few more frames pass, and returns
// the site and the probe.
func waitLateTag(t *testing.T, ctx context.Context, head string, headers ...string) (*site, guardProbe) {
	t.Helper()
	for try := 1; ; try++ {
		s := lateGuardSite(t, head, headers...)
		navigate(t, ctx, s.URL+"/pricing")
		waitJS(t, ctx, `window.__guard && window.__guard.tagAt != null && window.__guard.unhiddenAt != null`)
		time.Sleep(300 * time.Millisecond)
		p := eval[guardProbe](t, ctx, `window.__guard`)
		t.Logf("page hidden from %.0f ms to %.0f ms after navigation start, the tag ran at %.0f ms (delayed %v, guard timeout %d ms); %d frames after the guard lifted",
			*p.AddedAt, *p.UnhiddenAt, *p.TagAt, lateTagDelay, static.GuardTimeoutMS, p.LiftedFrames)
		if *p.TagAt > *p.UnhiddenAt+100 {
			return s, p
		}
		if try == 3 {
			t.Fatalf("the tag ran at %.0f ms, not after the guard lifted (%.0f ms), in 3 tries", *p.TagAt, *p.UnhiddenAt)
		}
	}
}

// TestGuardLateTag: a tag that arrives after the guard's timeout finds a
// page that already shows its original copy, which the guard's inline
// script marked late. The guard build leaves that page view alone: the
// original copy stays, visible, on every frame after the guard lifted,
// and no exposure goes out (a visitor who saw both copies would be
// counted in the variant). An install whose inline script predates the
// mark (oldGuardScript) keeps the tag's behaviour of then: the late tag
// still swaps the copy and counts the visitor.
func TestGuardLateTag(t *testing.T) {
	t.Parallel()

	t.Run("guard marks the page late", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		scriptHash, styleHash := static.GuardCSP()
		s, p := waitLateTag(t, ctx, static.GuardedTag("/late/test.js"),
			"Content-Security-Policy", "script-src 'self' "+scriptHash+"; style-src "+styleHash)
		if p.LiftedFrames == 0 || !p.Shown {
			t.Errorf("no frame showed the original copy after the guard lifted (%d frames, %d hidden)", p.Frames, p.HiddenFrames)
		}
		if p.BadFrames > 0 || p.SwapAt != nil {
			t.Errorf("after the guard lifted, %d of %d frames showed something other than the original copy, the first %s",
				p.BadFrames, p.LiftedFrames, p.Bad)
		}
		if p.Violations > 0 {
			t.Errorf("CSP violations: %q", p.Log)
		}
		if text, vis := heroState(t, ctx); text != original || vis != "visible" {
			t.Errorf("hero %q %s, want the original copy, visible", text, vis)
		}
		if class := eval[string](t, ctx, `document.documentElement.className`); class != "copylab-late" {
			t.Errorf("<html> class %q, want copylab-late", class)
		}
		finish(t, ctx)
		if evs := s.events(); len(evs) > 0 {
			t.Errorf("events %v, want none from a page view the tag reached late", evs)
		}
		noExceptions(t, exceptions)
	})

	t.Run("an old install's inline script", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s, _ := waitLateTag(t, ctx, `<style>.copylab-wait{opacity:0!important}</style><script>`+oldGuardScript+
			`</script><script async src="/late/test.js?guard=1"></script>`)
		if text, _ := heroState(t, ctx); text != textB {
			t.Errorf("hero %q, want the variant %q: without the late mark the late tag runs as it did", text, textB)
		}
		onlyEvent(t, ctx, s, "exposure", "b", "")
	})
}
