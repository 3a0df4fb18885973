package app

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"copylab/experiments"
)

// TestSiteTagOwnLoadsKeepTheirTurn: the tag's handler records a load at
// most once a second, and the forged loads of someone fetching the tag
// every moment must not take the site's own loads' turn: the own page's
// time keeps up with its loads, and in turn the own loads do not stop a
// page on another domain from being recorded in the same second. Found
// by a review: with one record a second per site, forged loads sent all
// the time froze https://shop.example at its first load.
func TestSiteTagOwnLoadsKeepTheirTurn(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	now := time.Now().Add(-time.Hour)
	setClock := func(a *App) {
		a.now = func() time.Time { return now }
		a.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	}
	setClock(e.app)
	tag := "/s/" + site.Key + ".js"
	status := func() string {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		return tagStatusText(t, body, "tag-status")
	}

	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/")
	now = now.Add(10 * time.Minute)
	// Each second a forged load comes first, then the site's own pages.
	for range 3 {
		now = now.Add(time.Second)
		e.fetchTag(tag, http.StatusOK, "Referer", "https://evil.example/")
		e.fetchTag(tag, http.StatusOK, "Referer", "https://www.shop.example/cart")
		e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/pricing")
	}
	now = now.Add(time.Minute)
	want := []string{
		"Tag loaded 1 minute ago on https://www.shop.example.Also on https://shop.example, 11 minutes ago.",
		"Loaded on https://evil.example, not shop.example",
	}
	check := func(step, got string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %q in %q", step, w, got)
			}
		}
	}
	check("in memory", status())

	// A page on another domain in the same second as an own load, and
	// the own page's later time from the same second as a forged load.
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://www.shop.example/")
	e.fetchTag(tag, http.StatusOK, "Referer", "https://forged.example/")
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://evil.example/")
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/")
	now = now.Add(time.Minute)
	want = []string{
		"Tag loaded 1 minute ago on https://shop.example.Also on https://www.shop.example, 1 minute ago.",
		"Loaded on https://evil.example, not shop.example",
		"Loaded on https://forged.example, not shop.example",
	}
	check("a minute on", status())

	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.app = e.restarted()
	setClock(e.app)
	check("after a restart", status())
}

// TestSnippetGetAllocsAnyPage: telling the site's own pages from the
// others, for their turns (tagSeen.saw), adds no allocation to the tag's
// GET, whatever page the request names.
func TestSnippetGetAllocsAnyPage(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocations differ under -cover")
	}
	a, store, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site := snippetBenchSite(t, store)
	h := a.Fiber().Handler()
	addr := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 7), Port: 4711}
	var req fasthttp.Request
	var ctx fasthttp.RequestCtx
	for _, referer := range []string{"https://WWW.Shop.Example/pricing", "https://staging.example/", "http://shop.example:80/", "not a URL"} {
		allocs := testing.AllocsPerRun(2000, func() {
			snippetRequest(&req, "/s/"+site.Key+".js", referer)
			ctx.Init(&req, addr, nil)
			h(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				t.Fatalf("status %d", ctx.Response.StatusCode())
			}
		})
		if allocs > snippetAllocBudget {
			t.Errorf("Referer %q: %.0f allocations a request, want at most %d", referer, allocs, snippetAllocBudget)
		}
	}
}

// TestSiteTagOddOwnPageGivesBackTheTurn: a fetch whose Referer reads as a
// page on the site's domain on the tag's hot path (ownPage) but is not
// one once parsed (pageOrigin: "www." in front of a domain near the 253
// characters a host name may have) gives the site's own turn back, so a
// real load in the same second is still recorded.
func TestSiteTagOddOwnPageGivesBackTheTurn(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	domain := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." +
		strings.Repeat("d", 51) + ".example" // 251 characters
	site, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Long", Domain: domain})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(-time.Hour)
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	tag := "/s/" + site.Key + ".js"

	e.fetchTag(tag, http.StatusOK, "Referer", "https://www."+domain+"/")
	e.fetchTag(tag, http.StatusOK, "Referer", "https://"+domain+"/pricing")
	_, body := c.get("/sites/" + site.ID)
	if got, want := tagStatusText(t, body, "tag-status"), "Tag loaded just now on https://"+domain+"."; !strings.Contains(got, want) {
		t.Errorf("no %q in %q", want, got)
	}
}
