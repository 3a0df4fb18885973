package app

import (
	"io"
	"net"
	"net/http"
	"testing"
)

// TestMetricsRefuseForeignHostOnLoopback: from loopback, the default
// allow list, the metrics answer a request that names copylab by an
// address, localhost, or the public URL's host, and refuse one that names
// another site (403 metrics_host: a page whose name was made to resolve
// to 127.0.0.1, DNS rebinding, could otherwise read them). The token
// still opens them whatever the Host. (TestMetricsAccess has the same
// rule for an allowed range that is not loopback.)
func TestMetricsRefuseForeignHostOnLoopback(t *testing.T) {
	const token = "metrics-token-0123456789"
	addr := serveLiveWith(t, func(c *Config) {
		c.PublicURL = "https://copylab.example.com"
		c.MetricsToken = token
	})
	_, port, _ := net.SplitHostPort(addr)
	for _, tt := range []struct {
		host, auth string
		want       int
	}{
		{host: addr, want: http.StatusOK},
		{host: "localhost:" + port, want: http.StatusOK},
		{host: "LOCALHOST.:" + port, want: http.StatusOK},
		{host: "app.localhost:" + port, want: http.StatusOK},
		{host: "[::1]:" + port, want: http.StatusOK},
		{host: "copylab.example.com", want: http.StatusOK},
		{host: "Copylab.Example.com:" + port, want: http.StatusOK},
		{host: "evil.example:" + port, want: http.StatusForbidden},
		{host: "evil.example", want: http.StatusForbidden},
		{host: "copylab.example.com.evil.example", want: http.StatusForbidden},
		{host: "127.0.0.1.nip.example:" + port, want: http.StatusForbidden},
		{host: "evil.example:" + port, auth: "Bearer " + token, want: http.StatusOK},
	} {
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("Host %q (auth %v): %d, want %d", tt.host, tt.auth != "", resp.StatusCode, tt.want)
		}
	}
}
