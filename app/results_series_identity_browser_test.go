package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// barPatternsJS lists, in the chart of new visitors and beside the
// variants' names, what a reader without colour could not tell apart or
// could not see: a bar not filled with its variant's pattern as Chromium
// draws it (an app.css fill would override the attribute), or with
// another variant's; a bar's outline or a pattern's marker painted in the
// background's colour or not at all, or, in forced colours, not in the
// text's, on a ground not the background's; a picture beside a name too
// small, unpainted, or dashed otherwise than its attribute says. It
// returns the problems, and the box of each variant's tallest bar within
// the chart, for a look at its pixels.
const barPatternsJS = `(function () {
` + seriesPaintJS + `	var svg = document.querySelector(".chart-bar").closest("svg"), box = svg.getBoundingClientRect();
	var fills = {}, tallest = {};
	svg.querySelectorAll(".chart-bar").forEach(function (b) {
		var s = series(b), f = getComputedStyle(b).fill, m = f.match(/^url\("?#([^")]+)"?\)$/), r = b.getBoundingClientRect();
		if (!tallest[s] || r.height > tallest[s].h) tallest[s] = {s: s, x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height};
		if (!m) { out.push("a bar of " + s + " filled with " + f); return; }
		var p = document.getElementById(m[1]);
		if (!p || p.tagName !== "pattern") { out.push("a bar of " + s + " filled with " + f + ", no pattern"); return; }
		if (series(p) !== s) out.push("a bar of " + s + " filled with the pattern of " + series(p));
		if (fills[s] && fills[s] !== m[1]) out.push("bars of " + s + " filled with " + fills[s] + " and " + m[1]);
		fills[s] = m[1];
		painted("the outline of a bar of " + s, b, "stroke");
	});
	var used = {};
	Object.keys(fills).forEach(function (s) {
		if (used[fills[s]]) out.push(s + " and " + used[fills[s]] + " share a pattern");
		used[fills[s]] = s;
		var p = document.getElementById(fills[s]), g = p.querySelector(".bar-ground");
		p.querySelectorAll(".bar-marker").forEach(function (m) { painted("a marker in the bars of " + s, m, "stroke"); });
		if (forced && (getComputedStyle(g).fill !== bg || getComputedStyle(g).fillOpacity !== "1")) out.push("the ground of the bars of " + s + " in forced colours: " + getComputedStyle(g).fill);
	});
	var names = 0;
	document.querySelectorAll(".result-name, .variant-name").forEach(function (n) {
		var name = n.textContent.trim(), sw = n.querySelector(".legend-swatch");
		if (!sw) { out.push(name + ": no picture of its line"); return; }
		names++;
		var r = sw.getBoundingClientRect();
		if (r.width < 30 || r.height < 8) out.push(name + ": a picture of " + r.width + "×" + r.height + " px");
		var l = sw.querySelector(".legend-line"), m = sw.querySelector(".legend-marker");
		var got = getComputedStyle(l).strokeDasharray.replace(/px/g, "").replace(/,\s*/g, " ");
		if (got !== l.getAttribute("stroke-dasharray")) out.push(name + ": drawn with dashes " + got + ", its pattern " + l.getAttribute("stroke-dasharray"));
		painted(name + "'s line", l, "stroke");
		painted(name + "'s marker", m, "stroke");
	});
	if (Object.keys(fills).length !== %d) out.push(Object.keys(fills).length + " variants' bars filled");
	if (names === 0) out.push("no variant's name with its line");
	return {problems: out, bars: Object.keys(tallest).map(function (s) { return tallest[s]; })};
})()`

// barReport is what barPatternsJS finds.
type barReport struct {
	Problems []string `json:"problems"`
	Bars     []barBox `json:"bars"`
}

// barBox is a variant's tallest bar, in CSS pixels from the chart's
// top left corner.
type barBox struct {
	S string  `json:"s"`
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// TestBarPatternsBrowser: in Chromium, the chart of new visitors of a
// test with as many variants as a test may have fills each variant's bars
// with its own pattern (its line's marker), which shows: inside each
// variant's tallest bar lie pixels of at least two colours, the marks and
// their ground. It stays so in forced-colours mode (Windows High
// Contrast), in the text's and the background's colours, where the
// patterns alone tell the bars apart. Beside each variant's name, in the
// results table and the recordings, is the picture of its line the legend
// shows. With COPYLAB_REVIEW_SHOTS=DIR it saves the chart and the table
// in both modes there, for a person to look at.
func TestBarPatternsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	site := shopWithPostHog(t, live, "example.com")
	x := startFullHero(t, live, site)
	// A recorded session of the original's and of B's, for the list.
	for i, v := range []string{"control", "b"} {
		visitor := "rec" + strconv.Itoa(i)
		req, _ := http.NewRequest(http.MethodPost, live.base+"/e", bytes.NewReader(evBodyOf(site.Key, visitor,
			exposureEv(x.ID, v), recEvent(x.ID, v, "posthog", "ph-"+visitor, ""))))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("User-Agent", recDesktopUA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("POST /e: %s", resp.Status)
		}
	}
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
				chromedp.WaitVisible(chromedp.CSS(".chart-bar")), chromedp.WaitVisible(chromedp.CSS(".rec-table"))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[barReport](fmt.Sprintf(barPatternsJS, forced, experiments.MaxVariants)))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range got.Problems {
				t.Error(p)
			}
			// The chart alone, at the device's scale of 1: its pixels
			// are CSS pixels from its corner.
			buf, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(`.chart-box:has(.chart-bar) .chart-svg`)))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(buf))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range got.Bars {
				if m := marked(img, b); m < 0.05 {
					t.Errorf("the tallest bar of %s (%.0f×%.0f px) is %.0f%% marks: its pattern does not show", b.S, b.W, b.H, 100*m)
				}
			}
			if shots != "" {
				saveShot(t, tab, shots, "bar-patterns-"+name+".png",
					chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="over-time"]`)))
				saveShot(t, tab, shots, "results-table-"+name+".png", chromedp.Screenshot(chromedp.CSS(`.table-results`)))
				saveShot(t, tab, shots, "recordings-"+name+".png", chromedp.Screenshot(chromedp.CSS(`#recordings`)))
			}
		})
	}
}

// marked is the share of the inside of a bar (two pixels in from its
// edges, clear of its outline) that differs clearly from its commonest
// colour: a flat fill has none, a pattern's marks some.
func marked(img image.Image, b barBox) float64 {
	var px [][3]int
	count := map[[3]int]int{}
	for y := int(b.Y) + 2; y < int(b.Y+b.H)-2; y++ {
		for x := int(b.X) + 2; x < int(b.X+b.W)-2; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
			px = append(px, c)
			count[c]++
		}
	}
	if len(px) == 0 {
		return 0
	}
	var common [3]int
	for c, n := range count {
		if n > count[common] {
			common = c
		}
	}
	off := 0
	for _, c := range px {
		if max(abs(c[0]-common[0]), abs(c[1]-common[1]), abs(c[2]-common[2])) > 48 {
			off++
		}
	}
	return float64(off) / float64(len(px))
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
