package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// TestSiteTagForgedOrigins: anyone can fetch a site's tag with a made-up
// Referer, so loads from other domains must never push out the site's
// own: after four forged origins, a second apart, and a staging page,
// the site page still says the tag loaded on https://shop.example, and
// still warns of each page on another domain, the real staging copy
// included. It says so after a restart too. A site whose tag only ever
// loaded elsewhere is not shown as loaded on its own domain. Found by a
// review: four curl requests with forged Referers replaced
// https://shop.example (four origins were kept, of any domain).
func TestSiteTagForgedOrigins(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	blog, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(-time.Hour)
	setClock := func(a *App) {
		a.now = func() time.Time { return now }
		a.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	}
	setClock(e.app)
	load := func(key, referer string) {
		t.Helper()
		now = now.Add(time.Second) // one load a second is recorded
		e.fetchTag("/s/"+key+".js", http.StatusOK, "Referer", referer)
	}
	status := func(id string) string {
		t.Helper()
		_, body := c.get("/sites/" + id)
		return tagStatusText(t, body, "tag-status")
	}
	check := func(step, got string, want, not []string) {
		t.Helper()
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
	}

	load(site.Key, "https://shop.example/pricing")
	for _, evil := range []string{"evil5", "evil6", "evil7", "evil8"} {
		load(site.Key, "https://"+evil+".example/")
		load(blog.Key, "https://"+evil+".example/")
	}
	load(site.Key, "https://staging.example/pricing")
	now = now.Add(time.Minute)

	shopWant := []string{
		"Tag loaded 1 minute ago on https://shop.example.",
		"Loaded on https://staging.example, not shop.example",
	}
	check("shop", status(site.ID), shopWant, nil)
	// The blog never loaded its tag on blog.example: the forged pages are
	// all flagged, and none is taken for the blog's own.
	blogWant := []string{"Loaded on https://evil5.example, not blog.example", "Loaded on https://evil8.example, not blog.example"}
	check("blog", status(blog.ID), blogWant, []string{"on https://blog.example", "Also on"})
	_, body := c.get("/sites/" + blog.ID)
	if got := tagBadge(t, body); got != "Check the domain" {
		t.Errorf("blog badge %q, want Check the domain", got)
	}

	// Kept across a restart, as they were in memory.
	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.app = e.restarted()
	setClock(e.app)
	check("shop after a restart", status(site.ID), shopWant, nil)
	check("blog after a restart", status(blog.ID), blogWant, []string{"on https://blog.example", "Also on"})

	// More forged pages after the restart still leave shop.example.
	for _, evil := range []string{"evil9", "evil10", "evil11", "evil12", "evil13"} {
		load(site.Key, "https://"+evil+".example/")
	}
	check("shop after more forged pages", status(site.ID), []string{"Tag loaded 1 minute ago on https://shop.example."}, nil)
}
