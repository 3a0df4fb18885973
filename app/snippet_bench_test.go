package app

import (
	"context"
	"net"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"copylab/experiments"
)

// BenchmarkSnippetGet drives GET /s/KEY.js through the whole app —
// middleware, handler, the rendered-script cache — without a network, as
// BenchmarkEventsPost does for events: a browser's request for the tag
// with a running experiment inlined, gzipped, from a page on the site
// (Referer) or with no Referer at all, and the pinned URL. Every request
// after the first is a cache hit: this is the tag's hot path, which
// scripts/loadtest.sh measures over real sockets.
//
//	go test ./app -run '^$' -bench BenchmarkSnippetGet -benchmem
func BenchmarkSnippetGet(b *testing.B) {
	a, store, _ := newTestApp(b, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site := snippetBenchSite(b, store)
	pinned := snippetPinnedPath(b, a, site.Key)
	for _, tt := range []struct {
		name, path, referer string
	}{
		{"referer", "/s/" + site.Key + ".js", "https://shop.example/"},
		{"no referer", "/s/" + site.Key + ".js", ""},
		{"pinned", pinned, "https://shop.example/"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			h := a.Fiber().Handler()
			addr := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 7), Port: 4711}
			var failed atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				var req fasthttp.Request
				var ctx fasthttp.RequestCtx
				for pb.Next() {
					snippetRequest(&req, tt.path, tt.referer)
					ctx.Init(&req, addr, nil)
					h(&ctx)
					if ctx.Response.StatusCode() != fiber.StatusOK {
						failed.Add(1)
					}
				}
			})
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d requests failed", n)
			}
		})
	}
}

// snippetBenchSite is a site with one running experiment.
func snippetBenchSite(tb testing.TB, store *experiments.Store) experiments.Site {
	tb.Helper()
	ctx := context.Background()
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		tb.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		tb.Fatal(err)
	}
	return site
}

// snippetPinnedPath is the path of a site's content-hashed tag URL.
func snippetPinnedPath(tb testing.TB, a *App, key string) string {
	tb.Helper()
	e, err := a.snippetFor(context.Background(), key, false)
	if err != nil {
		tb.Fatal(err)
	}
	return "/s/" + key + "." + e.hash + ".js"
}

// snippetRequest fills req with what a browser sends for the tag.
func snippetRequest(req *fasthttp.Request, path, referer string) {
	req.Reset()
	req.Header.SetMethod(fasthttp.MethodGet)
	req.SetRequestURI(path)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	req.Header.SetUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
	if referer != "" {
		req.Header.SetReferer(referer)
	}
}
