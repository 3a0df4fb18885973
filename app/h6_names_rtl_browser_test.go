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

// TestBrowserNamesReadInTheirOwnDirection: an experiment, a site and a
// user named in Arabic with Latin words and digits read from the right
// where the results page, the sites pages, the users page and the
// drafting page show them, each name on its own; the English around a
// name inside a heading or a breadcrumb stays left to right.
func TestBrowserNamesReadInTheirOwnDirection(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live := serveLive(t)
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	exceptions := browsertest.Exceptions(t, tab)

	ctx := context.Background()
	if _, _, err := addUser(ctx, live.store, "rana@example.com", rtlUserName, testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: rtlSiteName, Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: rtlExperimentName, Page: "/pricing",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing"}, {Text: "Pricing that grows with you"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
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
	// readsFromTheRight tells whether the name in the element at sel is
	// drawn from the right: its first word, in Arabic, right of its last,
	// the digits. Unisolated in an English line it is drawn the other way
	// round, first word leftmost.
	readsFromTheRight := func(sel, first, last string) bool {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(function () {
			var el = document.querySelector(`+jsString(sel)+`), text = el && el.firstChild;
			if (!text || text.nodeType !== Node.TEXT_NODE) return false;
			function left(word) {
				var r = document.createRange(), i = text.data.indexOf(word);
				r.setStart(text, i);
				r.setEnd(text, i + word.length);
				return r.getBoundingClientRect().left;
			}
			return left(`+jsString(first)+`) > left(`+jsString(last)+`);
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return got
	}
	type name struct{ sel, first, last string } // a name's element, its first and last word
	for _, tt := range []struct {
		name  string
		path  string
		rtl   []string // the elements that hold a name alone
		ltr   []string // the sentences and headings around a name
		names []name
	}{
		{"results", "/experiments/" + x.ID + "/results",
			[]string{`.crumbs a[href="/experiments/` + x.ID + `"]`, "h1 bdi"},
			[]string{".crumbs", "h1"},
			[]name{{"h1 bdi", "اختبار", "2026"}}},
		{"sites", "/sites", []string{`td.card-name a[href="/sites/` + site.ID + `"]`}, []string{"td.card-name"},
			[]name{{`td.card-name a[href="/sites/` + site.ID + `"]`, "متجر", "2"}}},
		{"site", "/sites/" + site.ID, []string{"h1", ".crumbs bdi"}, []string{".crumbs", ".lead"},
			[]name{{"h1", "متجر", "2"}, {".crumbs bdi", "متجر", "2"}}},
		{"users", "/users", []string{"td.card-name bdi"}, []string{"td.card-name"},
			[]name{{"td.card-name bdi", "رنا", "Haddad"}}},
		{"drafting", "/experiments/" + x.ID + "/generate",
			[]string{`.crumbs a[href="/experiments/` + x.ID + `"]`, "h1 bdi"},
			[]string{".crumbs", "h1"},
			[]name{{"h1 bdi", "اختبار", "2026"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Navigate(live.base+tt.path))); err != nil {
				t.Fatal(err)
			}
			for _, sel := range tt.rtl {
				if got := direction(sel); got != "rtl" {
					t.Errorf("%s, holding an Arabic name, is laid out %s, want rtl", sel, got)
				}
			}
			for _, sel := range tt.ltr {
				if got := direction(sel); got != "ltr" {
					t.Errorf("%s, an English sentence around a name, is laid out %s, want ltr", sel, got)
				}
			}
			for _, n := range tt.names {
				if !readsFromTheRight(n.sel, n.first, n.last) {
					t.Errorf("%s: %q is drawn left of %q, want it on the right, where an Arabic reader starts", n.sel, n.first, n.last)
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
