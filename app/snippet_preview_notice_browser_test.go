package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestSnippetPreviewNoticeBrowser: a QA link for a draft, on a host page of
// another origin under a strict CSP, shows the draft's variant and a
// notice that names the experiment and the variant; a click on its Exit
// preview ends the preview, and the page then shows its own copy (the
// draft is not live) with no notice. The live tag never shows one.
func TestSnippetPreviewNoticeBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := t.Context()
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Pricing headline", Page: "/landing*", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Original headline"}, {Text: "Headline B"}, {Text: "Headline C"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	host := strictShop(t, live, site.Key)
	exceptions := browsertest.Exceptions(t, tab)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wait := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return s
	}
	const notice = `document.querySelector("copylab-preview")`
	const words = notice + `?.shadowRoot.querySelector("span").textContent ?? ""`

	run("open the QA link", chromedp.Navigate(host.URL+"/landing?copylab="+x.ID+":c"))
	wait("the variant", `document.querySelector("h1").textContent == "Headline C"`)
	wait("the notice", `!!`+notice)
	if got, want := eval(words), "copylab preview: Pricing headline · Variant C"; got != want {
		t.Errorf("the notice says %q, want %q", got, want)
	}

	// A real click in the middle of Exit preview.
	xy, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`(r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2])(`+
		notice+`.shadowRoot.querySelector("button").getBoundingClientRect())`))
	if err != nil {
		t.Fatal(err)
	}
	clicked, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(clicked, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatalf("a click on Exit preview opened no page: %v", err)
	}
	if got := eval(`location.search`); got != "?copylab=" {
		t.Errorf("Exit preview opened %q, want ?copylab=", got)
	}
	wait("the live tag", `document.readyState == "complete" && !!window.copylab?.variant`)
	time.Sleep(300 * time.Millisecond) // time enough for a QA build to come and show its notice
	if got := eval(`document.querySelector("h1").textContent`); got != "Original headline" {
		t.Errorf("after Exit preview the page shows %q, want its own copy", got)
	}
	if got := eval(words); got != "" {
		t.Errorf("after Exit preview the page still shows the notice %q", got)
	}

	// The tab's next page is out of the preview too.
	run("open the page again", chromedp.Navigate(host.URL+"/landing"))
	wait("the live tag", `document.readyState == "complete" && !!window.copylab?.variant`)
	time.Sleep(300 * time.Millisecond)
	if got := eval(`document.querySelector("h1").textContent + "|" + (` + words + `)`); got != "Original headline|" {
		t.Errorf("the next page shows %q, want its own copy and no notice", got)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the host page threw: %v", ex)
	}
}
