package app

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/app/syncbuf"
)

// TestUnknownForwardedClient: through a trusted proxy on loopback, a
// request whose X-Forwarded-For hop cannot be read as an address (Squid
// writes "unknown" when it hides its clients) comes from nobody known. It
// must not get the proxy's own address, and with it loopback's exemptions:
// it is rate limited, cannot read /metrics by address, and its log line
// says the client is unknown. Such clients share one rate-limit bucket,
// whatever the hop said.
func TestUnknownForwardedClient(t *testing.T) {
	var logs syncbuf.Buffer
	addr := serveLiveWith(t, func(c *Config) {
		c.TrustedProxies = []string{"127.0.0.1"}
		c.RateIP = 5 // burst 10
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(t *testing.T, path, xff string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	t.Run("metrics", func(t *testing.T) {
		tests := []struct {
			name string
			xff  string
			want int
		}{
			{"the proxy's own request", "", http.StatusOK},
			{"a client outside the allow list", "203.0.113.9", http.StatusNotFound},
			{"unknown", "unknown", http.StatusNotFound},
			{"unknown behind a known hop", "198.51.100.1, unknown", http.StatusNotFound},
			{"a zone is not an address", "fe80::1%eth0", http.StatusNotFound},
			{"markup", "<script>", http.StatusNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := get(t, "/metrics", tt.xff); got != tt.want {
					t.Errorf("GET /metrics with X-Forwarded-For %q = %d, want %d", tt.xff, got, tt.want)
				}
			})
		}
	})

	t.Run("rate limited, under one key", func(t *testing.T) {
		// An unknown site's tag is a 404, after the per-address limit.
		limited := 0
		for i := range 14 {
			xff := "unknown"
			if i%2 == 1 {
				xff = "not-an-address" // another unreadable hop: the same bucket
			}
			switch got := get(t, "/s/nosuchsite.js", xff); got {
			case http.StatusTooManyRequests:
				limited++
			case http.StatusNotFound:
			default:
				t.Fatalf("request %d: status %d", i, got)
			}
		}
		if limited == 0 {
			t.Errorf("14 tag requests from an unknown client at --rate-ip 5: none was limited")
		}
		// The proxy's own requests (loopback) are still exempt.
		for i := range 14 {
			if got := get(t, "/s/nosuchsite.js", ""); got != http.StatusNotFound {
				t.Fatalf("loopback request %d: status %d, want 404", i, got)
			}
		}
	})

	t.Run("logged as unknown", func(t *testing.T) {
		get(t, "/login", "unknown")
		var line string
		for l := range strings.SplitSeq(logs.String(), "\n") {
			if strings.Contains(l, "msg=http") && strings.Contains(l, "path=/login") {
				line = l
			}
		}
		if !strings.Contains(line, "ip=unknown") {
			t.Errorf("log line of a request from an unknown client: %q, want ip=unknown", line)
		}
	})
}
