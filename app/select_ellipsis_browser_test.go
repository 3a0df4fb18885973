package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestSiteSelectEllipsisBrowser: at the narrowest phones' 320 px, the
// New and Edit experiment forms' site <select> cuts a long site name
// ("Developer documentation portal") at its edge. The cut must show: the
// select stays inside its field and ends the name in "…" (text-overflow),
// rather than chopping a letter in half with no sign that more is hidden.
// Before, the name ran on under the select's arrow and stopped there,
// mid-letter ("Developer documentation port"). With COPYLAB_REVIEW_SHOTS=DIR it saves each form
// there, for a person to look at.
func TestSiteSelectEllipsisBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, _ := liveShopTab(t)
	ctx := context.Background()
	docs, err := live.store.CreateSite(ctx, experiments.Site{Name: "Developer documentation portal", Domain: "docs.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: docs.ID, Name: "Docs hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Read the docs"}, {Text: "Start building"}}})
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(320, 640))

	type selectBox struct {
		Text         string  `json:"text"`
		Name         float64 `json:"name"`
		Room         float64 `json:"room"`
		Right        float64 `json:"right"`
		FieldRight   float64 `json:"fieldRight"`
		TextOverflow string  `json:"textOverflow"`
		WhiteSpace   string  `json:"whiteSpace"`
	}
	for _, tc := range []struct{ name, path string }{
		{"new", "/experiments/new?site=" + docs.ID},
		{"edit", "/experiments/" + draft.ID + "/edit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(320, 640), chromedp.Navigate(live.base+tc.path),
				chromedp.WaitVisible(chromedp.CSS("#f-site-id"))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[selectBox](`(function () {
				var s = document.getElementById("f-site-id"), cs = getComputedStyle(s);
				return {
					text: s.selectedOptions[0] ? s.selectedOptions[0].textContent : "",
					// The name's width in the select's font, and the room
					// inside its padding (the arrow takes part of that).
					name: (function () { var c = document.createElement("canvas").getContext("2d"); c.font = cs.font; return c.measureText(s.selectedOptions[0].textContent).width; })(),
					room: s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
					right: s.getBoundingClientRect().right,
					fieldRight: s.closest(".field").getBoundingClientRect().right,
					textOverflow: cs.textOverflow, whiteSpace: cs.whiteSpace,
				};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != docs.Name {
				t.Fatalf("the select shows %q, want %q", got.Text, docs.Name)
			}
			// The name is wider than the box: without this the test
			// would check nothing.
			if got.Name <= got.Room {
				t.Fatalf("the name takes %.0f px of the select's %.0f px: it is not cut at 320 px", got.Name, got.Room)
			}
			if got.Right > got.FieldRight+0.5 {
				t.Errorf("the select runs to %.0f px, past its field's edge at %.0f px", got.Right, got.FieldRight)
			}
			// Chromium reports a select's overflow as visible whatever
			// the stylesheet says, and draws the ellipsis all the same.
			if got.TextOverflow != "ellipsis" || got.WhiteSpace != "nowrap" {
				t.Errorf("the cut name has no sign it was cut: text-overflow %q, white-space %q; want ellipsis, nowrap",
					got.TextOverflow, got.WhiteSpace)
			}
			if shots != "" {
				buf, err := chromedp.Run(tab, chromedp.ScreenshotScale(chromedp.CSS(".field:has(#f-site-id)"), 2))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(shots, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, "site-select-"+tc.name+"-320.png"), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
