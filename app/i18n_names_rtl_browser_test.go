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
// where the experiments list, the experiment's page, its results and
// drafting pages, the sites pages and the users page show them, in the
// elements that hold each name alone; the English around a name (a
// heading, a breadcrumb, a lead line, a status cell) stays left to
// right, and inside it the name still reads in its own order. One server,
// one tab and one sign-in serve every page: browser tests are what make
// CI slow.
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
		Selector: heroSelector, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing"}, {Text: "Pricing that grows with you"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	// Names in English, longer than the Arabic ones, make their columns
	// wider than those: a name that took its cell's direction for its
	// alignment would sit at the cell's right edge.
	wide, err := live.store.CreateSite(ctx, experiments.Site{Name: "Documentation site for the whole company", Domain: "docs.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: wide.ID, Name: "Pricing page headline for the spring launch",
		Page: "/pricing", Selector: heroSelector, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing"}, {Text: "Pricing that grows with you"}}}); err != nil {
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
	// drawn from the right: its first word, in Arabic, right of its last
	// (the digits, or a Latin surname), both read in the first text under
	// sel that holds the first word. Unisolated in an English line it is
	// drawn the other way round, first word leftmost.
	readsFromTheRight := func(sel, first, last string) bool {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(function () {
			var el = document.querySelector(`+jsString(sel)+`), first = `+jsString(first)+`, last = `+jsString(last)+`;
			var walker = el && document.createTreeWalker(el, NodeFilter.SHOW_TEXT), text;
			while (walker && (text = walker.nextNode()) && text.data.indexOf(first) < 0) {}
			if (!text || text.data.indexOf(last) < 0) return false;
			function left(word) {
				var r = document.createRange(), i = text.data.indexOf(word);
				r.setStart(text, i);
				r.setEnd(text, i + word.length);
				return r.getBoundingClientRect().left;
			}
			return left(first) > left(last);
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return got
	}
	// startsLeft tells whether the text of the element at sel begins at
	// its cell's left edge (within its padding), as the column's heading
	// and the English names above and below it do: a name read from the
	// right still lines up with its column.
	startsLeft := func(sel string) bool {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(function () {
			var el = document.querySelector(`+jsString(sel)+`), cell = el && el.closest("td");
			if (!cell) return false;
			var r = document.createRange();
			r.selectNodeContents(el);
			return r.getBoundingClientRect().left - cell.getBoundingClientRect().left < 24;
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return got
	}
	// The Arabic name's cell on the list.
	listed := `td.list-name:has(a[href="/experiments/` + x.ID + `"])`
	type name struct{ sel, first, last string } // a name's element, its first and last word
	experimentName := func(sel string) name { return name{sel, "اختبار", "2026"} }
	siteName := func(sel string) name { return name{sel, "متجر", "2"} }
	for _, tt := range []struct {
		name  string
		path  string
		rtl   []string // the elements that hold a name alone
		ltr   []string // the sentences and headings around a name
		names []name   // names drawn from the right
		left  []string // names in a table column, lined up with it
	}{
		{"list", "/experiments", []string{listed}, []string{"h1", "td.list-status"},
			[]name{experimentName(listed)}, []string{listed + " a"}},
		{"experiment", "/experiments/" + x.ID, []string{"h1", ".crumbs bdi"}, []string{".crumbs", ".lead"},
			[]name{experimentName("h1"), experimentName(".crumbs bdi")}, nil},
		{"results", "/experiments/" + x.ID + "/results",
			[]string{`.crumbs a[href="/experiments/` + x.ID + `"]`, "h1 bdi"},
			[]string{".crumbs", "h1"},
			[]name{experimentName("h1 bdi")}, nil},
		{"drafting", "/experiments/" + x.ID + "/generate",
			[]string{`.crumbs a[href="/experiments/` + x.ID + `"]`, "h1 bdi"},
			[]string{".crumbs", "h1"},
			[]name{experimentName("h1 bdi")}, nil},
		{"sites", "/sites", []string{`td.card-name a[href="/sites/` + site.ID + `"]`}, []string{"td.card-name"},
			[]name{siteName(`td.card-name a[href="/sites/` + site.ID + `"]`)},
			[]string{`td.card-name a[href="/sites/` + site.ID + `"]`}},
		{"site", "/sites/" + site.ID, []string{"h1", ".crumbs bdi"}, []string{".crumbs", ".lead"},
			[]name{siteName("h1"), siteName(".crumbs bdi")}, nil},
		{"users", "/users", []string{"td.card-name bdi"}, []string{"td.card-name"},
			[]name{{"td.card-name bdi", "رنا", "Haddad"}}, nil},
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
					t.Errorf("%s, English around a name, is laid out %s, want ltr", sel, got)
				}
			}
			for _, n := range tt.names {
				if !readsFromTheRight(n.sel, n.first, n.last) {
					t.Errorf("%s: %q is drawn left of %q, want it on the right, where an Arabic reader starts", n.sel, n.first, n.last)
				}
			}
			for _, sel := range tt.left {
				if !startsLeft(sel) {
					t.Errorf("%s: an Arabic name sits away from its column's left edge, want it lined up with the column", sel)
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
