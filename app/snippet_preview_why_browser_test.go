package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestSnippetPreviewWhyBrowser: the reviewer's case through the real
// server. A QA link for a draft on /pricing/*, opened on /pricing/ (which
// the pattern does not match: the page's trailing slash goes before
// matching), keeps the page's copy, and the notice says that the test
// does not run on this page and where it does; on /pricing/team, which it
// matches but which lacks the element, it says the element is not there;
// on a page it matches with the element, the variant shows and the notice
// says nothing more.
func TestSnippetPreviewWhyBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := t.Context()
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Pricing CTA", Page: "/pricing/*", Selector: `#cta`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#cta"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start your trial"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := `<button id="cta">Buy now</button>`
		if r.URL.Path == "/pricing/team" {
			body = `<p>No button on this page.</p>`
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="%s/s/%s.js"></script></head><body>%s</body></html>`, live.base, site.Key, body)
	}))
	defer host.Close()
	exceptions := browsertest.Exceptions(t, tab)

	const state = `(h => (document.querySelector("#cta")?.textContent ?? "no button") + "|" +
		(h ? h.shadowRoot.querySelector("span").textContent + "|" + h.shadowRoot.querySelector("small").textContent : "no notice"))(document.querySelector("copylab-preview"))`
	const label = "copylab preview: Pricing CTA · Variant B"
	for _, c := range []struct{ path, want string }{
		{"/pricing/", "Buy now|" + label + "|This page is not one the test runs on (it runs on /pricing/*)."},
		{"/pricing/team", "no button|" + label + "|The element #cta is not on this page."},
		{"/pricing/pro", "Start your trial|" + label + "|"},
	} {
		if err := chromedp.Do(tab, chromedp.Navigate(host.URL+c.path+"?copylab="+x.ID+":b")); err != nil {
			t.Fatal(err)
		}
		// The line comes at once for a page off the pattern, and once the
		// tag stopped waiting (1 s) for a missing element, counted from
		// when the QA build ran, which comes after the page. The last
		// case waits as long after the variant showed, so that a wrong
		// line would show.
		var got string
		read := func() string {
			t.Helper()
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](state))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if c.path == "/pricing/pro" {
			if _, err := chromedp.Run(tab, chromedp.Poll[bool](`(`+state+`).startsWith("Start your trial|")`,
				chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Errorf("%s: the variant and the notice did not show: %q (%v)", c.path, read(), err)
			}
			time.Sleep(1600 * time.Millisecond) // past the tag's 1 s wait and a check of the line (every 500 ms)
			got = read()
		} else {
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if got = read(); got == c.want || time.Now().After(deadline) {
					break
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: the page and its notice read %q, want %q", c.path, got, c.want)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the host page threw: %v", ex)
	}
}
