package snippet_test

import (
	"testing"
	"time"
)

// TestSendOnCloseAfterFailure: after a send that failed for now (here a
// 503), the page sends nothing more while it stays open, and tries once
// more as it closes. A visitor who met one brief 503 and never opens
// another tagged page is then still counted. The close attempt goes by
// fetch, whose answer the page no longer sees: the events stay queued, so
// when /e is still down at close, the next page sends them.
func TestSendOnCloseAfterFailure(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		downAtClose bool
	}{
		{"back up at close", false},
		{"still down at close", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, exceptions, s := pricingThenOther(t)
			s.down.Store(true)
			navigate(t, ctx, s.URL+"/pricing")
			s.waitFailed(1)
			// No retry while the page stays open: a conversion queues, and
			// the batching second passes twice over.
			eval[any](t, ctx, `document.body.insertAdjacentHTML("beforeend", "<button class=cta>Buy</button>"),
				document.querySelector(".cta").click()`)
			// The server counts its 503 before the page reads it: wait for
			// the click's conversion to be stored behind the exposure.
			waitJS(t, ctx, `(JSON.parse(localStorage.copylab).q || []).length >= 2`)
			queued := eval[[]string](t, ctx, `(JSON.parse(localStorage.copylab).q || []).map(e => e.id)`)
			if len(queued) != 2 {
				t.Fatalf("queued events %v, want the exposure and the conversion", queued)
			}
			time.Sleep(2500 * time.Millisecond)
			if n := s.failed.Load(); n != 1 {
				t.Fatalf("/e was asked %d times while the page stayed open after the failure, want once", n)
			}
			s.down.Store(c.downAtClose)
			finish(t, ctx) // the page closes
			if !c.downAtClose {
				checkQueued(t, s, queued, "sent as the page closed")
				noExceptions(t, exceptions)
				return
			}
			s.waitFailed(2)
			time.Sleep(300 * time.Millisecond) // a request more would have had time to come
			if n := s.failed.Load(); n != 2 {
				t.Fatalf("/e was asked %d times in all, want twice: the failure and one try as the page closed", n)
			}
			// The try at close kept the exposure queued: the next page
			// sends it.
			s.down.Store(false)
			navigate(t, ctx, s.URL+"/other")
			checkQueued(t, s, queued, "sent from the next page")
			waitJS(t, ctx, `JSON.parse(localStorage.copylab).q.length == 0`)
			noExceptions(t, exceptions)
		})
	}
}

// checkQueued waits for the exposure and the conversion whose ids are
// queued, and checks that they arrived, and nothing else.
func checkQueued(t *testing.T, s *site, queued []string, how string) {
	t.Helper()
	evs := s.waitEvents(len(queued))
	if len(evs) != len(queued) {
		t.Fatalf("events %v, want the queued %v, %s", evs, queued, how)
	}
	for i, e := range evs {
		if e["id"] != queued[i] {
			t.Fatalf("events %v, want the queued %v, %s", evs, queued, how)
		}
	}
	checkEvent(t, evs[0], "exposure", "b", "")
	checkEvent(t, evs[1], "conversion", "b", "click")
}
