package app

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// tagStatusText is the words of a page's element with the given id, its
// spaces collapsed, as a reader sees them.
func tagStatusText(t *testing.T, body, id string) string {
	t.Helper()
	nodes := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
	if len(nodes) != 1 {
		t.Fatalf("%d elements #%s in %.2000s", len(nodes), id, body)
	}
	return strings.Join(strings.Fields(textOf(nodes[0])), " ")
}

// sitesRowText is the words of the sites list's row of a site.
func sitesRowText(t *testing.T, body, siteID string) string {
	t.Helper()
	rows := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "tr" && len(findAll(n, func(a *xhtml.Node) bool { return attrOf(a, "href") == "/sites/"+siteID })) > 0
	})
	if len(rows) != 1 {
		t.Fatalf("%d rows for site %s in %.3000s", len(rows), siteID, body)
	}
	return strings.Join(strings.Fields(textOf(rows[0])), " ")
}

// fetchTag sends GET path as a browser's script request, with the given
// headers ("" leaves one out), and checks the status.
func (e *env) fetchTag(path string, want int, headers ...string) {
	e.t.Helper()
	req := newRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp := e.do(req)
	body := readBody(e.t, resp)
	if resp.StatusCode != want {
		e.t.Fatalf("GET %s: %d, want %d: %.200s", path, resp.StatusCode, want, body)
	}
}

// shopSite is a site on shop.example with one running experiment.
func (e *env) shopSite() (experiments.Site, experiments.Experiment) {
	e.t.Helper()
	ctx := context.Background()
	site, err := e.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		e.t.Fatal(err)
	}
	x := e.experiment(site.ID, "Hero")
	return site, e.transition(x.ID, "start")
}

// TestSiteTagNotSeen: a new site's page and the sites list say its tag
// has not been seen, and what to do about it, before anything loads it;
// a request for a key no site has records nothing.
func TestSiteTagNotSeen(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	e.fetchTag("/s/aaaaaaaaaaaaaaaa.js", http.StatusNotFound, "Referer", "https://shop.example/")

	_, body := c.get("/sites/" + site.ID)
	got := tagStatusText(t, body, "tag-status")
	for _, want := range []string{
		"Not seen yet: paste the tag in your site’s <head>, then open a page.",
		"flags a page on another domain than shop.example.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("site page: no %q in %q", want, got)
		}
	}
	if strings.Contains(got, "upgrade") {
		t.Errorf("a site added after copylab began recording loads: %q", got)
	}
	if !strings.Contains(body, `<span class="badge badge-stopped">Not seen yet</span>`) {
		t.Error("no Not seen yet badge beside the install card's title")
	}
	_, body = c.get("/sites")
	if row := sitesRowText(t, body, site.ID); !strings.Contains(row, "Not seen yet") {
		t.Errorf("sites list: %q", row)
	}
	if _, ok := e.app.snippets.tags.m["aaaaaaaaaaaaaaaa"]; ok {
		t.Error("an unknown key has a record")
	}
}

// TestSiteTagSeen: each GET of a site's tag — the plain, pinned and
// guarded URLs, a 304 — is remembered with the page it came from, its
// Referer (or Origin) cut to an origin, and the site page and the sites
// list say so: when, on which page, whether that page is on another
// domain than the site's, and when the last event arrived.
func TestSiteTagSeen(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	now := time.Now()
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	later := func(d time.Duration) {
		now = now.Add(d)
	}
	status := func() string {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		return tagStatusText(t, body, "tag-status")
	}
	wantStatus := func(step string, want []string, not ...string) {
		t.Helper()
		got := status()
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
	tag := "/s/" + site.Key + ".js"

	// A request that names no page: a tool, or a no-referrer policy.
	e.fetchTag(tag, http.StatusOK)
	wantStatus("no Referer", []string{"Tag loaded just now.", "The requests named no page",
		"No events yet: the tag sends them when a visitor opens a page that a running experiment tests."}, "Not seen yet", " on ")

	// A page of the site: its origin only, not its path or query.
	later(time.Second)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/pricing?email=a@b.example#top")
	later(2 * time.Minute)
	wantStatus("Referer", []string{"Tag loaded 2 minutes ago on https://shop.example."}, "pricing", "email", "named no page", "not shop.example")
	_, body := c.get("/sites")
	if row := sitesRowText(t, body, site.ID); !strings.Contains(row, "Loaded 2 minutes ago") || !strings.Contains(row, "on https://shop.example") {
		t.Errorf("sites list: %q", row)
	}
	// A page on another domain takes its own turn in the same second as
	// the site's (tagSeen.turn): it is read, and flagged.
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/")
	e.fetchTag(tag, http.StatusOK, "Referer", "https://second.example/")
	wantStatus("same second", []string{"Tag loaded just now on https://shop.example.",
		"Loaded on https://second.example, not shop.example · just now"})

	// Another domain is flagged; the site's own page still leads.
	later(time.Minute)
	e.fetchTag(tag, http.StatusOK, "Referer", "https://staging.example/")
	wantStatus("another domain", []string{"Tag loaded 1 minute ago on https://shop.example.",
		"Loaded on https://staging.example, not shop.example · just now"}, "Also on")
	_, body = c.get("/sites/" + site.ID)
	if !strings.Contains(body, `<span class="badge badge-paused">Check the domain</span>`) {
		t.Error("no Check the domain badge")
	}
	_, body = c.get("/sites")
	if row := sitesRowText(t, body, site.ID); !strings.Contains(row, "Check the domain") {
		t.Errorf("sites list: %q", row)
	}

	// The www twin, the default port, and a developer's machine (by its
	// Origin header, as the pinned tag sends it) are not flagged; the
	// pinned URL, the guarded install and a revalidation count too.
	pinned := snippetPinnedPath(t, e.app, site.Key)
	for _, tt := range []struct {
		name, path    string
		want          int
		headers       []string
		origin, extra string
	}{
		{"www and a port", tag, http.StatusOK, []string{"Referer", "https://WWW.Shop.Example:443/"}, "https://www.shop.example:443", ""},
		{"pinned, localhost", pinned, http.StatusOK, []string{"Origin", "http://localhost:3000"}, "http://localhost:3000", " (a development machine)"},
		{"guarded, loopback", tag + "?guard=1", http.StatusOK, []string{"Referer", "http://127.0.0.1:8000/"}, "http://127.0.0.1:8000", " (a development machine)"},
		{"not modified", tag, http.StatusNotModified, []string{"Referer", "http://app.localhost/", "If-None-Match", "*"}, "http://app.localhost", " (a development machine)"},
	} {
		later(time.Second)
		e.fetchTag(tt.path, tt.want, tt.headers...)
		got := status()
		want := "Tag loaded just now on " + tt.origin + "." // the site's own page leads
		if tt.extra != "" {
			want = "Also on " + tt.origin + tt.extra + ", just now."
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s: no %q in %q", tt.name, want, got)
		}
		if strings.Contains(got, "Loaded on "+tt.origin+", not") {
			t.Errorf("%s: flagged: %q", tt.name, got)
		}
	}

	// An event, then five minutes.
	if resp := e.postEvents(eventBody(site.Key, "visitor-1", x.ID, "b", false)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /e: %d", resp.StatusCode)
	}
	later(5 * time.Minute)
	wantStatus("event", []string{"Last event 5 minutes ago."}, "No events yet")
}

// TestSiteTagPageOrigin: what a tag request's Referer or Origin leaves on
// the site page is an http(s) origin, as text, or nothing: never a path,
// markup, another scheme, user info, or a link.
func TestSiteTagPageOrigin(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"https://shop.example/pricing?x=1#y", "https://shop.example"},
		{"HTTPS://Shop.Example:8443/", "https://shop.example:8443"},
		{"http://[::1]:3000/a", "http://[::1]:3000"},
		{"https://shop.example", "https://shop.example"},
		{`https://shop.example/"><script>alert(1)</script>`, "https://shop.example"},
		{"https://a<b>.example/", ""},
		{"https://user:pw@shop.example/", ""},
		{"https://shop .example/", ""},
		{"https://shop.example:99999/", ""},
		{"https://shop.example:x/", ""},
		{"https:///path", ""},
		{"javascript:alert(1)", ""},
		{"chrome-extension://abcdef/", ""},
		{"file:///home/me/index.html", ""},
		{"null", ""},
		{"", ""},
		{"https://" + strings.Repeat("a", 400) + ".example/", ""},
	} {
		if got := pageOrigin(tt.raw); got != tt.want {
			t.Errorf("pageOrigin(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}

	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", `https://evil.example/"><img src=x onerror=alert(1)>`)
	_, body := c.get("/sites/" + site.ID)
	if got := tagStatusText(t, body, "tag-status"); !strings.Contains(got, "Loaded on https://evil.example, not shop.example") {
		t.Errorf("status %q", got)
	}
	if strings.Contains(body, "onerror") || strings.Contains(body, `href="https://evil.example`) {
		t.Error("the Referer reached the page as markup or a link")
	}
}

// snippetAllocBudget is what a cached GET of the tag allocated per
// request through the whole app (BenchmarkSnippetGet, AllocsPerRun)
// before the tag's loads were recorded: recording them adds nothing.
const snippetAllocBudget = 15

// TestSnippetGetAllocs: a cached GET of the tag, from a page (Referer) or
// not, allocates no more than before its loads were recorded: past the
// first request of each second, the record costs an atomic load and a
// compare.
func TestSnippetGetAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocations differ under -cover")
	}
	a, store, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site := snippetBenchSite(t, store)
	h := a.Fiber().Handler()
	addr := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 7), Port: 4711}
	var req fasthttp.Request
	var ctx fasthttp.RequestCtx
	for _, referer := range []string{"https://shop.example/pricing", ""} {
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
	if loaded, pages := a.snippets.tags.seen(site.Key); loaded.IsZero() || len(pages) != 1 || pages[0].origin != "https://shop.example" {
		t.Errorf("recorded %v %v", loaded, pages)
	}
}

// TestSnippetTagSeenConcurrent: many tag requests at once, while pages
// read the record (run with -race).
func TestSnippetTagSeenConcurrent(t *testing.T) {
	a, store, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site := snippetBenchSite(t, store)
	h := a.Fiber().Handler()
	var clock sync.Mutex
	now := time.Now()
	a.snippets.tags.clock = func(*fiber.Ctx) int64 {
		clock.Lock()
		defer clock.Unlock()
		now = now.Add(300 * time.Millisecond) // a new second every few requests
		return now.Unix()
	}
	wait := loadTagsAtOnce(h, site.Key)
	for range 200 {
		a.snippets.tags.seen(site.Key)
	}
	wait()
	loaded, pages := a.snippets.tags.seen(site.Key)
	if loaded.IsZero() || len(pages) != tagPagesKept {
		t.Fatalf("loaded %v, %d pages", loaded, len(pages))
	}
	for i := 1; i < len(pages); i++ {
		if pages[i].at > pages[i-1].at || pages[i].origin == pages[i-1].origin {
			t.Errorf("pages out of order or twice: %v", pages)
		}
	}
}

// loadTagsAtOnce sends 800 requests for the tag of the site key from 4
// clients at once, straight to the handler, from pages on 6 origins, and
// returns a wait for them to finish.
func loadTagsAtOnce(h fasthttp.RequestHandler, key string) (wait func()) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := &net.TCPAddr{IP: net.IPv4(203, 0, 113, byte(g)), Port: 4711}
			var req fasthttp.Request
			var ctx fasthttp.RequestCtx
			for i := range 200 {
				snippetRequest(&req, "/s/"+key+".js", "https://p"+itoa((i+g)%6)+".shop.example/")
				ctx.Init(&req, addr, nil)
				h(&ctx)
			}
		}()
	}
	return wg.Wait
}
