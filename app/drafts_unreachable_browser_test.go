package app

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// unreachableText is what a page says while copylab does not answer.
const unreachableText = "copylab can't be reached. Your edits are kept in this browser; this page tries again by itself."

// notSentText is what a button whose request could not reach copylab
// says beside it.
const notSentText = "Not sent: copylab could not be reached. Press again to send it."

// cutOff stands between a tab and copylab, in the browser's network
// layer. While its mode is refused, every request to copylab fails as if
// nothing listened at its address (connection refused), as when copylab
// is stopped; while it is gateway, a proxy in front of copylab answers
// for it, 502 Bad Gateway; while it is elsewhere, the requests go to an
// address copylab does not know, and copylab answers with its own 404
// page. It counts the requests it cut off, by a part of their URL.
type cutOff struct {
	mode   atomic.Value // "" (copylab answers), "refused", "gateway" or "elsewhere"
	mu     sync.Mutex
	failed []string
}

func (c *cutOff) set(mode string) { c.mode.Store(mode) }

func (c *cutOff) count(part string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, u := range c.failed {
		if strings.Contains(u, part) {
			n++
		}
	}
	return n
}

// cutCopylabOff puts a cutOff, with copylab answering for now, in front
// of the tab's requests to base.
func cutCopylabOff(t *testing.T, tab context.Context, base string) *cutOff {
	t.Helper()
	c := &cutOff{}
	c.set("")
	err := chromedp.Do(tab, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		paused := cdp.Events(ctx, tg, fetch.RequestPaused)
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: base + "/*"}}}); err != nil {
			return chromedp.Void{}, err
		}
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				mode := c.mode.Load().(string)
				if mode != "" {
					c.mu.Lock()
					c.failed = append(c.failed, ev.Request.URL)
					c.mu.Unlock()
				}
				switch mode {
				case "refused":
					cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonConnectionRefused})
				case "gateway":
					cdp.Call(ctx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: http.StatusBadGateway,
						ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html"}},
						Body:            []byte("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")})
				case "elsewhere":
					cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID, URL: base + "/no-such-page"})
				default:
					cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				}
			}
		}()
		return chromedp.Void{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBrowserDraftingSaysWhenCopylabCannotBeReached: copylab stops
// answering while a draft is rewritten, its card polling. The page says
// so, in a notice screen readers hear, and polls less and less often
// instead of every second; Shorter and Write drafts pressed meanwhile
// each say beside them that they were not sent. Once copylab answers
// again the notice goes by itself, the rewrite arrives, and the buttons
// work.
func TestBrowserDraftingSaysWhenCopylabCannotBeReached(t *testing.T) {
	r := twoDraftsInTab(t)
	cut := cutCopylabOff(t, r.tab, r.base)
	const edited = "Plan the launch in one calm place, by hand"
	release := r.llm.hold()
	defer release()
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-1-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-1-text"), edited),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-0 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-0.draft-busy`)))

	// copylab stops.
	cut.set("refused")
	wait := func(what, js string, d time.Duration) {
		t.Helper()
		step, cancel := context.WithTimeout(r.tab, d+5*time.Second)
		defer cancel()
		if _, err := chromedp.Run(step, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d))); err != nil {
			t.Fatalf("%s: %v; page: %s", what, err, browsertest.PageState(r.tab))
		}
	}
	const notice = `(function () {
		var n = document.querySelector('[data-connection-notice]');
		return n && n.checkVisibility() && n.getAttribute("role") === "status" && n.getAttribute("aria-live") === "polite" ? n.textContent : "";
	})()`
	wait("no notice that copylab can't be reached", notice+` === `+jsString(unreachableText), 6*time.Second)

	// The card polls on, less often: every second, seven seconds would
	// bring about seven tries.
	before := cut.count("/drafts/0")
	time.Sleep(7 * time.Second)
	tries := cut.count("/drafts/0") - before
	if tries > 4 {
		t.Errorf("the card polled %d times in 7 seconds while copylab was away, want fewer, further apart", tries)
	} else if tries < 1 {
		t.Error("the card stopped polling while copylab was away")
	}

	// Shorter on draft 2, and Write drafts (whose question, about the
	// rewrite on its way, is answered): each says it was not sent.
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)))
	said := func(btn string) string {
		return `(function () {
			var b = document.querySelector(` + jsString(btn) + `);
			var ids = ((b && b.getAttribute("aria-describedby")) || "").split(" ");
			for (var i = 0; i < ids.length; i++) {
				var n = ids[i] && document.getElementById(ids[i]);
				if (n && n.matches("[data-send-failed]") && n.checkVisibility()) return n.textContent;
			}
			return "";
		})()`
	}
	wait("Shorter says nothing of its failure", said(`#draft-1 [data-instruction="shorter"]`)+` === `+jsString(notSentText), 5*time.Second)
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#brief-form").scrollIntoView({block: "center"})`),
		chromedp.SetValue(chromedp.CSS("#f-tone"), "playful"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)),
		chromedp.Click(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	wait("Write drafts says nothing of its failure", said("#brief-submit")+` === `+jsString(notSentText), 5*time.Second)
	wait("the screen reader's live region says nothing of it", `document.querySelector("#announcer").textContent === `+jsString(notSentText), 2*time.Second)
	if got := r.eval(`document.querySelector("#f-drafts-1-text").value`); got != edited {
		t.Errorf("draft 2 reads %q, want the edit kept", got)
	}

	// copylab is back: the next poll finds it, the notice goes, and the
	// rewrite, once written, arrives.
	cut.set("")
	release()
	back := time.Now()
	wait("the notice stayed after copylab came back", notice+` === ""`, 20*time.Second)
	t.Logf("the notice went %s after copylab came back; the card polled %d times in the 7 seconds", time.Since(back).Round(100*time.Millisecond), tries)
	wait("the rewrite did not arrive", `!!document.querySelector("#draft-0:not(.draft-busy) .regen-message")`, 10*time.Second)

	// Shorter works again, and its note goes with the card it was in.
	// (Write drafts' note stays, true as it is, until it is pressed again.)
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)))
	wait("Shorter did not work once copylab was back", `!!document.querySelector("#draft-1:not(.draft-busy) .regen-message")`, 10*time.Second)
	if got := r.eval(`String(document.querySelectorAll("#draft-1 [data-send-failed]").length)`); got != "0" {
		t.Error("Shorter's note that it was not sent is still there once it was")
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// TestBrowserDraftingSaysWhoAnsweredInsteadOfCopylab: a draft is
// rewritten, its card polling, when the polls get answers that are not
// the card. A proxy's 502, answering for a copylab that is not there,
// makes the page say that copylab can't be reached; copylab's own error
// page makes it say what that page says. Either way the notice goes once
// the card's poll gets through again.
func TestBrowserDraftingSaysWhoAnsweredInsteadOfCopylab(t *testing.T) {
	tests := []struct {
		name, mode, want string
	}{
		{"a proxy's 502", "gateway", unreachableText},
		{"copylab's 404 page", "elsewhere", errNotFound.Message + " Your edits are kept in this browser; this page tries again by itself."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := twoDraftsInTab(t)
			cut := cutCopylabOff(t, r.tab, r.base)
			release := r.llm.hold()
			defer release()
			r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
				chromedp.Click(chromedp.CSS(`#draft-0 [data-instruction="shorter"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#draft-0.draft-busy`)))
			cut.set(tt.mode)
			const notice = `(function () {
				var n = document.querySelector('[data-connection-notice]');
				return n && n.checkVisibility() ? n.textContent : "";
			})()`
			wait := func(what, js string) {
				t.Helper()
				step, cancel := context.WithTimeout(r.tab, 20*time.Second)
				defer cancel()
				if _, err := chromedp.Run(step, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
					t.Fatalf("%s: %v; notice: %q", what, err, r.eval(notice))
				}
			}
			wait("the notice does not say "+jsString(tt.want), notice+` === `+jsString(tt.want))
			cut.set("")
			release()
			wait("the notice stayed once the poll got through", notice+` === ""`)
			wait("the rewrite did not arrive", `!!document.querySelector("#draft-0:not(.draft-busy) .regen-message")`)
			if ex := r.exceptions(); len(ex) > 0 {
				t.Errorf("the page threw: %v", ex)
			}
		})
	}
}
