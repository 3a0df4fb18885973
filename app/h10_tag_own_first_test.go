package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestSiteTagOwnPageLeads: anyone can load a site's tag with a made-up
// Referer, so a newer load on another domain must not lead the status:
// once the tag has loaded on the site's own domain, the site page, the
// sites list and a draft's notice lead with the newest such page, and the
// other domains' pages follow as warnings. The newer forged load is not
// taken for a load that named no page either. Found by a review: a
// forged load a minute later made the site page open with "Tag loaded
// just now on https://evil8.example", the site's own page under "Also on".
func TestSiteTagOwnPageLeads(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	draft := e.experiment(site.ID, "Draft")
	now := time.Now().Add(-time.Hour)
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	tag := "/s/" + site.Key + ".js"

	e.fetchTag(tag, http.StatusOK, "Referer", "http://localhost:3000/")
	now = now.Add(time.Minute)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/pricing")
	now = now.Add(2 * time.Minute)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://evil8.example/")
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusOK, "Origin", "https://staging.example")

	_, body := c.get("/sites/" + site.ID)
	got := tagStatusText(t, body, "tag-status")
	for _, want := range []string{
		"Tag loaded 2 minutes ago on https://shop.example.Also on http://localhost:3000 (a development machine), 3 minutes ago.",
		"Loaded on https://staging.example, not shop.example",
		"Loaded on https://evil8.example, not shop.example",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("site page: no %q in %q", want, got)
		}
	}
	for _, not := range []string{"Tag loaded just now", "Also on https://shop.example", "without a page"} {
		if strings.Contains(got, not) {
			t.Errorf("site page: %q in %q", not, got)
		}
	}
	if got := tagBadge(t, body); got != "Check the domain" {
		t.Errorf("badge %q, want Check the domain", got)
	}

	_, list := c.get("/sites")
	row := sitesRowText(t, list, site.ID)
	for _, want := range []string{"Loaded 2 minutes ago", "on https://shop.example Check the domain"} {
		if !strings.Contains(row, want) {
			t.Errorf("sites list: no %q in %q", want, row)
		}
	}

	_, page := c.get("/experiments/" + draft.ID)
	if want := "The tag was last seen on https://shop.example 2 minutes ago."; !strings.Contains(strings.Join(strings.Fields(textOf(parseHTML(t, page))), " "), want) {
		t.Errorf("draft: no %q", want)
	}
}
