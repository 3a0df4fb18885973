package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// cardsWholeJS lists the figures of the results' daily tables and segments
// that a line break splits: an interval ("7.71% to 8.20%", "−2.1% to
// +27.0%"), a count of conversions ("36/452", "36 conv.") or a segment's
// mark ("▼ clearly lower"). Each is found in the cells' text, whatever the
// markup around it, and counts as split when its boxes (a DOM Range's
// client rects) lie on more than one line. The first problem of each table
// is enough.
const cardsWholeJS = `(function () {
	var out = [], units = [
		/[−+]?\d[\d.,]*%\s+to\s+[−+]?\d[\d.,]*%/g,
		/\d[\d,]*\/\d[\d,]*/g,
		/\d[\d,]*\s+conv\./g,
		/[▲▼]\s+clearly\s+(higher|lower)/g
	];
	document.querySelectorAll(".table-data, .table-segments").forEach(function (table) {
		var caption = table.caption.textContent.trim(), cells = table.querySelectorAll("tbody td");
		if (cells.length === 0) out.push(caption + " has no cells");
		for (var i = 0; i < cells.length; i++) {
			var walk = document.createTreeWalker(cells[i], NodeFilter.SHOW_TEXT), node, split = "";
			while (!split && (node = walk.nextNode())) {
				units.forEach(function (re) {
					re.lastIndex = 0;
					for (var m; !split && (m = re.exec(node.data));) {
						var r = document.createRange();
						r.setStart(node, m.index);
						r.setEnd(node, m.index + m[0].length);
						var tops = [];
						Array.prototype.forEach.call(r.getClientRects(), function (b) {
							if (b.width > 0 && !tops.some(function (t) { return Math.abs(t - b.top) < 2; })) tops.push(b.top);
						});
						if (tops.length > 1) split = JSON.stringify(m[0]) + " is split over " + tops.length + " lines";
					}
				});
			}
			if (split) {
				var row = cells[i].parentElement.querySelector("th").textContent.trim();
				out.push(caption + ", " + row + ", " + cells[i].dataset.label + ": " + split);
				return;
			}
		}
	});
	return out;
})()`

// resultsCardEdgesJS lists the per-variant cards (.table-results on a
// phone) whose lines do not share their edges: each figure's label (a
// cell's content box starts where its ::before does) lines up with the
// variant's name, and each figure's right edge with the others'.
const resultsCardEdgesJS = `(function () {
	var out = [];
	var box = function (el) {
		var r = el.getBoundingClientRect(), cs = getComputedStyle(el);
		return {left: r.left + parseFloat(cs.paddingLeft), right: r.right - parseFloat(cs.paddingRight)};
	};
	document.querySelectorAll(".table-results tbody th[scope=row]").forEach(function (th) {
		var tr = th.parentElement, name = tr.querySelector(".result-name").textContent.trim(), head = box(th), right = null, wrong = [];
		// A variant's second line (where its copy came from, how often it
		// was shown) is a row of its own, without a header, in its card.
		var cells = Array.from(tr.querySelectorAll("td")), next = tr.nextElementSibling;
		if (next && !next.querySelector("th")) cells = cells.concat(Array.from(next.querySelectorAll("td")));
		cells.forEach(function (td) {
			var b = box(td), what = td.dataset.label || "second line";
			if (Math.abs(b.left - head.left) > 0.5) wrong.push(name + "'s " + what + " starts at " + b.left.toFixed(1) + " px, its name at " + head.left.toFixed(1));
			if (right === null) right = b.right;
			else if (Math.abs(b.right - right) > 0.5) wrong.push(name + "'s " + what + " ends at " + b.right.toFixed(1) + " px, its visitors at " + right.toFixed(1));
		});
		if (wrong.length) out.push(wrong[0] + (wrong.length > 1 ? " (and " + (wrong.length - 1) + " more)" : ""));
	});
	return out;
})()`

// TestResultsCardsPhoneBrowser: on a phone (375 and 390 px wide) the
// results' daily tables and segments read as cards whose figures stay
// whole: no interval, no count of conversions and no segment's mark is
// split over two lines, with two variants and with five (and three, in
// TestPhonePagesFitBrowser). Before, the cards had three columns of about
// 80 px, too narrow for "5.82% to 10.8% · 36/452": it wrapped over two or
// three lines, mid-range, and "▼ clearly worse" over two. In each
// variant's card of the table above them, the figures' labels line up
// with the variant's name, and the figures end at one edge: before, the
// labels started 3 px left of the name, and the last figure (the p-value)
// ended 5 px short of the others. At 1280 px the
// tables are tables, unchanged. With COPYLAB_REVIEW_SHOTS=DIR it saves
// each table's box at each width there, for a person to look at.
func TestResultsCardsPhoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "phone")
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().AddDate(0, 0, -9).Truncate(24 * time.Hour)
	texts := []string{"Simple pricing for growing teams", "Pay for what you ship", "Pricing that grows with you",
		"One price, every feature", "Start free, upgrade when you grow"}
	rates := map[string]float64{"control": 0.08, "b": 0.093, "c": 0.081, "d": 0.07, "e": 0.088}
	var ids []string
	for _, n := range []int{2, 5} {
		var vs []experiments.Variant
		for _, s := range texts[:n] {
			vs = append(vs, experiments.Variant{Text: s})
		}
		x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: fmt.Sprintf("Pricing hero, %d variants", n),
			Page: fmt.Sprintf("/pricing-%d", n), Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
			CoverageBP: 10000, Variants: vs})
		if err != nil {
			t.Fatal(err)
		}
		if x, err = live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			t.Fatal(err)
		}
		// Enough traffic for four-digit counts a day, and marked segments.
		bulkResults(t, live.store, site, x, bulkSpec{Events: 25_000 * n, Start: start, Days: 10, Seed: uint64(n),
			Rates: rates, Effect: lovedInUSAndIndia})
		ids = append(ids, x.ID)
	}

	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	for i, id := range ids {
		n := []int{2, 5}[i]
		t.Run(fmt.Sprintf("%d variants", n), func(t *testing.T) {
			for _, w := range []int64{375, 390, 1280} {
				if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+"/experiments/"+id+"/results"),
					chromedp.WaitVisible(chromedp.CSS(".chart-svg")),
					chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; })`)); err != nil {
					t.Fatal(err)
				}
				if w < 760 {
					split, err := chromedp.Run(tab, chromedp.Evaluate[[]string](cardsWholeJS))
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range split {
						t.Errorf("at %d px: %s", w, p)
					}
					problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](phoneScrollJS))
					if err != nil {
						t.Fatal(err)
					}
					edges, err := chromedp.Run(tab, chromedp.Evaluate[[]string](resultsCardEdgesJS))
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range append(problems, edges...) {
						t.Errorf("at %d px: %s", w, p)
					}
				} else {
					drawn, err := chromedp.Run(tab, chromedp.Evaluate[[]drawnTable](phoneTablesJS))
					if err != nil {
						t.Fatal(err)
					}
					for _, d := range drawn {
						if d.Table != "table" || d.Row != "table-row" || d.Head != "table-row" {
							t.Errorf("at %d px the table %q is drawn as %s, its header row as %s, its rows as %s", w, d.Caption, d.Table, d.Head, d.Row)
						}
					}
				}
				if shots == "" {
					continue
				}
				if err := os.MkdirAll(shots, 0o755); err != nil {
					t.Fatal(err)
				}
				for _, sel := range []string{"#rate-data", "#visit-data", "#seg-country", "#seg-device"} {
					buf, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(sel+" .table-wrap")))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("cards%d-%s-%d.png", n, sel[1:], w)), buf, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
