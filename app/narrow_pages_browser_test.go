package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/static/browsertest"
)

// narrowFitJS lists what does not fit the tab's width, naming each
// element by its parent's and its own tag and classes and the first 40
// characters of its text:
//   - the page scrolling sideways;
//   - a table's box (.table-wrap, the one box made to scroll sideways)
//     whose table is wider than it: on a phone every table reads as
//     cards, so none should need to;
//   - text wider than its own box, spilling over its neighbours or cut
//     by it (the innermost such box; single-line fields scroll their
//     value, as everywhere);
//   - an element holding text whose right edge is past the screen's by
//     more than a pixel (the outermost of a run), outside a .table-wrap.
//
// Texts for screen readers only (clipped to a pixel) and what is not
// drawn are left out.
const narrowFitJS = `(function () {
	var w = window.innerWidth, out = [], off = [];
	var root = document.documentElement;
	if (root.scrollWidth > w) out.push("the page scrolls " + (root.scrollWidth - w) + " px sideways (scrollWidth " + root.scrollWidth + " in " + w + ")");
	var hasText = function (el) {
		return el.textContent.trim() !== "" || el.matches("input:not([type=hidden]), select, textarea, img, svg");
	};
	var name = function (el) {
		var t = (el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
		var tag = function (e) {
			var c = e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className;
			c = String(c || "").trim().split(/\s+/).filter(Boolean).join(".");
			return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (c ? "." + c : "");
		};
		return "<" + tag(el.parentElement) + " > " + tag(el) + "> " + JSON.stringify(t);
	};
	document.querySelectorAll(".table-wrap").forEach(function (box) {
		if (box.scrollWidth > box.clientWidth + 1) out.push(name(box) + " scrolls " + (box.scrollWidth - box.clientWidth) + " px sideways inside its box");
	});
	var hidden = function (el) {
		for (var p = el; p && p !== document.body; p = p.parentElement) {
			var cs = getComputedStyle(p);
			if (cs.clipPath !== "none" || cs.clip !== "auto" || cs.visibility === "hidden" || cs.display === "none") return true;
		}
		return false;
	};
	// Text wider than its own box spills over its neighbours, or is cut
	// by it, though it stays on the screen: the innermost such box is
	// named. Single-line fields scroll their value, as everywhere, and a
	// select cuts its chosen option's name at its edge (its list, a popup
	// of the browser's, shows names whole): Chromium reports a long site
	// name in one as content wider than the box, 260 px in 255 at 320 px.
	var spills = [];
	document.querySelectorAll("body *").forEach(function (el) {
		if (el.matches("input, select, select *, .table-wrap") || !hasText(el) || el.clientWidth === 0 || hidden(el)) return;
		if (el.scrollWidth > el.clientWidth + 1) spills.push(el);
	});
	spills.forEach(function (el) {
		if (spills.some(function (o) { return o !== el && el.contains(o); })) return;
		out.push(name(el) + " holds " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
	});
	document.querySelectorAll("body *").forEach(function (el) {
		if (!hasText(el) || el.closest(".table-wrap") !== el && el.closest(".table-wrap") || off.some(function (o) { return o.contains(el); })) return;
		var r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || r.right <= w + 1) return;
		if (hidden(el)) return;
		off.push(el);
		out.push(name(el) + " runs to " + Math.round(r.right) + " px of " + w);
	});
	return out;
})()`

// TestNarrowPagesFitBrowser lays out every page type in headless Chromium
// at the narrowest phones' 320 px (iPhone SE 1st generation, small
// Androids), with every folded part unfolded: the setup and sign-in
// pages, the sites list, a site's page with every session recorder and a
// webhook set (and one with a long name and domain), the experiments
// list, an experiment's page as a draft and running, its new and edit
// forms, its drafting page, its results, recordings and share pages,
// settings and users. Nothing scrolls sideways, spills out of its box or
// lies past the screen's edge (narrowFitJS). Before, the top bar's
// Settings link lay past the edge of every signed-in page (in a bar that
// scrolled), the site page scrolled 15 px sideways (the recorder boxes
// kept 19rem) and its JavaScript API table 19 px inside its box, and
// long words spilled: a site's name in the experiments list, a domain
// in the tag's status, the sites list's "Experiments" label and "1
// running", the "Sign out all other browsers" button. With
// COPYLAB_REVIEW_SHOTS=DIR it saves each page there.
func TestNarrowPagesFitBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	exceptions := browsertest.Exceptions(t, tab)
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")

	check := func(t *testing.T, name, path, wait string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.EmulateViewport(320, 640), chromedp.Navigate(live.base+path),
			chromedp.WaitVisible(chromedp.CSS(wait)),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(function (d) { d.open = true; })`)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](narrowFitJS))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s (%s) at 320 px: %s", name, path, p)
		}
		if shots != "" {
			buf, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(shots, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(shots, "narrow-"+strings.ReplaceAll(name, " ", "-")+"-320.png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Signed out: the first account's setup, then the sign-in page.
	check(t, "setup", "/setup?token="+testSetupToken, "form")
	live.ownerToken(t, "Deploy script on the build server")
	check(t, "login", "/login", "#f-email")

	site, x := startPricingHero(t, live, "shop.example.com")
	// Every recorder, with the custom one's long URL template, and a
	// webhook that has announced a verdict.
	if _, err := live.store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		PostHog:   &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
		Clarity:   &recorders.Clarity{ProjectID: "k3x9q2m7pd"},
		FullStory: &recorders.FullStory{OrgID: "o-1ABCDE-na1"},
		LogRocket: &recorders.LogRocket{AppID: "abcdef/shop-production"},
		Hotjar:    &recorders.Hotjar{SiteID: "3456789"},
		Custom:    "https://replays.internal-tools.example.com/sessions/{session_id}?experiment={experiment}&variant={variant}",
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.SetSiteWebhook(ctx, site.ID, "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"); err != nil {
		t.Fatal(err)
	}
	if err := live.store.RecordNotification(ctx, x.ID, "winner", "", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Two weeks of traffic, so the results have every part, and a few
	// recorded visitors.
	start := time.Now().UTC().AddDate(0, 0, -13).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 20_000, Start: start, Days: 14, Seed: 11,
		Rates: map[string]float64{"control": 0.08, "b": 0.088, "c": 0.081}, Effect: lovedInUSAndIndia})
	for i, v := range []string{"control", "b", "c"} {
		evs := []map[string]any{exposureEv(x.ID, v), recEvent(x.ID, v, "posthog", fmt.Sprintf("0190e2e0-5e55-7000-8000-0000000000%02d", i), "")}
		resp, err := uaClient.Post(live.base+"/e", "text/plain", bytes.NewReader(evBodyOf(site.Key, fmt.Sprintf("visitor-%d", i), evs...)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("events: %d", resp.StatusCode)
		}
	}
	// A draft on a second site, with the long names real sites have: a
	// domain, a page, a selector and a goal wider than the screen.
	docs, err := live.store.CreateSite(ctx, experiments.Site{Name: "Developer documentation portal", Domain: "developer-documentation.staging.example-company.com"})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: docs.ID, Name: "Enterprise pricing headline for annual billing",
		Page: "/pricing/enterprise-plans-with-annual-billing-discounts*", Selector: `[data-copylab="enterprise-pricing-headline-annual"]`,
		Goal: experiments.Goal{Type: experiments.GoalPageview, URL: "/checkout/thank-you-for-your-enterprise-order*"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Create account"}, {Text: "Start free, no card needed"}}})
	if err != nil {
		t.Fatal(err)
	}

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(320, 640))
	for _, tc := range []struct{ name, path, wait string }{
		{"sites", "/sites", "main table"},
		{"site", "/sites/" + site.ID, ".copybox"},
		{"site with long names", "/sites/" + docs.ID, ".copybox"},
		{"experiments", "/experiments", "main table"},
		{"experiment draft", "/experiments/" + draft.ID, "#preview"},
		{"experiment running", "/experiments/" + x.ID, ".table-results"},
		{"new experiment", "/experiments/new", "#plan-estimate"},
		{"edit draft", "/experiments/" + draft.ID + "/edit", "#plan-estimate"},
		{"edit running", "/experiments/" + x.ID + "/edit", "h1"},
		{"drafting", "/experiments/" + draft.ID + "/generate", "#brief-form"},
		{"results", "/experiments/" + x.ID + "/results", ".chart-svg"},
		{"recordings", "/experiments/" + x.ID + "/recordings", "#recordings"},
		{"share", "/r/" + x.ShareToken, ".chart-svg"},
		{"settings", "/settings", "#sessions"},
		{"users", "/users", "main table"},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.name, tc.path, tc.wait) })
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
