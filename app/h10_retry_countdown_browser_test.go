package app

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRetryWaitCountsDown: the wait before copylab asks a busy
// model service again, as the server renders it (data-retry-ms, the
// wait left when the progress was swapped in), counts down in the page
// between polls, in the server's words (views.WaitText); it no longer
// reads "trying again in 9 seconds" through the whole wait. Past its
// end it says "a second" until the next poll brings what happened.
func TestBrowserRetryWaitCountsDown(t *testing.T) {
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")))
	// The spans as the progress would bring them, each with the wait as
	// the server said it.
	r.eval(`(function () {
		var add = function (id, ms, text) {
			var el = document.createElement("span");
			el.id = id;
			el.setAttribute("data-retry-ms", ms);
			el.textContent = text;
			document.getElementById("main").appendChild(el);
		};
		add("wait-long", "9000", "9 seconds");
		add("wait-short", "600", "");
		add("wait-minutes", "150000", "");
		return "";
	})()`)
	text := func(id string) string { return r.eval(`document.getElementById("` + id + `").textContent`) }
	// The long wait reads fewer seconds as they pass. (A reading may miss
	// a second on a busy machine, where the page's timer or this test's
	// polling runs late: what matters is that it goes down, from 9.)
	seen := []string{text("wait-long")}
	for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline) && len(seen) < 4; time.Sleep(100 * time.Millisecond) {
		if got := text("wait-long"); got != seen[len(seen)-1] {
			seen = append(seen, got)
		}
	}
	order := []string{"9 seconds", "8 seconds", "7 seconds", "6 seconds", "5 seconds", "4 seconds", "3 seconds"}
	at := func(s string) int { return slices.Index(order, s) }
	ok := len(seen) >= 3 && seen[0] == order[0]
	for i := 1; ok && i < len(seen); i++ {
		ok = at(seen[i]) > at(seen[i-1])
	}
	if !ok {
		t.Errorf("a 9-second wait read %q, want it to count down from 9 seconds", seen)
	}
	if got := text("wait-short"); got != "a second" {
		t.Errorf("past the end of the wait, the page says %q", got)
	}
	if got := text("wait-minutes"); got != "3 minutes" {
		t.Errorf("a wait of 150 seconds reads %q, want the server's 3 minutes", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
