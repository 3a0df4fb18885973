package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// initOps sets up what operators rely on: the metrics (and the ingester's
// report to them), the metrics allow list, and the public rate limits.
// Config was validated (or built by a test), so parsing cannot fail here.
func (a *App) initOps() {
	a.metrics = NewMetrics(a.ing)
	a.ing.SetBatchObserver(func(b experiments.BatchInfo) {
		a.metrics.observeBatch(b)
		a.store.NoteWrite(b.Err) // a full disk shows in /healthz
	})
	a.store.OnStorageFull(a.logStorage)
	for _, p := range a.cfg.MetricsAllow {
		if pfx, err := parseProxy(p); err == nil {
			a.metricsAllow = append(a.metricsAllow, pfx)
		}
	}
	a.rateIP = newRateLimiter(float64(a.cfg.RateIP), rateMaxKeys)
	a.rateSite = newRateLimiter(float64(a.cfg.RateSite), rateMaxKeys)
	// First, so that it sees every request's final status, after
	// logRequests has answered its error (routes.go adds the others).
	a.fiber.Use(a.noteWrites)
}

// logStorage logs that the disk filled, once, when a write first fails
// for lack of space, and once that it has room again. The writes refused
// meanwhile are answered 503 storage_full and counted in the metrics
// (POST /e's by code), not logged each at the error level: a disk that
// stayed full for five minutes wrote 16,000 lines.
func (a *App) logStorage(full bool, since time.Time, err error) {
	if full {
		a.log.Error("storage full: copylab's disk is full; writes that need room are answered 503 storage_full until someone makes room on its server",
			"db", a.store.Path(), "error", err)
		return
	}
	a.log.Info("storage ok: copylab's writes succeed again", "db", a.store.Path(),
		"full_for", time.Since(since).Round(time.Second).String())
}

// noteWrites tells the store that a write succeeded when a request that
// writes (any method but GET, HEAD and OPTIONS) was answered below 400:
// a full disk reported by /healthz is then reported no more, if the
// database grew meanwhile (Store.NoteWrite). The failures
// are noted by handleError, which sees the error. The events' requests
// are left to their batches (initOps), which know whether they committed.
func (a *App) noteWrites(c *fiber.Ctx) error {
	err := c.Next()
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return err
	}
	if err == nil && c.Response().StatusCode() < 400 && audienceOf(c.Path()) != forEvents {
		a.store.NoteWrite(nil)
	}
	return err
}

// noteJobWrite tells the store how a write made outside any request
// went: a background job's, such as the tag's loads (flushTagLoop), the
// notifier's records or the housekeeping's deletes. Requests are noted by
// handleError and noteWrites, the events by their batches (initOps);
// without this, a job's write that failed for lack of space left
// /healthz saying ok. A failure for lack of space marks the storage full
// (Store.NoteWrite, the one test of the error); wrote says whether a
// write that succeeded wrote anything, since one that found nothing to
// write says nothing of the space.
func (a *App) noteJobWrite(err error, wrote bool) {
	if err != nil || wrote {
		a.store.NoteWrite(err)
	}
}

// Metrics returns the app's metrics, for code that counts (the LLM
// generation's a.metrics.LLMCall) and for tests.
func (a *App) Metrics() *Metrics { return a.metrics }

// healthReport is the body of GET /healthz.
type healthReport struct {
	Status   string `json:"status"`   // ok or unavailable
	Database string `json:"database"` // ok or the failure
	// Storage is ok, or full when a write failed for lack of space and
	// none has succeeded since; StorageFullSince is then when the first
	// of those failures was.
	Storage          string     `json:"storage"`
	StorageFullSince *time.Time `json:"storage_full_since,omitempty"`
	Ingest           struct {
		Writer        string `json:"writer"` // ok, failing (the latest batch was rolled back) or closed
		QueuedEvents  int    `json:"queued_events"`
		QueueCapacity int    `json:"queue_capacity"`
	} `json:"ingest"`
}

// healthz answers load balancers and monitors: 200 when the database
// answers a read within a second, the latest write did not fail for lack
// of space, and the events writer is running and its latest batch
// committed; 503 otherwise. The body says which part failed
// and how many events wait for the writer.
func (a *App) healthz(c *fiber.Ctx) error {
	var h healthReport
	h.Status, h.Database, h.Storage, h.Ingest.Writer = "ok", "ok", "ok", "ok"
	ctx, cancel := context.WithTimeout(c.UserContext(), time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		a.log.Error("healthz: database", "error", err)
		h.Status, h.Database = "unavailable", "failing"
	}
	if since, full := a.store.StorageFull(); full {
		h.Status, h.Storage, h.StorageFullSince = "unavailable", "full", &since
	}
	st := a.ing.Stats()
	h.Ingest.QueuedEvents, h.Ingest.QueueCapacity = st.Queued, st.QueueSize
	switch {
	case st.Closed:
		h.Status, h.Ingest.Writer = "unavailable", "closed"
	case st.LastFailed:
		h.Status, h.Ingest.Writer = "unavailable", "failing"
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if h.Status != "ok" {
		c.Status(http.StatusServiceUnavailable)
	}
	return c.JSON(h)
}

// refuseEncodedBodies answers 415 to a request whose body is compressed
// (Content-Encoding other than identity, in any of its header lines: Fiber
// reads the last). No browser or client of copylab sends one, and Fiber's
// Ctx.Body inflates such a body without a size limit: a one-megabyte gzip
// body could become a gigabyte in memory. (Handlers read the raw body
// anyway, Request().Body; this answers with a reason.)
func (a *App) refuseEncodedBodies(c *fiber.Ctx) error {
	for _, line := range c.Request().Header.PeekAll(fiber.HeaderContentEncoding) {
		for _, ce := range strings.Split(string(line), ",") {
			if ce = strings.TrimSpace(ce); ce != "" && !strings.EqualFold(ce, "identity") {
				return &httpError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_encoding",
					Message: "Send the body uncompressed (no Content-Encoding)."}
			}
		}
	}
	return c.Next()
}
