package app

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"copylab/app/syncbuf"
	"copylab/experiments"
)

// TestF2MetricsRefusalOneLogLine: a refused scrape (403 metrics_proxied
// or metrics_host) writes one log line, as every other refusal does: the
// request's own, at INFO, which carries its code (and, for metrics_host,
// the name asked for) beside the status, path and ip.
func TestF2MetricsRefusalOneLogLine(t *testing.T) {
	tests := []struct {
		name string
		hdr  map[string]string
		host string
		want []string // in the one line, besides the request id
	}{
		{name: "metrics_proxied", hdr: map[string]string{"X-Forwarded-For": "1.2.3.4"},
			want: []string{"level=INFO", "msg=http", "method=GET", "path=/metrics", "status=403", "code=metrics_proxied", "ip=0.0.0.0"}},
		{name: "metrics_host", host: "evil.example",
			want: []string{"level=INFO", "msg=http", "method=GET", "path=/metrics", "status=403", "code=metrics_host", "host=evil.example", "ip=0.0.0.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncbuf.Buffer
			a, _, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) {
				c.MetricsAllow = []string{"0.0.0.0/32"} // Fiber's test connections
				c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			req := newRequest(http.MethodGet, "/metrics", nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			resp, err := a.Fiber().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, resp, http.StatusForbidden, readBody(t, resp))
			rid := resp.Header.Get("X-Request-Id")
			var lines []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "request_id="+rid) {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 {
				t.Fatalf("%d log lines for the refusal, want 1:\n%s", len(lines), logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("log line %q lacks %q", lines[0], w)
				}
			}
		})
	}
}
