package app

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestInputFocusForcedColorsBrowser: a text field shows where the focus
// is in forced-colours mode (Windows High Contrast). The audit found
// none: .input:focus set outline: none and drew its ring with a
// box-shadow, which forced colours remove. A transparent outline is
// painted in the system's colour there.
func TestInputFocusForcedColorsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "a11y4")
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/login"), chromedp.WaitVisible(chromedp.CSS("#f-email.input")),
		chromedp.Focus(chromedp.CSS("#f-email"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
		var el = document.activeElement, s = getComputedStyle(el);
		return [matchMedia("(forced-colors: active)").matches, el.id, s.outlineStyle, s.outlineWidth].join(" ");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got != "true f-email solid 2px" {
		t.Errorf("focused text field in forced colours: %q (forced colours on, focused id, outline style, width), want %q",
			got, "true f-email solid 2px")
	}
}
