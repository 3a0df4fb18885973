package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// cardGeometryJS lists, for every table of main that reads as cards
// (.table-cards, .table-list laid out as blocks on a phone), what a
// reader sees drawn wrong in a card:
//   - two cells of a card overlapping (a name running under its
//     buttons, a figure under its neighbour's label);
//   - a cell's text past the cell's edges, cut by the card or drawn over
//     the next cell's label (a long email in a third of a card);
//   - a button or link outside its cell, or two of them in one cell
//     less than 8 px apart ("Make adminRemove").
//
// Text for screen readers only (clipped to a pixel) is left out.
const cardGeometryJS = `(function () {
	var out = [];
	var hidden = function (el, stop) {
		for (var p = el; p && p !== stop.parentElement; p = p.parentElement) {
			var cs = getComputedStyle(p);
			if (cs.clipPath !== "none" || cs.clip !== "auto" || cs.display === "none" || cs.visibility === "hidden") return true;
		}
		return false;
	};
	var words = function (el) { return el.textContent.trim().replace(/\s+/g, " ").slice(0, 40); };
	var px = function (r) { return Math.round(r.left) + ".." + Math.round(r.right) + " x " + Math.round(r.top) + ".." + Math.round(r.bottom); };
	var overlap = function (a, b) {
		return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
	};
	document.querySelectorAll("main table.table-cards, main table.table-list").forEach(function (table) {
		if (getComputedStyle(table).display !== "block" || table.getClientRects().length === 0) return;
		var name = table.caption ? table.caption.textContent.trim() : table.className;
		table.querySelectorAll("tbody tr").forEach(function (tr) {
			var cells = Array.prototype.filter.call(tr.children, function (c) {
				var r = c.getBoundingClientRect();
				return r.width > 0 && r.height > 0 && !hidden(c, c);
			});
			var row = words(cells[0] || tr);
			cells.forEach(function (c, i) {
				var box = c.getBoundingClientRect();
				cells.slice(i + 1).forEach(function (d) {
					var o = d.getBoundingClientRect();
					if (overlap(box, o)) out.push(name + ", " + JSON.stringify(row) + ": " + JSON.stringify(words(c)) + " (" + px(box) + ") overlaps " + JSON.stringify(words(d)) + " (" + px(o) + ")");
				});
				var walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
				for (var n = walk.nextNode(); n; n = walk.nextNode()) {
					if (!n.nodeValue.trim() || hidden(n.parentElement, c)) continue;
					var range = document.createRange();
					range.selectNodeContents(n);
					Array.prototype.forEach.call(range.getClientRects(), function (r) {
						if (r.width === 0) return;
						if (r.left < box.left - 1 || r.right > box.right + 1) out.push(name + ", " + JSON.stringify(row) + ": the text " + JSON.stringify(n.nodeValue.trim().slice(0, 40)) + " runs " + Math.round(r.left) + ".." + Math.round(r.right) + " px, past its cell's " + Math.round(box.left) + ".." + Math.round(box.right));
					});
				}
				var controls = Array.prototype.filter.call(c.querySelectorAll("a[href], button"), function (b) { return b.getClientRects().length > 0 && !hidden(b, c); });
				controls.forEach(function (b, j) {
					var r = b.getBoundingClientRect();
					if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(name + ", " + JSON.stringify(row) + ": the control " + JSON.stringify(words(b)) + " (" + px(r) + ") lies outside its cell (" + px(box) + ")");
					controls.slice(j + 1).forEach(function (o) {
						var q = o.getBoundingClientRect();
						var gap = Math.max(q.left - r.right, r.left - q.right, q.top - r.bottom, r.top - q.bottom);
						if (gap < 8) out.push(name + ", " + JSON.stringify(row) + ": " + JSON.stringify(words(b)) + " and " + JSON.stringify(words(o)) + " are " + Math.round(gap) + " px apart");
					});
				});
			});
		});
	});
	return out;
})()`

// TestCardTablesPhoneBrowser lays out, at 390 and 320 px, every table
// that reads as cards on a phone, filled with the long names real teams
// have: the users (an admin with two buttons, emails of 40 and more
// characters, added by one), the pending invites, the API tokens and
// the signed-in browsers, the sites and the experiments lists. No cell
// of a card overlaps another, no text runs past its cell and no two
// buttons touch (cardGeometryJS). Found by a review at 390 px: on
// /users a member's email ran under "Make admin", which touched
// "Remove", the "Added by" email (153 px in a cell of 93) was cut at the
// card's edge, and a pending invite's "Invited by" email was drawn over
// the "Link expires" label.
func TestCardTablesPhoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	const owner = "mara.konstantinopoulou@marketing-department.example.com"
	admin, _, err := AddUser(ctx, live.store, owner, "Mara", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	by := experiments.Adder{Via: experiments.AddedByHand, UserID: admin.ID, Email: admin.Email}
	if _, _, err := addUserBy(ctx, live.store, "jo.bloggs@example.com", "", testPassword, 10, by); err != nil {
		t.Fatal(err)
	}
	by.Role = experiments.RoleAdmin
	if _, _, err := addUserBy(ctx, live.store, "sam.okonkwo-adeyemi@operations.example.com", "Sam", testPassword, 10, by); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, email := range []string{"alexandra.konstantinopoulou@acme-example.com", "new.colleague.with.a.long.address@marketing-department.example.com"} {
		if _, _, err := live.store.CreateInvite(ctx, hashSecret(fmt.Sprintf("invite-%d", i)), email, "", owner, now, now.Add(7*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// An invite whose link expired yesterday, unused.
	if _, _, err := live.store.CreateInvite(ctx, hashSecret("invite-expired"), "former.contractor@agency-partners.example.org", "", owner,
		now.Add(-8*24*time.Hour), now.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateToken(ctx, live.store, owner, "Nightly export to the marketing data warehouse"); err != nil {
		t.Fatal(err)
	}
	if err := live.store.CreateSession(ctx, hashSecret("other-browser"), admin.ID, "csrf",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	site, _ := startPricingHero(t, live, "developer-documentation.staging.example-company.com")
	if _, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Enterprise pricing headline for annual billing",
		Page: "/pricing/enterprise-plans-with-annual-billing-discounts*", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Create account"}, {Text: "Start free"}}}); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")

	signInTab(t, tab, live.base+"/login", owner, chromedp.EmulateViewport(390, 844))
	for _, tc := range []struct{ name, path, wait string }{
		{"users", "/users", "#expired-invites table"},
		{"settings", "/settings", "#sessions table"},
		{"sites", "/sites", "main table"},
		{"experiments", "/experiments", "main table"},
		{"site", "/sites/" + site.ID, "main table"},
	} {
		for _, w := range []int64{390, 320} {
			t.Run(fmt.Sprintf("%s at %d", tc.name, w), func(t *testing.T) {
				if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+tc.path),
					chromedp.WaitVisible(chromedp.CSS(tc.wait))); err != nil {
					t.Fatal(err)
				}
				problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](cardGeometryJS))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range problems {
					t.Errorf("%s at %d px: %s", tc.path, w, p)
				}
				if shots != "" {
					saveShot(t, tab, shots, fmt.Sprintf("f4-%s-%d.png", tc.name, w), chromedp.FullScreenshot(100))
				}
			})
		}
	}
	// On a desktop the users are a table: a row's two buttons keep a gap
	// there too.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+"/users"),
		chromedp.WaitVisible(chromedp.CSS("main table"))); err != nil {
		t.Fatal(err)
	}
	gaps, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`Array.from(document.querySelectorAll("main td.actions")).filter(function (c) {
		return c.querySelectorAll("button").length > 1;
	}).map(function (c) {
		var b = c.querySelectorAll("button");
		return b[1].getBoundingClientRect().left - b[0].getBoundingClientRect().right;
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) == 0 {
		t.Error("/users at 1280 px: no row has two buttons")
	}
	for _, g := range gaps {
		if g < 8 {
			t.Errorf("/users at 1280 px: a row's two buttons are %.0f px apart", g)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}

// barJS is where the sticky top bar ends and how much room the page
// keeps under it when it jumps to an anchor (scroll-padding-top), in CSS
// px, and whether the bar is sticky.
const barJS = `(function () {
	var bar = document.querySelector(".topbar");
	var pad = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
	return {bottom: bar.getBoundingClientRect().bottom, height: bar.getBoundingClientRect().height, pad: pad, sticky: getComputedStyle(bar).position === "sticky"};
})()`

type barGeometry struct {
	Bottom, Height, Pad float64
	Sticky              bool
}

// TestAnchoredHeadingBelowBarBrowser follows links to a part of a page
// at every width, from a desktop's to the narrowest phone's: the part's
// heading lands below the sticky top bar, never under it. Found by a
// review at 390 px: below 760 px the bar wraps to two rows (95 px) while
// the page kept the room of one (72 px), so "Set up session recordings"
// on a results page opened /sites/ID#recorders with "Session
// recordings" under the bar, as was "API tokens" after Create token on
// /settings. At 200% zoom of a 1280×800 window (640×400 CSS px), the bar
// took a quarter of the screen: on a screen that short it scrolls away
// with the page.
func TestAnchoredHeadingBelowBarBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy script")
	site, _ := startPricingHero(t, live, "shop.example.com")
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(390, 844))

	// headingBelowBar checks that the heading sel is below the bar, in
	// the window, once the browser has jumped to it.
	headingBelowBar := func(t *testing.T, what, sel string, w, h int64) {
		t.Helper()
		bar, err := chromedp.Run(tab, chromedp.Evaluate[barGeometry](barJS))
		if err != nil {
			t.Fatal(err)
		}
		// The jump to a fragment comes after the load: wait for the page
		// to have scrolled.
		top, err := chromedp.Run(tab, chromedp.Poll[float64](`window.scrollY > 0 && document.querySelector(`+jsString(sel)+`).getBoundingClientRect().top`,
			chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil {
			t.Fatalf("%s at %d×%d: the page did not scroll to %s: %v", what, w, h, sel, err)
		}
		if bar.Sticky && top < bar.Bottom {
			t.Errorf("%s at %d×%d: the heading %s starts at %.0f px, under the top bar, which ends at %.0f px", what, w, h, sel, top, bar.Bottom)
		}
		if top < 0 {
			t.Errorf("%s at %d×%d: the heading %s starts at %.0f px, above the window", what, w, h, sel, top)
		}
	}

	for _, vp := range []struct{ w, h int64 }{{1280, 900}, {820, 1180}, {761, 900}, {760, 900}, {600, 900}, {390, 844}, {320, 640}} {
		t.Run(fmt.Sprintf("%dx%d", vp.w, vp.h), func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(live.base+"/sites/"+site.ID+"#recorders"),
				chromedp.WaitVisible(chromedp.CSS("#recorders h2"))); err != nil {
				t.Fatal(err)
			}
			bar, err := chromedp.Run(tab, chromedp.Evaluate[barGeometry](barJS))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("bar %.0f px high, sticky %v, room %.0f px", bar.Height, bar.Sticky, bar.Pad)
			if bar.Sticky && bar.Pad < bar.Height+8 {
				t.Errorf("at %d×%d the top bar is %.0f px high and the page keeps %.0f px under it for a link's target", vp.w, vp.h, bar.Height, bar.Pad)
			}
			headingBelowBar(t, "/sites/ID#recorders", "#recorders h2", vp.w, vp.h)

			// Create token answers with the page at the tokens' card.
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
				chromedp.SendKeys(chromedp.CSS("#f-name"), fmt.Sprintf("Report at %d", vp.w))); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`form[action="/settings/tokens"] .btn-primary`)))); err != nil {
				t.Fatal(err)
			}
			headingBelowBar(t, "Create token", "#tokens h2", vp.w, vp.h)
		})
	}

	// 200% zoom of a 1280×800 window: the bar does not stay.
	t.Run("zoom 200%", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(640, 400), chromedp.Navigate(live.base+"/sites/"+site.ID+"#recorders"),
			chromedp.WaitVisible(chromedp.CSS("#recorders h2"))); err != nil {
			t.Fatal(err)
		}
		bar, err := chromedp.Run(tab, chromedp.Evaluate[barGeometry](barJS))
		if err != nil {
			t.Fatal(err)
		}
		if bar.Sticky {
			t.Errorf("in a 400 px high window the top bar (%.0f px) stays at the top as the page scrolls", bar.Height)
		}
		headingBelowBar(t, "/sites/ID#recorders", "#recorders h2", 640, 400)
	})
}

// TestTableWrapsScrollSignBrowser lays out the pages with tables at a
// tablet's 820 px, where the tables are tables again and the widest
// scroll inside their box: each box that scrolls shows shadows at the
// edges past which more lies, takes the keyboard's focus and is a
// region named as its table is, as the results' tables are
// (tableWrapsJS). A box that fits takes no focus, and one that comes to
// fit or to scroll as the window changes follows. Found by a review at
// 820 px: the experiments list (912 px in a box of 778) hid its Created
// column with no sign that it scrolled.
func TestTableWrapsScrollSignBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "Nightly export to the marketing data warehouse")
	site, _ := startPricingHero(t, live, "shop.example.com")
	if _, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Enterprise pricing headline",
		Page: "/pricing/enterprise*", Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		CoverageBP: 10000, Variants: []experiments.Variant{{Text: "Create account"}, {Text: "Start free"}}}); err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(820, 1180))
	const experimentsBox = `document.querySelector("main .table-wrap")`
	// focusable tells whether the experiments list's box takes the focus
	// from the keyboard, and what it is called.
	focusable := func(t *testing.T) (bool, string) {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(function () { var w = `+experimentsBox+`;
			return [String(w.tabIndex === 0 && w.getAttribute("role") === "region"), w.getAttribute("aria-label") || "", String(w.scrollWidth - w.clientWidth)]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return got[0] == "true", got[1] + " (scrolls " + got[2] + " px)"
	}
	for _, path := range []string{"/experiments", "/sites/" + site.ID, "/sites", "/users", "/settings"} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(820, 1180), chromedp.Navigate(live.base+path),
			chromedp.WaitVisible(chromedp.CSS("main table")),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; })`),
			chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](tableWrapsJS))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s at 820 px: %s", path, p)
		}
		if shots := os.Getenv("COPYLAB_REVIEW_SHOTS"); shots != "" {
			saveShot(t, tab, shots, "f4-tablet"+strings.ReplaceAll(path, "/", "-")+".png", chromedp.CaptureScreenshot())
		}
		if path != "/experiments" {
			continue
		}
		if ok, name := focusable(t); !ok || name == "" {
			t.Errorf("at 820 px the experiments list's box is not a focusable region with a name: %q", name)
		}
		// Wide enough, the list fits: its box is no stop for the Tab key.
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if ok, name := focusable(t); ok {
			t.Errorf("at 1280 px the experiments list fits its box, which still takes the focus: %s", name)
		}
		if err := chromedp.Do(tab, chromedp.EmulateViewport(820, 1180), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if ok, name := focusable(t); !ok {
			t.Errorf("back at 820 px the experiments list's box does not take the focus: %s", name)
		}
	}
}

// TestVariantBoxShowsCopyBrowser opens a draft's edit form on a phone
// (390 px) and on a desktop: each variant's box is as tall as its copy,
// so that none of it hides inside the box, up to a limit past which a
// very long text scrolls in it; a short copy keeps a box of two lines.
// Browsers that cannot grow a box get rows for the copy's length. Found
// by a review at 390 px: a variant of three sentences showed two lines
// of it in a box of two rows.
func TestVariantBoxShowsCopyBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy script")
	site := shopWithPostHog(t, live, "shop.example.com")
	long := "Ship every release with confidence: plan the work, track every task and see who is doing what, " +
		"all in one place your whole team already knows how to use, from the first sketch to the launch."
	x, err := live.store.CreateExperiment(context.Background(), experiments.Experiment{SiteID: site.ID, Name: "Hero copy", Page: "/",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}, {Text: long}, {Text: strings.Repeat(long+" ", 5)}}})
	if err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(390, 844))
	for _, w := range []int64{390, 1280} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/edit"),
			chromedp.WaitVisible(chromedp.CSS("#f-variants-1-text"))); err != nil {
			t.Fatal(err)
		}
		// [scrollHeight, clientHeight, line height, rows] of each box.
		boxes, err := chromedp.Run(tab, chromedp.Evaluate[[][]float64](`[0, 1, 2].map(function (i) {
			var b = document.getElementById("f-variants-" + i + "-text");
			return [b.scrollHeight, b.clientHeight, parseFloat(getComputedStyle(b).lineHeight), b.rows];
		})`))
		if err != nil {
			t.Fatal(err)
		}
		short, mid, huge := boxes[0], boxes[1], boxes[2]
		// A browser without field-sizing sizes the box by its rows: about
		// one per 50 characters, from 2 to 8.
		if short[3] != 2 || mid[3] != 4 || huge[3] != 8 {
			t.Errorf("the boxes have %v, %v and %v rows for copy of %d, %d and %d characters, want 2, 4 and 8",
				short[3], mid[3], huge[3], len("Project management for busy teams"), len(long), len(strings.Repeat(long+" ", 5)))
		}
		if mid[0] > mid[1]+1 {
			t.Errorf("at %d px the box of Variant B shows %.0f px of its %.0f px of copy", w, mid[1], mid[0])
		}
		if lines := short[1] / short[2]; lines < 1.9 || lines > 3.5 {
			t.Errorf("at %d px the box of a one-line original is %.1f lines high, want about two", w, lines)
		}
		if huge[1] > 844*0.6 {
			t.Errorf("at %d px the box of a very long variant is %.0f px high in an 844 px window: it should scroll in a box of at most 60%% of it", w, huge[1])
		}
		if huge[1] < mid[1] {
			t.Errorf("at %d px the box of a very long variant (%.0f px) is shorter than a shorter one's (%.0f px)", w, huge[1], mid[1])
		}
	}
}

// smallTargetsJS lists the frequent controls smaller than 24×24 CSS px
// (WCAG 2.2's target size minimum, 2.5.8): the "?" hints, the <details>
// toggles, the breadcrumbs' links and a card's heading link ("Full
// results"), each named by its text and size.
const smallTargetsJS = `(function () {
	var out = [];
	document.querySelectorAll("main .hint-btn, main summary, .crumbs a, main .section-head > a").forEach(function (el) {
		var r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || el.closest("details:not([open]) > :not(summary)")) return;
		if (r.width < 24 || r.height < 24) out.push((el.id ? "#" + el.id + " " : "") + JSON.stringify(el.textContent.trim().replace(/\s+/g, " ").slice(0, 40)) + " is " + Math.round(r.width * 10) / 10 + "×" + Math.round(r.height * 10) / 10 + " px");
	});
	return out;
})()`

// TestFrequentTargetsSizeBrowser: on a running experiment's page, its
// results and its site's page, at a phone's 390 px and a desktop's
// 1280, the controls people use often are at least 24×24 CSS px. Found
// by a review at 390 px: "Full results" was 81×23, the <details>
// toggles 23 px high, the "?" hints 17×17 and the breadcrumbs' links
// 16 px high.
func TestFrequentTargetsSizeBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy script")
	site, x := startPricingHero(t, live, "shop.example.com")
	start := time.Now().UTC().AddDate(0, 0, -6).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 6000, Start: start, Days: 7, Seed: 5,
		Rates: map[string]float64{"control": 0.08, "b": 0.1, "c": 0.081}, Effect: lovedInUSAndIndia})
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(390, 844))
	for _, tc := range []struct{ name, path, wait string }{
		{"experiment", "/experiments/" + x.ID, ".table-results"},
		{"results", "/experiments/" + x.ID + "/results", ".chart-svg"},
		{"site", "/sites/" + site.ID, "main summary"},
	} {
		for _, w := range []int64{390, 1280} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 900), chromedp.Navigate(live.base+tc.path),
				chromedp.WaitVisible(chromedp.CSS(tc.wait))); err != nil {
				t.Fatal(err)
			}
			small, err := chromedp.Run(tab, chromedp.Evaluate[[]string](smallTargetsJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range small {
				t.Errorf("%s at %d px: %s", tc.name, w, s)
			}
			if shots := os.Getenv("COPYLAB_REVIEW_SHOTS"); shots != "" {
				saveShot(t, tab, shots, fmt.Sprintf("f4-targets-%s-%d.png", tc.name, w), chromedp.FullScreenshot(100))
			}
		}
	}
}

// TestLongInviteEmailWrapsBrowser makes an invite for an email of 67
// characters at a phone's 390 px and 320: the one-time notice that
// names it and gives the link wraps the email inside its box, and the
// page does not scroll sideways. Found by a review at 390 px: the
// notice's email made the page 434 px wide. A password set for a
// teammate names them in the same kind of notice.
func TestLongInviteEmailWrapsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy script")
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(390, 844))
	for i, tc := range []struct{ form, field string }{
		{`form[action="/users/invites"]`, "#f-invite-email"},
		{`form[action="/users"]`, "#f-email"},
	} {
		for _, w := range []int64{390, 320} {
			email := fmt.Sprintf("new.colleague.with.a.long.address%d%d@marketing-department.example.com", i, w)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+"/users"),
				chromedp.WaitVisible(chromedp.CSS(tc.field)), chromedp.SendKeys(chromedp.CSS(tc.field), email)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(tc.form+" .btn-primary")))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`(function () {
				var n = document.querySelector(".notice-key"), s = n.querySelector("strong");
				var box = n.getBoundingClientRect(), right = 0;
				Array.prototype.forEach.call(s.getClientRects(), function (r) { right = Math.max(right, r.right); });
				return [document.documentElement.scrollWidth, window.innerWidth, right, box.right];
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if got[0] > got[1] {
				t.Errorf("%s at %d px: the page is %.0f px wide in a %.0f px window", tc.form, w, got[0], got[1])
			}
			if got[2] > got[3] {
				t.Errorf("%s at %d px: the notice's email runs to %.0f px, past its box's edge at %.0f", tc.form, w, got[2], got[3])
			}
		}
	}
}
