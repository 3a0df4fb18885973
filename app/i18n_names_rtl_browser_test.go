package app

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestBrowserExperimentNamesReadRightToLeft: an experiment named in
// Arabic with Latin words and digits reads from the right in its page's
// heading and in its cell of the experiments list, each of which holds
// the name alone, while the breadcrumb and the lead line, English
// sentences around an Arabic name, stay left to right; inside them the
// name still reads in its own order.
func TestBrowserExperimentNamesReadRightToLeft(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live := serveLive(t)
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	exceptions := browsertest.Exceptions(t, tab)

	ctx := context.Background()
	if _, _, err := addUser(ctx, live.store, "rana@example.com", "", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: arabicSite, Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: arabicExperiment, Page: "/pricing",
		Selector: heroSelector, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing"}, {Text: "Pricing that grows with you"}}})
	if err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "rana@example.com", chromedp.EmulateViewport(1280, 900))

	// direction is the direction the element at sel lays its text out in.
	direction := func(sel string) string {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () { var el = document.querySelector(`+jsString(sel)+`);
			return el ? getComputedStyle(el).direction : "missing"; })()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return got
	}
	// fromTheRight tells whether the name in the element at sel is drawn
	// from the right: its first word, in Arabic, right of its last, the
	// digits. Drawn as part of an English line it would read the other
	// way round, its first word leftmost.
	fromTheRight := func(sel string) bool {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(function () {
			var el = document.querySelector(`+jsString(sel)+`);
			var walker = el && document.createTreeWalker(el, NodeFilter.SHOW_TEXT), text;
			while (walker && (text = walker.nextNode()) && text.data.indexOf("اختبار") < 0) {}
			if (!text) return false;
			function left(word) {
				var r = document.createRange(), i = text.data.indexOf(word);
				r.setStart(text, i);
				r.setEnd(text, i + word.length);
				return r.getBoundingClientRect().left;
			}
			return left("اختبار") > left("2026");
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return got
	}
	for _, tt := range []struct {
		name string
		path string
		rtl  []string // elements that hold the name alone
		ltr  []string // English sentences around it
	}{
		{"list", "/experiments", []string{"td.list-name"}, []string{"h1", "td.list-status"}},
		{"experiment", "/experiments/" + x.ID, []string{"h1", ".crumbs bdi"}, []string{".crumbs", ".lead"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Navigate(live.base+tt.path))); err != nil {
				t.Fatal(err)
			}
			for _, sel := range tt.rtl {
				if got := direction(sel); got != "rtl" {
					t.Errorf("%s, holding an Arabic name, is laid out %s, want rtl", sel, got)
				}
				if !fromTheRight(sel) {
					t.Errorf("%s: the name is drawn from the left, want it from the right, where an Arabic reader starts", sel)
				}
			}
			for _, sel := range tt.ltr {
				if got := direction(sel); got != "ltr" {
					t.Errorf("%s, English around a name, is laid out %s, want ltr", sel, got)
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
