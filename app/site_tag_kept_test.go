package app

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// TestSiteTagKeptWithoutShutdown: the tag's loads reach the database on
// the flush loop's tick, with no shutdown: an app started on the same
// database while the first one still runs (as after a crash) shows the
// last load and its pages. Before the tick, nothing is written: the
// tag's GET does not write. The loop stops by itself when its context
// ends.
func TestSiteTagKeptWithoutShutdown(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	now := time.Now().Add(-time.Hour)
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }

	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	first := e.app
	go func() {
		defer close(done)
		first.flushTagLoop(ctx, tick)
	}()
	// flush ticks the loop and returns once that tick's write is done:
	// the loop takes the second tick only after it.
	flush := func() {
		t.Helper()
		for range 2 {
			select {
			case tick <- now:
			case <-time.After(10 * time.Second):
				t.Fatal("the flush loop does not take its tick")
			}
		}
	}
	// status is the site page of a new app on the same database.
	status := func() string {
		t.Helper()
		defer func() { e.app = first }()
		e.app = e.restarted()
		e.app.now = func() time.Time { return now }
		_, body := c.get("/sites/" + site.ID)
		return tagStatusText(t, body, "tag-status")
	}

	tag := "/s/" + site.Key + ".js"
	e.fetchTag(tag, http.StatusOK, "Referer", "https://shop.example/pricing")
	if got := status(); !strings.Contains(got, "Not seen yet") {
		t.Errorf("before the tick: %q", got)
	}
	now = now.Add(2 * time.Minute)
	flush()
	if got, want := status(), "Tag loaded 2 minutes ago on https://shop.example."; !strings.Contains(got, want) {
		t.Errorf("after the tick: %q, want %q", got, want)
	}

	// A later load from another domain: the next tick writes it, with the
	// site's own page kept beside it, and still leading.
	e.fetchTag(tag, http.StatusOK, "Origin", "https://staging.example")
	now = now.Add(time.Minute)
	flush()
	got := status()
	for _, want := range []string{"Tag loaded 3 minutes ago on https://shop.example.",
		"Loaded on https://staging.example, not shop.example · 1 minute ago"} {
		if !strings.Contains(got, want) {
			t.Errorf("after the second tick: no %q in %q", want, got)
		}
	}

	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the flush loop did not stop with its context")
	}
}

// TestSiteTagKeptAcrossRun: copylab serve, stopped as SIGTERM stops it,
// writes the tag's last loads on its way out (well within the minute
// between flushes), and the next serve on the same database shows them on
// the site page: the status a restart used to lose.
func TestSiteTagKeptAcrossRun(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "copylab.db")
	store, err := experiments.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := addUser(ctx, store, "ann@example.com", "", testPassword, 10); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	// serve runs copylab on a free port until the returned stop is called,
	// which waits for Run to return.
	serve := func() (base string, stop func()) {
		t.Helper()
		rctx, cancel := context.WithCancel(ctx)
		t.Cleanup(cancel) // also when startRun fails
		r := startRun(t, rctx, Config{DBPath: dbPath, BcryptCost: 10})
		base, logs, done := "http://"+r.addr, r.logs, r.done
		return base, func() {
			t.Helper()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Run: %v\n%s", err, logs.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Run did not stop")
			}
		}
	}

	base, stop := serve()
	for _, h := range [][2]string{{"Referer", "https://shop.example/pricing"}, {"Origin", "http://localhost:3000"}} {
		req, _ := http.NewRequest(http.MethodGet, base+"/s/"+site.Key+".js", nil)
		req.Header.Set(h[0], h[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET the tag: %d", resp.StatusCode)
		}
		// One load a second is recorded: the next one comes in the next.
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	}
	stop()

	base, stop = serve()
	defer stop()
	get := plainSignedIn(t, base, "ann@example.com")
	got := tagStatusText(t, get("/sites/"+site.ID), "tag-status")
	for _, want := range []string{"Tag loaded just now on https://shop.example.",
		"Also on http://localhost:3000 (a development machine), just now."} {
		if !strings.Contains(got, want) {
			t.Errorf("after the restart: no %q in %q", want, got)
		}
	}
	if row := sitesRowText(t, get("/sites"), site.ID); !strings.Contains(row, "Loaded just now") {
		t.Errorf("sites list after the restart: %q", row)
	}
}

// plainSignedIn signs in to the copylab at base over plain http, as a
// browser does, and returns a function that GETs a page as that user and
// returns its body.
func plainSignedIn(t *testing.T, base, email string) func(path string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	login := readBody(t, resp)
	m := csrfRe.FindStringSubmatch(login)
	if m == nil {
		t.Fatalf("no token on the sign-in page: %.300s", login)
	}
	v := url.Values{"_csrf": {m[1]}, "email": {email}, "password": {testPassword}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	if resp, err = client.Do(req); err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	return func(path string) string {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != path {
			t.Fatalf("GET %s signed in: %d at %s", path, resp.StatusCode, resp.Request.URL)
		}
		return body
	}
}

// TestSiteTagUpgrade: a site added before copylab began recording the
// tag's loads (an upgrade from a version that kept them in memory) may
// have loaded its tag unseen: its page says since when copylab records
// them, beside its last event, rather than that the tag never loaded. A
// site added since says nothing of the upgrade.
func TestSiteTagUpgrade(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	old, x := e.shopSite()
	quiet, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	if resp := e.postEvents(eventBody(old.Key, "visitor-1", x.ID, "b", false)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /e: %d", resp.StatusCode)
	}
	status := func(a *App, siteID string) string {
		t.Helper()
		e.app = a
		_, body := c.get("/sites/" + siteID)
		return tagStatusText(t, body, "tag-status")
	}
	if got := status(e.app, old.ID); !strings.Contains(got, "Tag not fetched from copylab yet. Last event just now.") || strings.Contains(got, "upgrade") {
		t.Errorf("a site added after copylab began recording loads: %q", got)
	}

	// The upgrade: copylab began recording three hours after both sites
	// were added.
	upgraded := time.Now().Add(3 * time.Hour)
	if _, err := e.store.Writer().Exec(`update schema_migrations set applied_at = ? where version = 20`, upgraded.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	a := e.restarted()
	a.now = func() time.Time { return upgraded.Add(2 * time.Hour) }
	for _, tt := range []struct {
		site experiments.Site
		want string
	}{
		{old, "Tag not loaded since copylab began recording loads at its upgrade, 2 hours ago. The last event shows the tag worked before."},
		{quiet, "Not seen yet: paste the tag in your site’s <head>, then open a page."},
		{quiet, "copylab has recorded loads of the tag since its upgrade, 2 hours ago."},
	} {
		if got := status(a, tt.site.ID); !strings.Contains(got, tt.want) {
			t.Errorf("%s: no %q in %q", tt.site.Name, tt.want, got)
		}
	}
}

// TestSiteTagFlushConcurrent: writes of the tags' loads while many tag
// requests come in (run with -race) end with what memory has: an app
// started on the same database after the last write sees the same last
// load and pages as the one that served them.
func TestSiteTagFlushConcurrent(t *testing.T) {
	a, store, ing := newTestApp(t, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site := snippetBenchSite(t, store)
	h := a.Fiber().Handler()
	var clock sync.Mutex
	now := time.Now().Add(-time.Hour)
	read := func(step time.Duration) time.Time {
		clock.Lock()
		defer clock.Unlock()
		now = now.Add(step)
		return now
	}
	a.snippets.tags.clock = func(*fiber.Ctx) int64 { return read(300 * time.Millisecond).Unix() }
	a.now = func() time.Time { return read(0) }
	wait := loadTagsAtOnce(h, site.Key)
	for range 20 {
		if err := a.flushTagSightings(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	wait()
	read(time.Minute)
	if err := a.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, app: a, store: store, ing: ing}
	loaded, pages := a.snippets.tags.seen(site.Key)
	gotLoaded, gotPages := e.restarted().snippets.tags.seen(site.Key)
	if !gotLoaded.Equal(loaded) || !reflect.DeepEqual(gotPages, pages) || len(pages) != tagPagesKept {
		t.Errorf("after a restart: %v %v, want %v %v", gotLoaded, gotPages, loaded, pages)
	}
}

// TestSiteTagFlushMidLoad: a write that comes between a load's claim of
// its second and the write of its page (tagSeen.saw) keeps the load
// without its page; the next write, a minute on, brings the page, though
// the last load has not moved since.
func TestSiteTagFlushMidLoad(t *testing.T) {
	e := newEnv(t)
	site, _ := e.shopSite()
	now := time.Now().Add(-time.Hour)
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK) // a load that names no page
	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	s := e.app.snippets.tags.of(site.Key)
	s.last.Store(now.Unix()) // the next load's second, claimed; its page comes next
	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.pages[0] = tagPage{origin: "https://shop.example", at: now.Unix()}
	s.mu.Unlock()
	now = now.Add(time.Minute)
	if err := e.app.flushTagSightings(context.Background()); err != nil {
		t.Fatal(err)
	}
	tags, _, err := e.store.SiteTags(context.Background())
	if err != nil || len(tags) != 1 || len(tags[0].Pages) != 1 || tags[0].Pages[0].Origin != "https://shop.example" ||
		tags[0].Loaded.Unix() != now.Add(-time.Minute).Unix() {
		t.Errorf("stored %+v (%v), want the load with its page", tags, err)
	}
}
