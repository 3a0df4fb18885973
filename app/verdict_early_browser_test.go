package app

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestVerdictEarlyColours: in Chromium, an answer too early to act on
// wears the blue of a test still running, not its status's green, on the
// list's chip and on the results page's verdict (block, edge and icon),
// with text of at least 4.5:1 against its background; an answer the page
// calls keeps the winner's green.
func TestVerdictEarlyColours(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "colours")
	started := func(name string, days int) experiments.Experiment {
		t.Helper()
		_, x := resultsFixture(t, live.store, name, "Original headline", "New headline")
		for i, c := range [][2]int64{{100000, 5000}, {100000, 6500}} { // a winner past its planned sample
			if _, err := live.store.Writer().Exec(`insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed)
				values (?, ?, ?, ?, ?, 0)`, x.ID, x.Variants[i].Key, c[0], c[1], c[0]); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Now().Add(-time.Duration(days) * 24 * time.Hour).UnixMilli()
		for _, q := range []string{`update experiments set started_at = ? where id = ?`, `update experiment_history set at = ? where experiment_id = ?`} {
			if _, err := live.store.Writer().Exec(q, at, x.ID); err != nil {
				t.Fatal(err)
			}
		}
		return x
	}
	young := started("Two days in", 2)
	started("Two weeks in", 14)

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	// look says an element's colours and the contrast of its text on its
	// own background.
	type colours struct {
		Missing                 bool
		Color, Background, Edge string
		Contrast                float64
	}
	look := func(t *testing.T, sel string) colours {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[colours](`(function () {`+a11yColorJS+`
			var el = document.querySelector(`+strconv.Quote(sel)+`);
			if (!el) return {Missing: true};
			var cs = getComputedStyle(el);
			return {Color: cs.color, Background: cs.backgroundColor, Edge: cs.borderLeftColor,
				Contrast: ratio(parse(cs.color), bgOf(el))};
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		if got.Missing {
			t.Fatalf("no %s", sel)
		}
		return got
	}
	const (
		blue     = "rgb(0, 90, 140)"
		blueSoft = "rgb(238, 246, 252)"
		blueEdge = "rgb(0, 114, 178)"
		green    = "rgb(4, 120, 87)"
	)

	t.Run("list chips", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments"), chromedp.WaitVisible(chromedp.CSS(".verdict-chip"))); err != nil {
			t.Fatal(err)
		}
		early := look(t, ".verdict-chip.verdict-early")
		if early.Color != blue || early.Background != blueSoft {
			t.Errorf("the early chip is %s on %s, want %s on %s", early.Color, early.Background, blue, blueSoft)
		}
		if early.Contrast < 4.5 {
			t.Errorf("the early chip's text has %.2f:1 contrast, needs 4.5:1", early.Contrast)
		}
		called := look(t, ".verdict-chip.verdict-winner:not(.verdict-early)")
		if called.Color != green {
			t.Errorf("the called winner's chip is %s, want the winner's %s", called.Color, green)
		}
	})

	t.Run("results page", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+young.ID+"/results"), chromedp.WaitVisible(chromedp.CSS(".verdict"))); err != nil {
			t.Fatal(err)
		}
		block := look(t, ".verdict.verdict-early")
		if block.Color != blue || block.Background != blueSoft || block.Edge != blueEdge {
			t.Errorf("the early verdict is %s on %s with a %s edge, want %s on %s with %s", block.Color, block.Background, block.Edge, blue, blueSoft, blueEdge)
		}
		icon := look(t, ".verdict-early .verdict-icon")
		if icon.Background != blueEdge {
			t.Errorf("the early verdict's icon is on %s, want %s", icon.Background, blueEdge)
		}
		for name, c := range map[string]colours{"title": look(t, ".verdict-early .verdict-title"), "icon's glyph": icon} {
			if c.Contrast < 4.5 {
				t.Errorf("the early verdict's %s has %.2f:1 contrast, needs 4.5:1", name, c.Contrast)
			}
		}
	})
}
