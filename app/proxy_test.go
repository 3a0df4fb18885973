package app

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientIPChain checks which address counts as the client's. Fiber's Test
// connections come from 0.0.0.0, which the cases trust or not.
func TestClientIPChain(t *testing.T) {
	tests := []struct {
		name    string
		proxies []string
		xff     []string // X-Forwarded-For headers, in order
		want    string
	}{
		{"no proxies: the peer, XFF ignored", nil, []string{"203.0.113.7"}, "0.0.0.0"},
		{"peer not trusted: XFF ignored", []string{"10.0.0.0/8"}, []string{"203.0.113.7"}, "0.0.0.0"},
		{"trusted peer, one hop", []string{"0.0.0.0"}, []string{"203.0.113.7"}, "203.0.113.7"},
		{"spoofed left entries are ignored", []string{"0.0.0.0"}, []string{"6.6.6.6, 1.2.3.4, 203.0.113.7"}, "203.0.113.7"},
		{"rightmost untrusted behind a chain of proxies", []string{"0.0.0.0", "10.0.0.0/8"},
			[]string{"6.6.6.6, 203.0.113.7, 10.1.2.3, 10.4.5.6"}, "203.0.113.7"},
		{"a second header is the proxy's own (HAProxy)", []string{"0.0.0.0"}, []string{"6.6.6.6", "203.0.113.7"}, "203.0.113.7"},
		{"headers are one list", []string{"0.0.0.0", "10.0.0.0/8"}, []string{"6.6.6.6, 198.51.100.2", "10.0.0.9"}, "198.51.100.2"},
		{"ports are dropped", []string{"0.0.0.0"}, []string{"203.0.113.7:5123"}, "203.0.113.7"},
		{"IPv6 with a port", []string{"0.0.0.0"}, []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"IPv6 in brackets", []string{"0.0.0.0"}, []string{"[2001:db8::1]"}, "2001:db8::1"},
		{"IPv4-mapped IPv6 is IPv4", []string{"0.0.0.0"}, []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{"every hop trusted: the leftmost", []string{"0.0.0.0", "10.0.0.0/8"}, []string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
		{"garbage where it matters: unknown", []string{"0.0.0.0"}, []string{"203.0.113.7, unknown"}, "unknown"},
		{"garbage left of the client is never read", []string{"0.0.0.0"}, []string{"<script>, 203.0.113.7"}, "203.0.113.7"},
		{"empty entries skipped", []string{"0.0.0.0"}, []string{"203.0.113.7, ,"}, "203.0.113.7"},
		{"no header from a trusted peer: the peer", []string{"0.0.0.0"}, nil, "0.0.0.0"},
		{"zones are not addresses", []string{"0.0.0.0"}, []string{"fe80::1%eth0"}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, func(c *Config) { c.TrustedProxies = tt.proxies })
			var got string
			e.app.fiber.Get("/test-ip", func(c *fiber.Ctx) error {
				got = e.app.clientIP(c)
				return c.SendStatus(http.StatusNoContent)
			})
			req := newRequest(http.MethodGet, "/test-ip", nil)
			for _, h := range tt.xff {
				req.Header.Add("X-Forwarded-For", h)
			}
			resp := e.do(req)
			readBody(t, resp)
			if got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseHop(t *testing.T) {
	for _, s := range []string{"", "x", "1.2.3", "[1.2.3.4", "1.2.3.4:", "1.2.3.4:99999", "[]", "fe80::1%eth0"} {
		if addr, ok := parseHop(s); ok {
			t.Errorf("parseHop(%q) = %v, want not an address", s, addr)
		}
	}
}
