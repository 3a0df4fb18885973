package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"copylab/experiments"
	"copylab/variants"
)

// Metrics are the app's Prometheus instruments, on a registry of their own
// (no global state): GET /metrics serves them to the addresses in
// Config.MetricsAllow, or to a scraper with Config.MetricsToken.
//
// Every method is safe on a nil *Metrics, so code that counts something
// needs no check.
type Metrics struct {
	reg *prometheus.Registry

	requests       *prometheus.CounterVec // route group, status
	accepted       prometheus.Counter
	duplicates     prometheus.Counter
	ignored        *prometheus.CounterVec // reason
	skipped        *prometheus.CounterVec // reason
	replayDropped  *prometheus.CounterVec // reason
	sessionDropped *prometheus.CounterVec // reason
	rejected       *prometheus.CounterVec // code
	limited        *prometheus.CounterVec // by: ip, site or share
	batchSeconds   *prometheus.HistogramVec
	batchEvents    prometheus.Histogram
	llmCalls       prometheus.Counter
	llmFailures    *prometheus.CounterVec // code
	llmRefused     *prometheus.CounterVec // call, reason
	notifications  *prometheus.CounterVec // result: sent, retried, paused, dropped, failed
	snippetRender  prometheus.Counter
}

// NewMetrics makes the instruments and registers them, with the Go runtime
// and process collectors, on a new registry. ing may be nil (no queue
// gauges).
func NewMetrics(ing *experiments.Ingester) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	b := ReadBuildInfo()
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "copylab_build_info",
		Help: "Always 1; its labels say which copylab runs: version, revision (the commit, \"\" when not built from a checkout), modified (uncommitted changes) and go."},
		[]string{"version", "revision", "modified", "go"})
	build.WithLabelValues(b.Version, b.Revision, strconv.FormatBool(b.Modified), b.Go).Set(1)
	f(build)

	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_http_requests_total",
		Help: "HTTP requests answered, by route group (snippet, events, api, pages, static, ops) and status code."}, []string{"group", "status"})
	m.accepted = prometheus.NewCounter(prometheus.CounterOpts{Name: "copylab_events_accepted_total",
		Help: "Events committed to disk by POST /e (not counting resends of stored ones)."})
	m.duplicates = prometheus.NewCounter(prometheus.CounterOpts{Name: "copylab_events_duplicate_total",
		Help: "Events POST /e received again after they were stored (acknowledged, stored once)."})
	m.ignored = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_events_ignored_total",
		Help: "Events stored but not counted in results, by reason (bot, not_matched, already_converted, …)."}, []string{"reason"})
	m.skipped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_events_skipped_total",
		Help: "Events left out of requests POST /e accepted, not stored, by reason: recordings whose session or replay URL, from the page's recorder, cannot be used (recording_session_too_long, recording_replay_invalid, …)."}, []string{"reason"})
	m.replayDropped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_recording_replays_dropped_total",
		Help: "Recordings POST /e stored with their session but without the replay URL the page's recorder sent, which could not be used, by reason (recording_replay_invalid, recording_replay_too_long); the session alone gives the link."}, []string{"reason"})
	m.sessionDropped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_recording_sessions_dropped_total",
		Help: "Recordings POST /e stored with their replay URL but without the session id the page's recorder sent, which could not be used, by reason (recording_session_invalid, recording_session_too_long); the replay URL alone gives the link (FullStory, LogRocket)."}, []string{"reason"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_events_rejected_total",
		Help: "POST /e requests refused, by code (invalid_json, unknown_site, rate_limited, queue_full, write_failed, …); nothing of them was stored."}, []string{"code"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_rate_limited_total",
		Help: "Public requests refused with 429, by the limit that refused them (ip, site or share)."}, []string{"by"})
	m.batchSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "copylab_ingest_batch_seconds",
		Help:    "Time from the start of an events transaction to its commit (result=ok) or rollback (result=error).",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"result"})
	m.batchEvents = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "copylab_ingest_batch_events",
		Help: "Events per events transaction (group commit).", Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}})
	m.llmCalls = prometheus.NewCounter(prometheus.CounterOpts{Name: "copylab_llm_calls_total",
		Help: "HTTP requests sent to the LLM endpoint, successful or not: each try of a set of drafts, a rewrite or a connection test, retries after a 429 or 5xx included, and each follow-up request for missing drafts."})
	m.llmFailures = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_llm_failures_total",
		Help: "HTTP requests sent to the LLM endpoint that brought no usable answer, by code (llm_unavailable, llm_rate_limited, llm_timeout, llm_truncated, …; canceled when the drafting was stopped meanwhile); each is also in copylab_llm_calls_total."}, []string{"code"})
	m.llmRefused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_llm_refused_total",
		Help: fmt.Sprintf("Requests to draft copy, on the drafting page or through the API, and Settings' connection tests, turned away before any request to the LLM endpoint, by call (generate, rewrite, test) and by the reason: "+
			"person_generations (the person already has %d sets of drafts being written; 429 too_many_generations), "+
			"person_calls (the person already has %d calls, sets of drafts, rewrites and connection tests together; 429 too_many_generations), "+
			"server_busy (all %d of copylab's calls are taken; 503 generation_busy), "+
			"retry_after (the model service's Retry-After after an earlier 429 has not passed; 429 llm_rate_limited).", genUserMax, genPersonMax, genRunningMax)}, []string{"call", "reason"})
	m.notifications = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copylab_notifications_total",
		Help: "Messages posted to sites' webhooks (verdicts, warnings and test messages), by result: sent; retried (no answer, 5xx, 429, 408 and the like, or a refusal copylab's database could not record: posted again a minute later); " +
			"paused (the webhook is gone, not allowed or redirects: nothing more goes to it until a person fixes it); " +
			"dropped (the webhook refused that message, another 4xx: it is not posted again); failed (a test message that did not get through otherwise; test messages are never retried)."}, []string{"result"})
	m.snippetRender = prometheus.NewCounter(prometheus.CounterOpts{Name: "copylab_snippet_renders_total",
		Help: "Snippets rendered (cache misses of GET /s/{key}.js)."})
	for _, c := range []prometheus.Collector{m.requests, m.accepted, m.duplicates, m.ignored, m.skipped, m.replayDropped, m.sessionDropped, m.rejected, m.limited,
		m.batchSeconds, m.batchEvents, m.llmCalls, m.llmFailures, m.llmRefused, m.notifications, m.snippetRender} {
		f(c)
	}
	if ing != nil {
		f(ingestCollector{ing})
	}
	return m
}

// Registry is the registry the metrics are on, for tests and for code that
// wants to add its own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// LLMCall counts one HTTP request sent to the LLM endpoint: code is ""
// when it brought a usable answer, else a short failure code such as
// "llm_timeout" or "llm_unavailable". countLLM calls it for each request
// the generator reports:
//
//	a.metrics.LLMCall(code)
func (m *Metrics) LLMCall(code string) {
	if m == nil {
		return
	}
	m.llmCalls.Inc()
	if code != "" {
		m.llmFailures.WithLabelValues(metricLabel(code)).Inc()
	}
}

// refusedLLM counts one generation or rewrite of copy, or one connection
// test (call: "generate", "rewrite" or "test"), that a limit turned away
// before any request (countRefusal, countLLM).
func (m *Metrics) refusedLLM(call, reason string) {
	if m != nil {
		m.llmRefused.WithLabelValues(metricLabel(call), metricLabel(reason)).Inc()
	}
}

// countLLM returns ctx set to count, in the metrics, the requests that
// one generation, rewrite or connection test (call: "generate",
// "rewrite", "test") sends to the model endpoint: the generator reports
// each once it is answered and read (variants.WithCallNotice), tries and
// follow-ups alike, so that the count is what the endpoint received. One held back
// before it sent anything, because the model service's Retry-After has
// not passed, sent no request: it is refused (reason retry_after), not a
// call. The offline generator and a brief refused before any request
// report nothing.
func (a *App) countLLM(ctx context.Context, call string) context.Context {
	var sent atomic.Bool
	return variants.WithCallNotice(ctx, func(c variants.Call) {
		if c.HeldBack {
			// A follow-up held back after a request that was sent is
			// part of a call that reached the service.
			if !sent.Load() {
				a.metrics.refusedLLM(call, "retry_after")
			}
			return
		}
		sent.Store(true)
		a.metrics.LLMCall(llmCode(c.Err))
	})
}

// llmCode is the failure code of one request to the model endpoint, ""
// when it succeeded.
func llmCode(err error) string {
	var ve *variants.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve):
		return ve.Code
	case errors.Is(err, context.DeadlineExceeded):
		return variants.CodeTimeout
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "other"
}

// events counts the outcome of one POST /e request.
func (m *Metrics) events(res experiments.IngestResult, err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.rejected.WithLabelValues(metricLabel(classify(err).body.Code)).Inc()
		return
	}
	if res.Stored > 0 {
		m.accepted.Add(float64(res.Stored))
	}
	if res.Duplicates > 0 {
		m.duplicates.Add(float64(res.Duplicates))
	}
	for _, r := range res.Skipped {
		m.skipped.WithLabelValues(metricLabel(r)).Inc()
	}
	for _, r := range res.ReplaysDropped {
		m.replayDropped.WithLabelValues(metricLabel(r)).Inc()
	}
	for _, r := range res.SessionsDropped {
		m.sessionDropped.WithLabelValues(metricLabel(r)).Inc()
	}
	for i, r := range res.Reasons {
		m.ignored.WithLabelValues(r).Add(float64(res.ReasonCounts[i]))
	}
}

func (m *Metrics) rateLimited(by string) {
	if m != nil {
		m.limited.WithLabelValues(by).Inc()
	}
}

func (m *Metrics) snippetRendered() {
	if m != nil {
		m.snippetRender.Inc()
	}
}

// observeBatch is the ingester's batch observer.
func (m *Metrics) observeBatch(b experiments.BatchInfo) {
	if m == nil {
		return
	}
	result := "ok"
	if b.Err != nil {
		result = "error"
	}
	m.batchSeconds.WithLabelValues(result).Observe(b.Took.Seconds())
	m.batchEvents.Observe(float64(b.Events))
}

// metricLabel keeps label values to a small, safe alphabet so that no
// caller can grow the series without bound by passing free text.
func metricLabel(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	ok := s != ""
	for i := 0; i < len(s) && ok; i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if !ok {
		return "other"
	}
	return s
}

// ingestCollector reads the ingester's counters at scrape time.
type ingestCollector struct{ ing *experiments.Ingester }

var (
	descQueued    = prometheus.NewDesc("copylab_ingest_queue_events", "Events waiting for the writer.", nil, nil)
	descQueueSize = prometheus.NewDesc("copylab_ingest_queue_capacity_events", "Events that may wait before POST /e answers 503 queue_full.", nil, nil)
	descBatches   = prometheus.NewDesc("copylab_ingest_batches_total", "Events transactions attempted, by result.", []string{"result"}, nil)
	descWritten   = prometheus.NewDesc("copylab_ingest_events_written_total", "Events in committed transactions, resends included.", nil, nil)
)

func (ingestCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descQueued
	ch <- descQueueSize
	ch <- descBatches
	ch <- descWritten
}

func (c ingestCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.ing.Stats()
	ch <- prometheus.MustNewConstMetric(descQueued, prometheus.GaugeValue, float64(st.Queued))
	ch <- prometheus.MustNewConstMetric(descQueueSize, prometheus.GaugeValue, float64(st.QueueSize))
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(st.Batches-st.Failed), "ok")
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(st.Failed), "error")
	ch <- prometheus.MustNewConstMetric(descWritten, prometheus.CounterValue, float64(st.Events))
}

// routeGroup names the group of a path for the requests counter: a fixed,
// small set, never the path itself.
func routeGroup(path string) string {
	switch {
	case routedPath(path) == "/e":
		return "events"
	case strings.HasPrefix(path, "/s/"):
		return "snippet"
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/static/") || path == "/favicon.ico":
		return "static"
	case path == "/healthz" || path == "/metrics":
		return "ops"
	}
	return "pages"
}

// countRequests counts every answer by route group and status. It runs
// outside logRequests, which has turned any error into its answer by then.
func (a *App) countRequests(c *fiber.Ctx) error {
	err := c.Next()
	if a.metrics != nil {
		a.metrics.requests.WithLabelValues(routeGroup(c.Path()), strconv.Itoa(c.Response().StatusCode())).Inc()
	}
	return err
}

// metricsHandler serves the registry in the Prometheus text format (gzip
// when the scraper asks for it).
func (a *App) metricsHandler() fiber.Handler {
	if a.metrics == nil {
		return func(c *fiber.Ctx) error { return errNotFound }
	}
	h := adaptor.HTTPHandler(promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{
		ErrorLog: slogPrinter{a}, ErrorHandling: promhttp.ContinueOnError, Registry: a.metrics.reg}))
	return func(c *fiber.Ctx) error {
		switch a.metricsAccess(c) {
		case metricsRefused:
			// Not found rather than forbidden: nothing to learn here.
			return errNotFound
		case metricsProxied:
			// The proxy's address says nothing of the client behind it
			// (a public one, through nginx on the same host).
			return a.refuseMetrics(c, "metrics_proxied",
				"This request came through a proxy copylab does not trust (it carries X-Forwarded-For or Forwarded), so its address does not let it read /metrics: scrape copylab directly, list the proxy in --trusted-proxies, or send the metrics token.")
		case metricsForeignHost:
			// An allowed address, asking by a name copylab does not
			// answer to: a scraper set up with another name learns why.
			return a.refuseMetrics(c, "metrics_host",
				"Ask for /metrics at copylab's address, localhost or its public URL's host, or send the metrics token: a page of another site whose name resolves here could otherwise read them.")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return h(c)
	}
}

// refuseMetrics answers 403 to a scrape from an allowed address that
// cannot be let in, in plain text that starts with code (handleError), and
// puts the code on the request's log line (logAlso), beside its status=403
// and ip: docs/operations.md names the refusals by their codes. A
// metrics_host refusal adds the name asked for.
func (a *App) refuseMetrics(c *fiber.Ctx, code, message string) error {
	if code == "metrics_host" {
		logAlso(c, slog.String("code", code), slog.String("host", logHost(a.requestHost(c))))
	} else {
		logAlso(c, slog.String("code", code))
	}
	return &httpError{Status: http.StatusForbidden, Code: code, Message: message, Plain: true}
}

// logHost is a Host header as the log shows it: cut at 100 bytes, since
// anyone inside the allowed addresses chooses it.
func logHost(h string) string {
	if len(h) > 100 {
		return strings.ToValidUTF8(h[:100], "") + "…"
	}
	return h
}

// forwarded tells whether a request carries any forwarding header, empty
// or not, in any of its lines: a client may send an empty one ahead of the
// line a proxy adds, and the first line alone would then say nothing.
func forwarded(c *fiber.Ctx) bool {
	h := &c.Request().Header
	return len(h.PeekAll(fiber.HeaderXForwardedFor)) > 0 || len(h.PeekAll("Forwarded")) > 0 || len(h.PeekAll("X-Real-Ip")) > 0
}

// metricsAccess says whether a request may read the metrics: it carries
// the bearer token, or comes from an allowed address and names copylab
// in Host. The address is the client's as clientIP sees it through
// trusted proxies; a request that came through a proxy which is not
// trusted (it carries forwarding headers) is never let in by address,
// since the proxy's own address (often loopback) says nothing about the
// client behind it.
//
// A page of another site can make a browser inside the allowed addresses
// ask for the metrics, and read them, by having its name resolve to
// copylab's address (DNS rebinding); its request names that site in Host.
// So an address lets in only a Host that no other site's page can send:
// an address, localhost, or the public URL's host (ownHostName).
func (a *App) metricsAccess(c *fiber.Ctx) metricsVerdict {
	// The token acts only when it comes alone: with two Authorization
	// headers Get would read the first, and the order a proxy or a client
	// library adds them in would decide. They are not refused out loud (as
	// the API refuses them), since that would tell anyone that /metrics is
	// here: the address decides, and outside --metrics-allow it is a 404.
	if a.cfg.MetricsToken != "" && len(c.Request().Header.PeekAll(fiber.HeaderAuthorization)) == 1 {
		// The scheme's name is case-insensitive (RFC 9110), as apiAuth reads it.
		if scheme, tok, ok := strings.Cut(c.Get(fiber.HeaderAuthorization), " "); ok && strings.EqualFold(scheme, "Bearer") {
			got, want := sha256.Sum256([]byte(strings.TrimSpace(tok))), sha256.Sum256([]byte(a.cfg.MetricsToken))
			if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
				return metricsAllowed
			}
		}
	}
	if !a.fromTrustedProxy(c) && forwarded(c) {
		// Refused whoever the client is; a proxy at an allowed address
		// (nginx on the same host) is told why, and what to do instead.
		if peer, err := netip.ParseAddr(c.Context().RemoteIP().String()); err == nil && a.metricsAllowed(peer) {
			return metricsProxied
		}
		return metricsRefused
	}
	addr, err := netip.ParseAddr(a.clientIP(c))
	if err != nil || !a.metricsAllowed(addr) {
		return metricsRefused
	}
	if !a.ownHostName(a.requestHost(c)) {
		return metricsForeignHost
	}
	return metricsAllowed
}

// metricsAllowed reports whether addr is among the addresses that may
// read the metrics (--metrics-allow).
func (a *App) metricsAllowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range a.metricsAllow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// metricsVerdict is metricsAccess's answer.
type metricsVerdict int

const (
	metricsRefused     metricsVerdict = iota // no token, no allowed address
	metricsAllowed                           // the token, or an allowed address naming copylab
	metricsForeignHost                       // an allowed address naming another host
	metricsProxied                           // through a proxy not trusted, at an allowed address
)

// ownHostName reports whether host (with or without a port) is a name a
// page of another site cannot have: an IP address, localhost or a name
// under .localhost (loopbackHost), or the host of the public URL. Case
// and one trailing dot do not count.
func (a *App) ownHostName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower((&url.URL{Host: host}).Hostname()), ".")
	if h == "" {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil || loopbackHost(host) {
		return true
	}
	pub, err := url.Parse(a.cfg.PublicURL)
	return err == nil && h == strings.TrimSuffix(strings.ToLower(pub.Hostname()), ".")
}

// slogPrinter sends promhttp's error log to the app's logger.
type slogPrinter struct{ a *App }

func (p slogPrinter) Println(v ...any) { p.a.log.Error("metrics: " + fmt.Sprint(v...)) }
