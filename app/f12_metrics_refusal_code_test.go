package app

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"copylab/app/syncbuf"
	"copylab/experiments"
)

// TestMetricsRefusalsCarryTheirCode: a scrape refused from an allowed
// address (through a proxy copylab does not trust, or by a name that is
// not copylab's) answers in plain text that starts with its code, then the
// sentence, as curl and a scraper's error show it; X-Copylab carries the
// code, and the refusal's one log line (the request's own) names it, so
// that the body, the header or the log can be matched to
// docs/operations.md.
func TestMetricsRefusalsCarryTheirCode(t *testing.T) {
	tests := []struct {
		name     string
		hdr      map[string]string
		host     string
		code     string
		sentence string
		logged   string // besides the code, in the refusal's log line
	}{
		{name: "through a proxy not trusted", hdr: map[string]string{"X-Forwarded-For": "1.2.3.4"},
			code: "metrics_proxied", sentence: "This request came through a proxy copylab does not trust"},
		{name: "another site's name", host: "evil.example",
			code: "metrics_host", sentence: "Ask for /metrics at copylab's address", logged: "host=evil.example"},
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
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusForbidden, body)
			if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q, want text/plain; charset=utf-8", ct)
			}
			if want := tt.code + ": " + tt.sentence; !strings.HasPrefix(body, want) {
				t.Errorf("body %q, want it to start with %q", body, want)
			}
			if !strings.HasSuffix(body, ".\n") || strings.Count(body, "\n") != 1 {
				t.Errorf("body %q, want one line, a sentence and a newline", body)
			}
			wantNotContains(t, body, "<html", "copylab_")
			if got := resp.Header.Get("X-Copylab"); got != tt.code {
				t.Errorf("X-Copylab %q, want %q", got, tt.code)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			// One log line for the refusal, the request's own, carrying
			// the code beside its status, path and ip.
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
			for _, w := range []string{"level=INFO", "msg=http", "method=GET", "path=/metrics", "status=403",
				"code=" + tt.code, "ip=0.0.0.0", tt.logged} {
				if !strings.Contains(lines[0], w) {
					t.Errorf("log line %q lacks %q", lines[0], w)
				}
			}
		})
	}
}

// TestMetricsNotAllowedStaysNotFound: an address not allowed at all still
// gets the 404 page of any unknown path, with no code, header or log line
// that would tell it /metrics exists.
func TestMetricsNotAllowedStaysNotFound(t *testing.T) {
	var logs syncbuf.Buffer
	a, _, _ := newTestApp(t, experiments.IngestOptions{}, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	get := func(path string, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := a.Fiber().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}
	_, unknown := get("/no-such-page", nil)
	for _, hdr := range []map[string]string{nil, {"X-Forwarded-For": "1.2.3.4"}} {
		resp, body := get("/metrics", hdr)
		wantStatus(t, resp, http.StatusNotFound, body)
		if body != unknown {
			t.Errorf("headers %v: /metrics 404 differs from an unknown path's:\n%s\nwant:\n%s", hdr, body, unknown)
		}
		if got := resp.Header.Get("X-Copylab"); got != "" {
			t.Errorf("headers %v: X-Copylab %q, want none", hdr, got)
		}
	}
	if out := logs.String(); strings.Contains(out, "code=") {
		t.Errorf("a 404 of /metrics logged a code:\n%s", out)
	}
}
