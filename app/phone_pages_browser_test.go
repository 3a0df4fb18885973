package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// phoneScrollJS lists every element of the page that scrolls sideways, or
// would: its content is wider than its box (scrollWidth past clientWidth),
// whether the box scrolls, clips or lets it spill. Only single-line text
// fields are left out (a long value scrolls inside its field, as
// everywhere), and the texts for screen readers only (.sr-only, a card
// table's header row), clipped to a pixel by design. Code is not an
// exception: the site's tag, a read-only textarea, wraps.
const phoneScrollJS = `(function () {
	var out = [], clipped = [];
	var name = function (el) {
		var s = [];
		for (var p = el, i = 0; p && p !== document.body && i < 4; p = p.parentElement, i++) {
			var c = typeof p.className === "string" ? p.className.trim().split(/\s+/).filter(Boolean) : [];
			s.unshift(p.tagName.toLowerCase() + (p.id ? "#" + p.id : "") + (c.length ? "." + c.join(".") : ""));
		}
		return s.join(" > ");
	};
	var root = document.documentElement;
	if (root.scrollWidth > root.clientWidth) out.push("the page scrolls " + (root.scrollWidth - root.clientWidth) + " px sideways");
	document.querySelectorAll("body *").forEach(function (el) {
		if (el.matches("input")) return;
		if (clipped.some(function (c) { return c.contains(el); })) return;
		var cs = getComputedStyle(el);
		if (cs.clipPath !== "none" || cs.clip !== "auto") { clipped.push(el); return; }
		if (el.clientWidth === 0) return; // inline, or not shown
		if (el.scrollWidth > el.clientWidth + 1) out.push(name(el) + ": " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
	});
	return out;
})()`

// phoneFiguresJS checks, on a page with results, that each variant's key
// figures are on the screen and labelled there: its conversion rate with
// its interval and its chance to be best (in the card of the per-variant
// table), and in every card of the daily tables and segments each figure
// under its variant's name (the first problem of each table is enough). A figure counts as shown when it has a box
// inside the screen's width; as labelled when its cell's label (the
// data-label its ::before shows) is the one wanted and the ::before is
// drawn. It returns what is wrong.
const phoneFiguresJS = `(function () {
	var out = [], w = document.documentElement.clientWidth;
	var shown = function (el, what) {
		if (!el) { out.push(what + " is missing"); return false; }
		var r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || r.left < -0.5 || r.right > w + 0.5) {
			out.push(what + " " + JSON.stringify(el.textContent.trim()) + " is at " + Math.round(r.left) + " to " + Math.round(r.right) + " px of " + w);
			return false;
		}
		return true;
	};
	var labelled = function (td, want, what) {
		var before = getComputedStyle(td, "::before");
		if (td.dataset.label !== want) out.push(what + " is labelled " + JSON.stringify(td.dataset.label) + ", want " + JSON.stringify(want));
		else if (before.content === "none" || before.content === "normal" || before.display === "none") out.push(what + "'s label is not shown");
	};
	// A variant's row, not its second line (where its copy came from, how
	// often it was shown), which has no header and no figures.
	var rows = document.querySelectorAll(".table-results tbody tr:has(th)");
	if (rows.length === 0) out.push("no per-variant results");
	rows.forEach(function (tr) {
		var v = tr.querySelector(".result-name").textContent.trim();
		var rate = tr.querySelector('td[data-label="Conversion rate"]'), best = tr.querySelector('td[data-label="Chance to be best"]');
		if (!shown(rate, v + "'s conversion rate cell") || !shown(best, v + "'s chance to be best cell")) return;
		labelled(rate, "Conversion rate", v + "'s conversion rate");
		labelled(best, "Chance to be best", v + "'s chance to be best");
		if (shown(rate.querySelector(".rate"), v + "'s conversion rate") && !/\d%$/.test(rate.querySelector(".rate").textContent.trim())) out.push(v + "'s rate reads " + rate.querySelector(".rate").textContent);
		if (shown(rate.querySelector(".interval"), v + "'s interval") && !/ to /.test(rate.querySelector(".interval").textContent)) out.push(v + "'s interval reads " + rate.querySelector(".interval").textContent);
		shown(best.querySelector(".prob"), v + "'s chance to be best");
	});
	document.querySelectorAll(".table-data, .table-segments").forEach(function (table) {
		var caption = table.caption.textContent.trim(), before = out.length;
		var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.firstChild.textContent.trim(); });
		var trs = table.querySelectorAll("tbody tr");
		if (trs.length === 0) out.push(caption + " has no rows");
		trs.forEach(function (tr) {
			if (out.length > before) return; // one problem per table says enough
			var head = tr.querySelector("th");
			if (!shown(head, caption + ": a card's name")) return;
			tr.querySelectorAll("td").forEach(function (td, i) {
				var what = caption + ", " + head.textContent.trim() + ", " + heads[i + 1];
				if (!shown(td, what)) return;
				labelled(td, heads[i + 1], what);
				var iv = td.querySelector(".interval");
				if (iv) shown(iv, what + "'s interval");
			});
		});
	});
	return out;
})()`

// phoneTablesJS describes, for the desktop check, how each table of
// <main> is drawn: the display of the table, of its header row ("" for a
// reference table, headed by its rows only) and of its first body row,
// and the height of its header row.
const phoneTablesJS = `Array.prototype.map.call(document.querySelectorAll("main table"), function (t) {
	var head = t.querySelector("thead tr"), row = t.querySelector("tbody tr");
	return {caption: t.caption ? t.caption.textContent.trim() : "(no caption)", table: getComputedStyle(t).display,
		head: head ? getComputedStyle(head).display : "", row: row ? getComputedStyle(row).display : "none",
		height: head ? head.getBoundingClientRect().height : 0};
})`

// drawnTable is one table as phoneTablesJS describes it.
type drawnTable struct {
	Caption, Table, Head, Row string
	Height                    float64
}

// TestPhonePagesFitBrowser lays out every signed-in page, and the share
// page, in headless Chromium at a phone's 375 px, with every folded part
// (data tables, segments) unfolded: no element on them has content wider
// than its box, so nothing scrolls sideways, inside its box or the page.
// Before, the results' daily tables and segments scrolled 138 to 562 px
// inside their boxes, a draft's preview links 30 px, and the sites list's
// "1 running" spilled out of its card. The key figures stay in view and
// labelled: each variant's conversion rate, its interval and its chance to
// be best, and in the daily tables and segments each figure under its
// variant's name, whole: no interval or mark split over two lines
// (cardsWholeJS; before, the three-column cards split most). At 1280 px the same tables are still tables, with their
// header rows, and to a screen reader they are tables on a phone too. With
// COPYLAB_REVIEW_SHOTS=DIR it saves each page at 375 px there, and each
// table's box at both widths, for a person to look at.
func TestPhonePagesFitBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "Deploy script on the build server")
	site, x := startPricingHero(t, live, "shop.example.com")
	// Two weeks of traffic, so every part of the results is there: a
	// verdict, charts and their tables over days, segments with marked
	// values. Then a few recorded visitors.
	start := time.Now().UTC().AddDate(0, 0, -13).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 40_000, Start: start, Days: 14, Seed: 11,
		Rates: map[string]float64{"control": 0.08, "b": 0.088, "c": 0.081}, Effect: lovedInUSAndIndia})
	for i, v := range []string{"control", "b", "c", "b"} {
		evs := []map[string]any{exposureEv(x.ID, v), recEvent(x.ID, v, "posthog", fmt.Sprintf("0190e2e0-5e55-7000-8000-0000000000%02d", i), "")}
		if i%2 == 1 {
			evs = append(evs, conversionEv(x.ID))
		}
		resp, err := uaClient.Post(live.base+"/e", "text/plain", bytes.NewReader(evBodyOf(site.Key, fmt.Sprintf("visitor-%d", i), evs...)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("events: %d", resp.StatusCode)
		}
	}
	// A draft whose page is a pattern: its preview links are parameters to
	// add, a long code with no space in it.
	draft, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Signup button", Page: "/signup*",
		Selector: `[data-copylab="signup"]`, Goal: experiments.Goal{Type: experiments.GoalPageview, URL: "/welcome*"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Create account"}, {Text: "Start free, no card needed"}}})
	if err != nil {
		t.Fatal(err)
	}

	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	save := func(t *testing.T, file string, action chromedp.Action[[]byte]) {
		t.Helper()
		saveShot(t, tab, shots, file, action)
	}
	for _, tc := range []struct {
		name, path, wait string
		figures          bool // the page shows results: check their figures
	}{
		{"experiment", "/experiments/" + x.ID, ".table-results", true},
		{"results", "/experiments/" + x.ID + "/results", ".chart-svg", true},
		{"recordings", "/experiments/" + x.ID + "/recordings", "#recordings", false},
		{"share", "/r/" + x.ShareToken, ".chart-svg", true},
		{"share-recordings", "/r/" + x.ShareToken + "/recordings", "#recordings", false},
		{"draft", "/experiments/" + draft.ID, "#preview", false},
		{"edit", "/experiments/" + x.ID + "/edit", "h1", false},
		{"edit-draft", "/experiments/" + draft.ID + "/edit", "#plan-estimate", false}, // with the plan's estimate
		{"new", "/experiments/new", "#plan-estimate", false},
		{"site", "/sites/" + site.ID, ".copybox", false},
		{"sites", "/sites", "main table", false},
		{"settings", "/settings", "#sessions", false},
		{"users", "/users", "main table", false},
		{"experiments", "/experiments", "main table", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open := func(width, height int64) {
				t.Helper()
				if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height), chromedp.Navigate(live.base+tc.path),
					chromedp.WaitVisible(chromedp.CSS(tc.wait)),
					chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; })`)); err != nil {
					t.Fatal(err)
				}
			}
			tables := func(width int64) int {
				t.Helper()
				n, err := chromedp.Run(tab, chromedp.Evaluate[int](`(function () {
					var boxes = document.querySelectorAll("main .table-wrap");
					boxes.forEach(function (b, i) { b.dataset.shot = i; });
					return boxes.length;
				})()`))
				if err != nil {
					t.Fatal(err)
				}
				if shots != "" {
					for i := range n {
						save(t, fmt.Sprintf("%s-table%d-%d.png", tc.name, i, width),
							chromedp.Screenshot(chromedp.CSS(fmt.Sprintf(`main .table-wrap[data-shot="%d"]`, i))))
					}
				}
				return n
			}

			open(375, 812)
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](phoneScrollJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("at 375 px: %s", p)
			}
			if tc.figures {
				wrong, err := chromedp.Run(tab, chromedp.Evaluate[[]string](phoneFiguresJS))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range wrong {
					t.Errorf("at 375 px: %s", p)
				}
				split, err := chromedp.Run(tab, chromedp.Evaluate[[]string](cardsWholeJS))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range split {
					t.Errorf("at 375 px: %s", p)
				}
			}
			if shots != "" {
				save(t, tc.name+"-375.png", chromedp.FullScreenshot(90))
			}
			phoneTables := tables(375)

			// On a desktop each table is drawn as a table, with its header.
			open(1280, 900)
			drawn, err := chromedp.Run(tab, chromedp.Evaluate[[]drawnTable](phoneTablesJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range drawn {
				if d.Table != "table" || d.Row != "table-row" || (d.Head != "" && (d.Head != "table-row" || d.Height < 20)) {
					t.Errorf("at 1280 px the table %q is drawn as %s, its header row as %s (%.0f px high), its rows as %s",
						d.Caption, d.Table, d.Head, d.Height, d.Row)
				}
			}
			if over, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); err != nil || over > 0 {
				t.Errorf("at 1280 px the page scrolls %d px sideways (%v)", over, err)
			}
			if n := tables(1280); n != phoneTables {
				t.Errorf("%d tables at 1280 px, %d at 375 px", n, phoneTables)
			}
		})
	}

	// "Other" and "No referrer" are no value anyone picked: their
	// row heads are grey, on a phone's cards and on a desktop's table.
	t.Run("values nobody picked are grey", func(t *testing.T) {
		for _, width := range []int64{375, 1280} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
				chromedp.WaitVisible(chromedp.CSS(".chart-svg"))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
					var m = document.querySelector(".table-segments tbody th.muted"), n = document.querySelector(".table-segments tbody th:not(.muted)");
					return m && n ? getComputedStyle(m).color + "|" + getComputedStyle(n).color : "missing";
				})()`))
			if err != nil {
				t.Fatal(err)
			}
			grey, picked, _ := strings.Cut(got, "|")
			if got == "missing" || grey == picked {
				t.Errorf("at %d px an unpicked value's head is %q, a picked one's %q: want them apart", width, grey, picked)
			}
		}
	})

	// To a screen reader, a card table is still a table on a phone: its
	// day or value heads the row, and each figure is a cell.
	t.Run("roles", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 812), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
			chromedp.WaitVisible(chromedp.CSS(".chart-svg")),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; })`)); err != nil {
			t.Fatal(err)
		}
		for sel, want := range map[string]string{
			"#rate-data table":                        "table",
			"#rate-data tbody tr":                     "row",
			"#rate-data tbody th":                     "rowheader",
			"#rate-data tbody td":                     "cell",
			"#seg-country table":                      "table",
			"#seg-country thead th:nth-child(3)":      "columnheader",
			"#seg-country tbody th":                   "rowheader",
			"#seg-country tbody td:nth-of-type(2)":    "cell",
			"#visit-data tbody td:last-child":         "cell",
			"#seg-device tbody tr:first-child th":     "rowheader",
			"#seg-device tbody tr:first-child td.num": "cell",
		} {
			if got := axRole(t, tab, sel); got != want {
				t.Errorf("%s is a %q to a screen reader, want %q", sel, got, want)
			}
		}
	})
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
