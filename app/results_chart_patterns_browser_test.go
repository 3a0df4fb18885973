package app

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// chartPatternsJS lists, in the rate chart and its legend, what a reader
// without colour could not tell apart or could not see: a line or a
// legend line whose dashes, as Chromium draws them, are not those of its
// series' pattern or are another series' too; a line, marker or swatch
// painted in the page's background colour or not at all; a swatch too
// small to read; in forced colours, one not in the text's colour.
// seriesPaintJS starts the chart checks below: out collects the problems;
// series names an element's series; painted checks that a property of an
// element is painted, in the text's colour in forced colours (%t: forced).
const seriesPaintJS = `	var out = [], bg = getComputedStyle(document.body).backgroundColor, fg = getComputedStyle(document.body).color, forced = %t;
	var series = function (el) { return (String(el.getAttribute("class")).match(/series-\d+/) || [""])[0]; };
	var painted = function (what, el, prop) {
		var s = getComputedStyle(el), v = s[prop];
		if (v === "none" || v === bg || v === "rgba(0, 0, 0, 0)" || s.visibility !== "visible" || s.display === "none" || parseFloat(s.opacity) < 0.5) {
			out.push(what + ": " + prop + " " + v + " on a background of " + bg);
		} else if (forced && v !== fg) {
			out.push(what + ": " + prop + " " + v + " in forced colours, not the text's " + fg);
		}
	};
`

const chartPatternsJS = `(function () {
` + seriesPaintJS + `	var seen = {};
	var dashes = function (what, el, s) {
		var got = getComputedStyle(el).strokeDasharray.replace(/px/g, "").replace(/,\s*/g, " ");
		var want = el.getAttribute("stroke-dasharray");
		if (got !== want) out.push(what + ": drawn with dashes " + got + ", its pattern " + want);
		if (seen[got] && seen[got] !== s) out.push(what + ": dashes " + got + " as " + seen[got]);
		seen[got] = s;
	};
	document.querySelectorAll(".chart-line").forEach(function (l) {
		var s = series(l);
		dashes("the line of " + s, l, s);
		painted("the line of " + s, l, "stroke");
	});
	document.querySelectorAll(".chart-dot").forEach(function (m) { painted("a marker of " + series(m), m, "stroke"); });
	document.querySelectorAll(".legend li").forEach(function (li) {
		var sw = li.querySelector(".legend-swatch"), name = li.textContent.trim();
		if (!sw) { out.push("the legend's " + name + " has no swatch"); return; }
		var r = sw.getBoundingClientRect();
		if (r.width < 30 || r.height < 8) out.push("the legend's " + name + ": a swatch of " + r.width + "×" + r.height + " px");
		var l = sw.querySelector(".legend-line"), m = sw.querySelector(".legend-marker");
		dashes("the legend's " + name, l, series(sw));
		painted("the legend's " + name, l, "stroke");
		painted("the legend's " + name + " marker", m, "stroke");
	});
	if (document.querySelectorAll(".chart-line").length !== %d) out.push(document.querySelectorAll(".chart-line").length + " lines");
	return out;
})()`

// TestChartPatternsBrowser: in Chromium, the rate chart of a test with as
// many variants as a test may have draws each line, and its legend entry,
// with dashes of its own (an app.css rule could override the SVG
// attribute), and they stay painted in forced-colours mode (Windows High
// Contrast): in the text's colour, since Chromium leaves SVG strokes as
// they are and a dark series would fade on a black background; there the
// dashes and markers are what tells the lines apart. With COPYLAB_REVIEW_SHOTS=DIR it saves the
// chart in both modes there, for a person to look at.
func TestChartPatternsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	x := startFullHero(t, live, site)
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")

	for _, forced := range []bool{false, true} {
		name := "colours"
		if forced {
			name = "forced-colours"
		}
		t.Run(name, func(t *testing.T) {
			var features []*emulation.MediaFeature
			if forced {
				features = []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}}
			}
			if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+"/r/"+x.ShareToken),
				chromedp.WaitVisible(chromedp.CSS(".chart-svg"))); err != nil {
				t.Fatal(err)
			}
			on, err := chromedp.Run(tab, chromedp.Evaluate[bool](`matchMedia("(forced-colors: active)").matches`))
			if err != nil || on != forced {
				t.Fatalf("forced colours %v, want %v (%v)", on, forced, err)
			}
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](fmt.Sprintf(chartPatternsJS, forced, experiments.MaxVariants)))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			if shots != "" {
				saveShot(t, tab, shots, "chart-patterns-"+name+".png",
					chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="over-time"]`)))
			}
		})
	}
}

// startFullHero starts "Hero" on site with as many variants as a test may
// have, and gives it ten days of results.
func startFullHero(t *testing.T, live *liveApp, site experiments.Site) experiments.Experiment {
	t.Helper()
	ctx := context.Background()
	vs := []experiments.Variant{{Text: "Buy today"}}
	for i := 1; i < experiments.MaxVariants; i++ {
		vs = append(vs, experiments.Variant{Text: "New copy " + strconv.Itoa(i)})
	}
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/pricing",
		Selector: heroSelector, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000, Variants: vs})
	if err != nil {
		t.Fatal(err)
	}
	if x, err = live.store.Transition(ctx, x.ID, "start"); err != nil {
		t.Fatal(err)
	}
	rates := map[string]float64{}
	for i, v := range x.Variants {
		rates[v.Key] = 0.06 + 0.003*float64(i)
	}
	bulkResults(t, live.store, site, x, bulkSpec{Events: 20_000, Start: time.Now().AddDate(0, 0, -9), Days: 10, Seed: 7, Rates: rates})
	return x
}
