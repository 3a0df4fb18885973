package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// demoPreviewLinks matches the demo banner's preview links and their labels.
var demoPreviewLinks = regexp.MustCompile(`<a href="/demo\?copylab=[^"]*">([^<]*)</a>`)

// TestDemoPreviewSeparatorsReview4: the demo banner's preview links
// (Original · Variant B · Variant C) are separated by a "·" outside the
// links, so the dot is neither underlined nor part of the next link's
// click area; the page used to draw it with a ::before inside each link
// after the first. Checked in the HTML, and in Chromium, where no link
// draws anything before or after its label. Found by a browser review.
func TestDemoPreviewSeparatorsReview4(t *testing.T) {
	t.Run("html", func(t *testing.T) {
		e := newEnv(t)
		owner := e.addUser("owner@example.com")
		if err := e.app.createDemo(t.Context(), owner.ID); err != nil {
			t.Fatal(err)
		}
		resp, body := e.client().get("/demo")
		wantStatus(t, resp, 200, body)
		i := strings.Index(body, `class="qa"`)
		j := strings.Index(body[max(i, 0):], "</aside>")
		if i < 0 || j < 0 {
			t.Fatalf("no preview links in the demo banner: %.400s", body)
		}
		qa := body[i : i+j]
		links := demoPreviewLinks.FindAllStringSubmatchIndex(qa, -1)
		if len(links) != 3 {
			t.Fatalf("%d preview links, want 3: %s", len(links), qa)
		}
		for n, l := range links {
			label := qa[l[2]:l[3]]
			if strings.Contains(label, "·") {
				t.Errorf("the link %q holds the separator", label)
			}
			// What lies between the previous link (or Preview:) and this one.
			from := 0
			if n > 0 {
				from = links[n-1][1]
			}
			if before := qa[from:l[0]]; strings.Contains(before, "·") != (n > 0) {
				t.Errorf("before the link %q: %q, want a · between links only", label, before)
			}
		}
	})

	t.Run("browser", func(t *testing.T) {
		if testing.Short() {
			t.Skip("browser test")
		}
		live := serveLive(t)         // the server before the browser
		tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
		owner, _, err := AddUser(t.Context(), live.store, "owner@example.com", "Owner", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := live.app.createDemo(t.Context(), owner.ID); err != nil {
			t.Fatal(err)
		}
		type qa struct {
			Text   string
			Drawn  []string // what a link draws before or after its label
			Labels []string
		}
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/demo"), chromedp.WaitVisible(chromedp.CSS(".demo-banner .qa a"))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[qa](`(function () {
			var q = document.querySelector(".demo-banner .qa"), drawn = [], labels = [];
			q.querySelectorAll("a").forEach(function (a) {
				labels.push(a.textContent);
				["::before", "::after"].forEach(function (p) {
					var c = getComputedStyle(a, p).content;
					if (c && c !== "none" && c !== "normal") drawn.push(a.textContent + p + " " + c);
				});
			});
			return {text: q.innerText.replace(/\s+/g, " ").trim(), drawn: drawn, labels: labels};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Drawn) > 0 {
			t.Errorf("preview links draw inside themselves: %v", got.Drawn)
		}
		if want := "Preview: " + strings.Join(got.Labels, " · "); got.Text != want || len(got.Labels) != 3 {
			t.Errorf("the banner reads %q, want %q", got.Text, want)
		}
	})
}
