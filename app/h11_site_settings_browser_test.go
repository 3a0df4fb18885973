package app

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
)

// TestSiteSettingsMeanwhileBrowser: in Chromium, a settings form opened
// before a rename and saved after it with only its hide timeout changed
// keeps the rename, and a brand voice of several lines, which the page
// sends back from its hidden field as from its text area with CRLF line
// breaks, reads as the one the page was opened with: rewriting it says
// nothing of a change made meanwhile.
func TestSiteSettingsMeanwhileBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	if err := live.store.SetBrandVoice(t.Context(), site.ID, "Warm.\nNo jargon."); err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))

	save := func(t *testing.T, field, value string) (flash string, saved experiments.Site) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS(field)),
			chromedp.SetValue(chromedp.CSS(field), value)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("#settings .btn-primary")))); err != nil {
			t.Fatal(err)
		}
		flash, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".flash-ok")))
		if err != nil {
			t.Fatal(err)
		}
		saved, err = live.store.Site(t.Context(), site.ID)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(flash), " "), saved
	}

	t.Run("renamed meanwhile", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := live.store.PatchSite(t.Context(), site.ID, func(s *experiments.Site) error { s.Name = "New"; return nil }); err != nil {
			t.Fatal(err)
		}
		flash, saved := save(t, "#f-hide-timeout-ms", "2000")
		if flash != "Settings saved." || saved.Name != "New" || saved.HideTimeoutMS != 2000 || saved.BrandVoice != "Warm.\nNo jargon." {
			t.Errorf("flash %q, saved %q, %d ms, brand voice %q", flash, saved.Name, saved.HideTimeoutMS, saved.BrandVoice)
		}
	})
	t.Run("brand voice of several lines", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID)); err != nil {
			t.Fatal(err)
		}
		flash, saved := save(t, "#f-brand-voice", "Warm.\nNo jargon.\nShort.")
		if flash != "Settings saved." || !strings.HasSuffix(saved.BrandVoice, "Short.") {
			t.Errorf("flash %q, brand voice %q", flash, saved.BrandVoice)
		}
	})
}
