package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestSiteTagPagelessLoad: a fetch of the tag that names no page (curl, a
// tool) after a page loaded it does not take the lead of the site's tag
// status: the site page still leads with the page and its time, and only
// adds that the tag was also fetched without a page, and when; the sites
// list says the same. A page's next load leads again, with no such line.
func TestSiteTagPagelessLoad(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	now := time.Now()
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	tag := "/s/" + site.Key + ".js"
	check := func(step string, want, not []string, row ...string) {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		got := tagStatusText(t, body, "tag-status")
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %q in %q", step, w, got)
			}
		}
		for _, w := range not {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q in %q", step, w, got)
			}
		}
		_, body = c.get("/sites")
		for _, w := range row {
			if r := sitesRowText(t, body, site.ID); !strings.Contains(r, w) {
				t.Errorf("%s: sites list: no %q in %q", step, w, r)
			}
		}
	}

	e.fetchTag(tag, http.StatusOK, "Referer", "http://127.0.0.1:18801/pricing/")
	now = now.Add(2 * time.Minute)
	e.fetchTag(tag, http.StatusOK) // curl: no Referer, no Origin
	now = now.Add(time.Minute)
	check("a fetch without a page after the page's",
		[]string{"Tag loaded 3 minutes ago on http://127.0.0.1:18801 (a development machine).",
			"Also fetched without a page, 1 minute ago."},
		[]string{"Tag loaded 1 minute ago", "Also on http://127.0.0.1:18801", "The requests named no page"},
		"Loaded 3 minutes ago", "on http://127.0.0.1:18801")

	// The page again: it leads, and the fetch without a page is older.
	e.fetchTag(tag, http.StatusOK, "Referer", "http://127.0.0.1:18801/")
	check("the page's next load",
		[]string{"Tag loaded just now on http://127.0.0.1:18801 (a development machine)."},
		[]string{"without a page", "Also on"},
		"Loaded just now")
}
