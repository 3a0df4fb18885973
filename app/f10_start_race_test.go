package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestF10StartPausedInTheMeantime: Start pressed on a page drawn while
// the test was a draft, when someone else starts and pauses it at the
// very moment the press reaches the store, leaves it paused, with the
// note pausedSince gives. The race is made deterministic: the test holds
// the store's only writer connection, so the press waits for it, past
// any read the handler makes first; meanwhile a second store on the same
// file (another process, as the API's caller would be) starts and pauses
// the test; then the connection is let go. Before StartDraft, the
// handler's own read saw a draft and the store's start resumed the test.
func TestF10StartPausedInTheMeantime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	page := "/experiments/" + x.ID
	ann.get(page) // drawn while it is a draft: Start is offered

	other, err := experiments.OpenExisting(ctx, e.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	w := e.store.Writer()
	held, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waits := w.Stats().WaitCount

	type answer struct {
		resp *http.Response
		err  error
	}
	done := make(chan answer, 1)
	req := newRequest(http.MethodPost, page+"/start", strings.NewReader(url.Values{"_csrf": {ann.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range ann.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	go func() {
		resp, err := e.app.Fiber().Test(req, -1)
		done <- answer{resp, err}
	}()

	// The press now waits for the writer: whatever it read before sees
	// the draft.
	for deadline := time.Now().Add(10 * time.Second); w.Stats().WaitCount == waits; {
		select {
		case a := <-done:
			held.Close()
			t.Fatalf("the press was answered without waiting for the writer: %v %v", a.resp.Status, a.err)
		default:
		}
		if time.Now().After(deadline) {
			held.Close()
			t.Fatal("the press never asked for the writer")
		}
		time.Sleep(time.Millisecond)
	}
	bob := experiments.WithActor(ctx, "bob@example.com")
	for _, a := range []string{experiments.ActionStart, experiments.ActionPause} {
		if _, err := other.Transition(bob, x.ID, a); err != nil {
			held.Close()
			t.Fatalf("%s from the other store: %v", a, err)
		}
	}
	paused := lastChange(t, e, x.ID)
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}

	a := <-done
	if a.err != nil {
		t.Fatal(a.err)
	}
	body := readBody(t, a.resp)
	wantStatus(t, a.resp, http.StatusSeeOther, body)
	for _, ck := range a.resp.Cookies() {
		ann.cookies[ck.Name] = ck.Value
	}
	_, body = ann.get(a.resp.Header.Get("Location"))
	want := "This experiment was paused (" + historyTime(paused.At) + " by bob@example.com" +
		") after this page was opened: it stays paused. Press Resume to run it again."
	if kind, text := pageFlash(body); kind != "warn" || text != want {
		t.Errorf("flash %s %q, want warn %q", kind, text, want)
	}
	if got := lastChange(t, e, x.ID); got != paused {
		t.Errorf("the history has a new line %+v", got)
	}
	if cur, err := e.store.Experiment(ctx, x.ID); err != nil || cur.Status != experiments.StatusPaused {
		t.Errorf("status %q (%v), want paused", cur.Status, err)
	}
}
