//go:build unix

package app

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"copylab/experiments"
)

// BenchmarkEventsPost drives POST /e through the whole app — middleware,
// handler, ingester, a real database file — without a network: each
// request is handed to Fiber's handler in memory, 128 in flight, one new
// visitor's page view each (an exposure, a third with a conversion). The
// "bare" case is the load test's yardstick: a Fiber handler that only
// parses the same body. The difference is what copylab's events path costs
// per request; scripts/loadtest.sh measures the same over real sockets.
// "rejected" is the cost of a body for an unknown site.
func BenchmarkEventsPost(b *testing.B) {
	b.Run("copylab", func(b *testing.B) {
		a, store, _ := newTestApp(b, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
		ctx := context.Background()
		site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
		if err != nil {
			b.Fatal(err)
		}
		x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
			Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
			Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			b.Fatal(err)
		}
		runEventsBench(b, a.Fiber().Handler(), site.Key, x.ID, fiber.StatusNoContent)
	})
	// A body for a site that does not exist: what a flood of bad requests
	// costs, answered 404 unknown_site before anything reaches the writer.
	b.Run("rejected", func(b *testing.B) {
		a, _, _ := newTestApp(b, experiments.IngestOptions{}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
		runEventsBench(b, a.Fiber().Handler(), "nosuchsite000000", "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b", fiber.StatusNotFound)
	})
	b.Run("bare", func(b *testing.B) {
		f := fiber.New(fiber.Config{DisableStartupMessage: true})
		f.Post("/e", func(c *fiber.Ctx) error {
			if err := experiments.DecodeEventsBody(c.Body()); err != nil {
				return c.SendStatus(fiber.StatusBadRequest)
			}
			return c.SendStatus(fiber.StatusNoContent)
		})
		runEventsBench(b, f.Handler(), "aaaaaaaaaaaaaaaa", "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b", fiber.StatusNoContent)
	})
}

func runEventsBench(b *testing.B, h fasthttp.RequestHandler, siteKey, expID string, want int) {
	bodies := make([][]byte, b.N)
	events := 0
	for i := range bodies {
		bodies[i] = []byte(eventBody(siteKey, fmt.Sprintf("visitor-%d", i), expID, "b", i%3 == 0))
		events++
		if i%3 == 0 {
			events++
		}
	}
	addr := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 7), Port: 4711}
	var next atomic.Int64
	var failed atomic.Int64
	b.SetParallelism(64) // per GOMAXPROCS: 128 in flight on 2 cores
	b.ResetTimer()
	start, cpu := time.Now(), benchCPU()
	b.RunParallel(func(pb *testing.PB) {
		var req fasthttp.Request
		var ctx fasthttp.RequestCtx
		for pb.Next() {
			req.Reset()
			req.Header.SetMethod(fasthttp.MethodPost)
			req.SetRequestURI("/e")
			req.Header.SetContentType("text/plain;charset=UTF-8")
			req.Header.SetUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
			req.SetBodyRaw(bodies[next.Add(1)-1])
			ctx.Init(&req, addr, nil)
			h(&ctx)
			if ctx.Response.StatusCode() != want {
				failed.Add(1)
			}
		}
	})
	elapsed, cpu := time.Since(start), benchCPU()-cpu
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
	if want == fiber.StatusNoContent {
		b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	} else {
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rejections/s")
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-µs/req")
	}
}

// benchCPU is the CPU time this process has used, user and system: a
// steadier measure than the wall clock on a machine shared with other work.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
