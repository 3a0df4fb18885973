package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestShareOffKeyboardBrowser: the share link is turned off with the
// keyboard alone: Enter on "Turn off the link" asks first, in red, with
// Cancel focused; Tab and Enter answer. The page comes back at the share
// card, its message under the card's heading, and "Make a share link"
// takes the focus from the keyboard as well.
func TestShareOffKeyboardBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := context.Background()
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Ship faster"}, {Text: "Ship sooner"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	const off = `form[action$="/share-link/off"] button`
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID), chromedp.WaitVisible(chromedp.CSS(off))); err != nil {
		t.Fatal(err)
	}
	// The focus is put on the button as Tab would; Enter is the key.
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(off)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	type dialog struct {
		Open   bool   `json:"open"`
		OK     string `json:"ok"`
		Danger bool   `json:"danger"`
		Focus  string `json:"focus"`
	}
	d, err := chromedp.Run(tab, chromedp.Poll[dialog](`(() => {
		const d = document.getElementById("confirm-dialog");
		if (!d || !d.open) return null;
		return {open: true, ok: d.querySelector(".confirm-ok").textContent,
			danger: !!d.querySelector(".confirm-ok.btn-danger"), focus: document.activeElement.textContent};
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("Enter opened no dialog: %v; page: %s", err, browsertest.PageState(tab))
	}
	if d.OK != "Turn off the link" || !d.Danger || d.Focus != "Cancel" {
		t.Fatalf("dialog %+v, want a red Turn off the link, Cancel focused", d)
	}
	step, cancel := context.WithTimeout(tab, 30*time.Second)
	err = chromedp.Do(step, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	cancel()
	if err != nil {
		t.Fatalf("answering: %v; page: %s", err, browsertest.PageState(tab))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := live.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ShareOff {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the answer the link is on; page: %s", browsertest.PageState(tab))
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The off card's form is the card's own child; the on card's sit in
	// a row of actions, so the page before the answer never matches.
	const on = `#share-link > form[action$="/share-link"] button`
	type card struct {
		Flash  string `json:"flash"`
		Button string `json:"button"`
		Focus  bool   `json:"focus"`
	}
	// Asked again until the new page has run its script (the message
	// moves under the card's heading then): an evaluation during the
	// redirect's load fails, its document gone, and is asked again.
	var c card
	deadline = time.Now().Add(30 * time.Second)
	for {
		c, err = chromedp.Run(tab, chromedp.Evaluate[card](`(() => {
			const b = document.querySelector('`+on+`');
			if (!b) return {};
			b.focus();
			const f = document.querySelector("#share-link h2 + .flash");
			return {flash: f ? f.textContent.trim() : "", button: b.textContent, focus: document.activeElement === b};
		})()`))
		if err == nil && c.Flash != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no off card with its message: %+v, %v; page: %s", c, err, browsertest.PageState(tab))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c.Flash != "The share link is off. Nobody can open the results with it any more." || c.Button != "Make a share link" || !c.Focus {
		t.Errorf("after turning off: %+v", c)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("script errors: %v", ex)
	}
}
