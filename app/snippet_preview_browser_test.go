package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestSnippetPreviewSpellingsBrowser: a QA link shows the variant it names
// whatever the spelling of its experiment id (capitals, as some tools
// and people write UUIDs, or braces) and of its variant key, on a host
// page of another origin under a strict CSP, as the lower-case link does.
// Each variant is asked for in turn, so a page that showed the visitor's
// own (hashed) variant instead would fail at least three of them.
func TestSnippetPreviewSpellingsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := t.Context()
	texts := map[string]string{"control": "Original headline", "b": "Headline B", "c": "Headline C", "d": "Headline D"}
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Hero", Page: "/landing*", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: texts["control"]}, {Text: texts["b"]}, {Text: texts["c"]}, {Text: texts["d"]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	host := strictShop(t, live, site.Key)
	exceptions := browsertest.Exceptions(t, tab)

	upper := strings.ToUpper(x.ID)
	for _, c := range []struct{ name, id, key string }{
		{"lower case", x.ID, "b"},
		{"capitals", upper, "b"},
		{"capitals", upper, "c"},
		{"capitals", upper, "d"},
		{"capitals", upper, "control"},
		{"braces", "{" + upper + "}", "c"},
		{"capital key", x.ID, "D"},
	} {
		link := host.URL + "/landing?copylab=" + c.id + ":" + c.key
		if err := chromedp.Do(tab, chromedp.Navigate(link)); err != nil {
			t.Fatal(err)
		}
		want := texts[strings.ToLower(c.key)]
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("h1").textContent == `+quoteJS(want),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			headline, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
			t.Errorf("%s, variant %s: the QA link shows %q, want %q", c.name, c.key, headline, want)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the host page threw: %v", ex)
	}
}

// strictShop serves a shop's page on another origin, under a strict
// Content-Security-Policy that lets in only the tag from live: its
// headline holds the original copy, [data-copylab="hero"], beside a
// #buy button. It stops with the test.
func strictShop(t *testing.T, live *liveApp, siteKey string) *httptest.Server {
	t.Helper()
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+live.base+"; connect-src 'self' "+live.base+"; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="%s/s/%s.js"></script></head>
<body><h1 data-copylab="hero">Original headline</h1><button id="buy">Buy now</button></body></html>`, live.base, siteKey)
	}))
	t.Cleanup(host.Close)
	return host
}
