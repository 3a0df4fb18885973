package app

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/experiments"
)

// TestExperimentRowsFocusBrowser: "+ Add a variant" and "Remove" send the
// form to the server and back; the page that comes back had the focus on
// its body and was scrolled to the top, so a keyboard or a screen reader
// lost its place (19 Tabs back to the new row's copy). Now Add lands on
// the new row's copy box, and Remove on the row that took the removed
// one's place, or on the Add button after the last row, each on screen;
// on the New and the Edit form alike. The buttons are pressed with the
// keyboard, as the people this is for press them. Found by a browser
// review.
func TestExperimentRowsFocusBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := context.Background()
	draft, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Old"}, {Text: "New one"}, {Text: "New two"}, {Text: "New three"}}})
	if err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))

	type state struct {
		Focus          string
		ScrollY        float64
		Shown, Visible bool
	}
	// press focuses the button, presses Enter and waits for the page
	// that comes back, then says where the focus is.
	press := func(t *testing.T, sel string) state {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(sel))); err != nil {
			t.Fatalf("focus %s: %v", sel, err)
		}
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
			t.Fatalf("press %s: %v", sel, err)
		}
		// Autofocus happens at a rendering after the load.
		if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); })`,
			chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[state](`(function () {
			var a = document.activeElement, r = a.getBoundingClientRect();
			return {
				focus: a === document.body ? "body" : a.id ? "#" + a.id : a.tagName + (a.value ? "[value=" + a.value + "]" : ""),
				scrollY: scrollY,
				shown: r.top >= 0 && r.bottom <= innerHeight,
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	addButton := `button[name="op"][value="add"]`

	for _, tt := range []struct {
		name, path string
		steps      []struct{ press, want string }
	}{
		{name: "new", path: "/experiments/new", steps: []struct{ press, want string }{
			{addButton, "#f-variants-2-text"},
			{addButton, "#f-variants-3-text"},
			{`button[value="remove:1"]`, "#f-variants-1-text"}, // the row after it, now second
			{`button[value="remove:2"]`, "BUTTON[value=add]"},  // the last row: the Add button
		}},
		{name: "edit", path: "/experiments/" + draft.ID + "/edit", steps: []struct{ press, want string }{
			{addButton, "#f-variants-4-text"},
			{`button[value="remove:2"]`, "#f-variants-2-text"},
			{`button[value="remove:3"]`, "BUTTON[value=add]"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+tt.path), chromedp.WaitVisible(chromedp.CSS("#f-name"))); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.steps {
				got := press(t, s.press)
				if got.Focus != s.want || !got.Shown || got.ScrollY == 0 {
					t.Errorf("after %s: the focus is on %s (on screen %v, scrolled %vpx), want %s on screen", s.press, got.Focus, got.Shown, got.ScrollY, s.want)
				}
			}
			// Typing goes where the focus is: into the copy box Add made.
			if tt.name == "edit" {
				return
			}
			press(t, addButton)
			if err := chromedp.Do(tab, chromedp.KeyEvent("Typed at once")); err != nil {
				t.Fatal(err)
			}
			v, err := chromedp.Run(tab, chromedp.Value(chromedp.CSS("#f-variants-2-text")))
			if err != nil {
				t.Fatal(err)
			}
			if v != "Typed at once" {
				t.Errorf("typing after Add filled the new copy box with %q", v)
			}
		})
	}
}
