package netguard

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

// TestClientIgnoresEnvironmentProxy: with HTTP_PROXY and HTTPS_PROXY set,
// the guarded client still connects itself, so the dialer judges the real
// address. Through the proxy it would judge only the proxy's (loopback,
// allowed) and the proxy would fetch 169.254.169.254 for it.
func TestClientIgnoresEnvironmentProxy(t *testing.T) {
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		io.WriteString(w, "from the proxy")
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")

	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "direct")
	}))
	t.Cleanup(target.Close)

	client := NewClient(3 * time.Second)
	if p := client.Transport.(*http.Transport).Proxy; p != nil {
		t.Fatal("the transport has a proxy function")
	}
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://metadata.google.internal/computeMetadata/v1/",
	} {
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: went through (%s)", u, resp.Status)
			continue
		}
		if be := (*BlockedError)(nil); !errors.As(err, &be) {
			t.Errorf("%s: err = %v, want a blocked address", u, err)
		}
	}
	resp, err := client.Get(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "direct" {
		t.Errorf("loopback target answered %q", body)
	}
	if n := proxied.Load(); n != 0 {
		t.Errorf("the proxy got %d requests", n)
	}
}

// TestDialerRefusesBlockedAddresses checks the guard that runs after DNS:
// the requests below would reach a metadata service if the dialer let
// them through. The refusal happens before connect, so it is immediate.
func TestDialerRefusesBlockedAddresses(t *testing.T) {
	client := NewClient(3 * time.Second)
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://[fe80::1]/",
		"http://[fd00:ec2::254]/",
		"http://[::ffff:169.254.169.254]/",
		"http://metadata.google.internal/computeMetadata/v1/",
	} {
		t.Run(u, func(t *testing.T) {
			start := time.Now()
			resp, err := client.Get(u)
			if err == nil {
				resp.Body.Close()
				t.Fatal("request went through")
			}
			var be *BlockedError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a blocked address", err)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v; the guard should refuse before connecting", took)
			}
		})
	}
}

func TestBlocked(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.9", false},
		{"192.168.1.20", false},
		{"fd12:3456::1", false},
		{"8.8.8.8", false},
		{"169.254.169.254", true},
		{"169.254.0.1", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"fd00:ec2::254", true},
		{"::ffff:169.254.169.254", true},
		{"100.100.100.200", true},
		{"0.0.0.0", false},
		{"::", false},
		{"224.0.0.1", true},
	}
	for _, tt := range tests {
		if got := Blocked(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("Blocked(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestCheckHost(t *testing.T) {
	for host, blocked := range map[string]bool{
		"169.254.169.254": true, "[fe80::1]": true, "fe80::1": true, "METADATA.google.internal.": true, "100.100.100.200": true,
		"127.0.0.1": false, "localhost": false, "hooks.slack.com": false, "10.0.0.7": false, "[::1]": false,
	} {
		err := CheckHost(host)
		var be *BlockedError
		if got := errors.As(err, &be); got != blocked {
			t.Errorf("CheckHost(%q) = %v, want blocked %v", host, err, blocked)
		}
	}
}
