package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/app/simulate"
)

// TestSiteTagNotSeenBySimulator: the tag fetched by copylab simulate
// --snippet (a browser's user agent, gzip, and simulate.Header) is served
// as any other fetch, but is not the tag seen on a site: the site page
// and the sites list still say "Not seen yet", and nothing is kept for
// the site. It used to mark the site "Installed" ("Tag loaded just now")
// when no page of it had the tag yet. A page's own load then counts as
// before.
func TestSiteTagNotSeenBySimulator(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	now := time.Now()
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	tag := "/s/" + site.Key + ".js"
	simulator := func(more ...string) []string {
		return append([]string{simulate.Header, "1", "User-Agent", simulate.BrowserUserAgents[0],
			"Accept-Encoding", "gzip, deflate, br, zstd", "Accept", "*/*"}, more...)
	}
	check := func(step, badge, status, row string) {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		if got := tagStatusText(t, body, "tag-status"); !strings.Contains(got, status) {
			t.Errorf("%s: no %q in the tag status %q", step, status, got)
		}
		if !strings.Contains(body, badge) {
			t.Errorf("%s: no %s beside the install card's title", step, badge)
		}
		_, body = c.get("/sites")
		if got := sitesRowText(t, body, site.ID); !strings.Contains(got, row) {
			t.Errorf("%s: no %q in the sites list's row %q", step, row, got)
		}
	}

	// The simulator's fetches, one a second, on the plain, guarded and
	// pinned URLs, a revalidation, and one that names a page anyway.
	e.fetchTag(tag, http.StatusOK, simulator()...)
	now = now.Add(time.Second)
	e.fetchTag(tag+"?guard=1", http.StatusOK, simulator()...)
	now = now.Add(time.Second)
	e.fetchTag(snippetPinnedPath(t, e.app, site.Key), http.StatusOK, simulator()...)
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusNotModified, simulator("If-None-Match", "*")...)
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusOK, simulator("Referer", "https://shop.example/pricing")...)
	check("after the simulator", `<span class="badge badge-stopped">Not seen yet</span>`,
		"Not seen yet: paste the tag in your site’s <head>, then open a page.", "Not seen yet")
	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	tags, _, err := e.store.SiteTags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range tags {
		if st.Key == site.Key {
			t.Errorf("kept a load of the tag after the simulator's alone: %+v", st)
		}
	}

	// A page of the site loads it: installed.
	now = now.Add(time.Second)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/", "User-Agent", simulate.BrowserUserAgents[0])
	check("after a page", `<span class="badge badge-running">Installed</span>`,
		"Tag loaded just now on https://shop.example.", "Loaded just now")
}
