package app

import (
	"compress/gzip"
	"context"
	"copylab/app/syncbuf"
	"copylab/experiments"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	get := func() (int, healthReport) {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, "/healthz", nil))
		body := readBody(t, resp)
		var h healthReport
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatalf("healthz body %q: %v", body, err)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		return resp.StatusCode, h
	}

	status, h := get()
	if status != http.StatusOK || h.Status != "ok" || h.Database != "ok" || h.Ingest.Writer != "ok" || h.Ingest.QueueCapacity <= 0 {
		t.Errorf("healthy: %d %+v", status, h)
	}

	// A batch that fails (the disk, a lock) makes the writer unhealthy
	// until one commits again.
	site, x := e.runningExperiment()
	e.ing.InjectFault(func() error { return errors.New("disk on fire") })
	resp, body := e.postRaw(eventBody(site.Key, "v1", x.ID, "b", false), nil)
	wantStatus(t, resp, http.StatusServiceUnavailable, body)
	if status, h = get(); status != http.StatusServiceUnavailable || h.Status != "unavailable" || h.Ingest.Writer != "failing" {
		t.Errorf("after a failed batch: %d %+v", status, h)
	}
	e.ing.InjectFault(nil)
	resp, body = e.postRaw(eventBody(site.Key, "v1", x.ID, "b", false), nil)
	wantStatus(t, resp, http.StatusNoContent, body)
	if status, h = get(); status != http.StatusOK {
		t.Errorf("after a committed batch: %d %+v", status, h)
	}

	// Shutting down: the load balancer should stop sending.
	e.ing.Close(context.Background())
	if status, h = get(); status != http.StatusServiceUnavailable || h.Ingest.Writer != "closed" {
		t.Errorf("closed ingester: %d %+v", status, h)
	}
}

func TestHealthzDatabaseDown(t *testing.T) {
	e := newEnv(t)
	e.store.Reader().Close() // the cleanup's second Close is harmless
	resp := e.do(newRequest(http.MethodGet, "/healthz", nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusServiceUnavailable, body)
	wantContains(t, body, `"database":"failing"`)
}

func TestMetricsAccess(t *testing.T) {
	const token = "metrics-token-0123456789"
	tests := []struct {
		name   string
		mod    func(*Config)
		hdr    map[string]string
		status int
		host   string // the request's Host, when not the public URL's
	}{
		// Fiber's test connections come from 0.0.0.0.
		{"default: loopback only", nil, nil, http.StatusNotFound, ""},
		{"allowed address", func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} }, nil, http.StatusOK, ""},
		// A page of another site, its name made to resolve to copylab
		// (DNS rebinding), in a browser inside the allowed range.
		{"allowed address, another site's name", func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} }, nil, http.StatusForbidden, "evil.example"},
		{"allowed address, asked by address", func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} }, nil, http.StatusOK, "10.0.0.5:8080"},
		{"another site's name, with the token", func(c *Config) { c.MetricsToken = token }, map[string]string{"Authorization": "Bearer " + token}, http.StatusOK, "evil.example"},
		{"empty allow list", func(c *Config) { c.MetricsAllow = []string{} }, nil, http.StatusNotFound, ""},
		{"token", func(c *Config) { c.MetricsToken = token }, map[string]string{"Authorization": "Bearer " + token}, http.StatusOK, ""},
		{"token, scheme in lower case", func(c *Config) { c.MetricsToken = token }, map[string]string{"Authorization": "bearer " + token}, http.StatusOK, ""},
		{"wrong token", func(c *Config) { c.MetricsToken = token }, map[string]string{"Authorization": "Bearer " + token + "x"}, http.StatusNotFound, ""},
		{"token not configured", nil, map[string]string{"Authorization": "Bearer "}, http.StatusNotFound, ""},
		// A proxy that is not trusted forwards for someone else: its own
		// address (often loopback) must not open the door. At an allowed
		// address it is told why (metrics_proxied); elsewhere, not found.
		{"through an untrusted proxy at an allowed address", func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} },
			map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusForbidden, ""},
		{"through an untrusted proxy elsewhere", nil,
			map[string]string{"X-Forwarded-For": "127.0.0.1"}, http.StatusNotFound, ""},
		{"through a trusted proxy, client allowed", func(c *Config) {
			c.TrustedProxies = []string{"0.0.0.0"}
			c.MetricsAllow = []string{"10.0.0.0/8"}
		}, map[string]string{"X-Forwarded-For": "10.1.2.3"}, http.StatusOK, ""},
		{"through a trusted proxy, client not allowed", func(c *Config) {
			c.TrustedProxies = []string{"0.0.0.0"}
			c.MetricsAllow = []string{"0.0.0.0/32"}
		}, map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, tt.mod)
			req := newRequest(http.MethodGet, "/metrics", nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			resp := e.do(req)
			body := readBody(t, resp)
			wantStatus(t, resp, tt.status, body)
			switch {
			case tt.status == http.StatusOK:
				wantContains(t, body, "copylab_ingest_queue_events", "go_goroutines")
			case tt.hdr["X-Forwarded-For"] != "" && tt.status == http.StatusForbidden:
				wantContains(t, body, "list the proxy in --trusted-proxies")
			default:
				wantNotContains(t, body, "copylab_")
			}
		})
	}
}

func TestMetricsCount(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	site, x := e.runningExperiment()
	for i, body := range []string{
		eventBody(site.Key, "v1", x.ID, "b", true), // two events
		eventBody(site.Key, "v2", x.ID, "control", false),
		`{not json`,
		eventBody("aaaaaaaaaaaaaaaa", "v3", x.ID, "b", false),
	} {
		resp, _ := e.postRaw(body, nil)
		if i < 2 && resp.StatusCode != http.StatusNoContent {
			t.Fatalf("body %d: %d", i, resp.StatusCode)
		}
	}
	resend := eventBody(site.Key, "v4", x.ID, "b", false)
	e.postRaw(resend, nil)
	e.postRaw(resend, nil)
	// A bot's exposure is stored, not counted.
	e.postRaw(eventBody(site.Key, "v5", x.ID, "b", false), map[string]string{"User-Agent": "curl/8.0"})
	e.app.Metrics().LLMCall("")
	e.app.Metrics().LLMCall("timeout")
	e.app.Metrics().LLMCall("Free text, not a code!")

	resp := e.do(newRequest(http.MethodGet, "/metrics", nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	for _, want := range []string{
		"copylab_events_accepted_total 5\n",
		"copylab_events_duplicate_total 1\n",
		`copylab_events_rejected_total{code="invalid_json"} 1`,
		`copylab_events_rejected_total{code="unknown_site"} 1`,
		`copylab_events_ignored_total{reason="bot"} 1`,
		`copylab_http_requests_total{group="events",status="204"} 5`,
		`copylab_http_requests_total{group="events",status="400"} 1`,
		`copylab_ingest_batch_seconds_count{result="ok"}`,
		`copylab_ingest_batch_events_bucket{le="1"}`,
		`copylab_ingest_batches_total{result="error"} 0`,
		"copylab_ingest_queue_events 0\n",
		"copylab_llm_calls_total 3\n",
		`copylab_llm_failures_total{code="timeout"} 1`,
		`copylab_llm_failures_total{code="other"} 1`,
		"process_cpu_seconds_total",
		// Which copylab answers: the test binary's own build.
		`copylab_build_info{go="` + runtime.Version() + `",modified="`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

func TestMetricsNilSafe(t *testing.T) {
	var m *Metrics
	m.LLMCall("timeout")
	m.rateLimited("ip")
	m.snippetRendered()
}

// TestPublicRejectionsLogQuietly: at the info level a rejected POST /e
// writes no log line (metrics count it), while a 404 of the app's own pages
// still does, and at the debug level both do.
func TestPublicRejectionsLogQuietly(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var logs syncbuf.Buffer
		a, _, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) {
			c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))
		})
		body := eventBody("nosuchsite000000", "v1", "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b", "b", false)
		resp, err := a.Fiber().Test(newRequest(http.MethodPost, "/e", strings.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown site: status %d, want 404", resp.StatusCode)
		}
		if resp, err = a.Fiber().Test(newRequest(http.MethodGet, "/no-such-page", nil)); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown page: status %d, want 404", resp.StatusCode)
		}
		out := logs.String()
		if got, want := strings.Contains(out, "path=/e "), level == slog.LevelDebug; got != want {
			t.Errorf("level %v: rejected POST /e logged = %v, want %v\n%s", level, got, want, out)
		}
		if !strings.Contains(out, "path=/no-such-page") {
			t.Errorf("level %v: the app's 404 was not logged\n%s", level, out)
		}
	}
}

// A forwarding header counts in any of its lines, empty or not: a client
// can send an empty one ahead of the line a proxy adds. (The proxy is at
// an allowed address, so it is told why.)
func TestMetricsForwardedInAnyLine(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	for _, name := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		req := newRequest(http.MethodGet, "/metrics", nil)
		req.Header[name] = []string{"", "203.0.113.9"}
		resp := e.do(req)
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusForbidden, body)
		wantContains(t, body, "list the proxy in --trusted-proxies")
		wantNotContains(t, body, "copylab_ingest")
	}
}

// A compressed body is refused whichever Content-Encoding line says so
// (Fiber inflates by the last one, without a limit).
func TestAPIRefusesCompressedBodyInAnyLine(t *testing.T) {
	e := newEnv(t)
	token := e.token("ann@example.com")
	var gz strings.Builder
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"name":"Shop","domain":"shop.example"}`))
	w.Close()
	for _, lines := range [][]string{{"gzip"}, {"identity", "gzip"}, {"identity, gzip"}} {
		req := newRequest(http.MethodPost, "/api/v1/sites", strings.NewReader(gz.String()))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header["Content-Encoding"] = lines
		resp := e.do(req)
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusUnsupportedMediaType, body)
		wantContains(t, body, "unsupported_encoding")
	}
	sites, err := e.store.Sites(context.Background())
	if err != nil || len(sites) != 0 {
		t.Errorf("sites after the refusals: %d (%v), want none", len(sites), err)
	}
}
