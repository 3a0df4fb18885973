package netguard

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestGuardLocal: the zero Guard refuses addresses on copylab's own host
// or network, in every IPv6 form that carries one, as well as what every
// guard refuses; AllowPrivate lets the local ones through, and public
// addresses pass either way.
func TestGuardLocal(t *testing.T) {
	tests := []struct {
		ip    string
		local bool // refused by the zero Guard, allowed with AllowPrivate
	}{
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"::1", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"10.1.2.3", true},
		{"172.16.0.9", true},
		{"172.31.255.255", true},
		{"192.168.1.20", true},
		{"100.64.0.1", true},
		{"100.127.255.254", true},
		{"fd12:3456::1", true},
		{"fc00::1", true},
		{"fec0::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:0.0.0.0", true},
		{"::ffff:0:127.0.0.1", true}, // RFC 2765 IPv4-translated
		{"::127.0.0.1", true},        // IPv4-compatible
		{"64:ff9b::a00:1", true},     // NAT64 of 10.0.0.1
		{"64:ff9b::7f00:1", true},    // NAT64 of 127.0.0.1
		{"2002:c0a8:101::1", true},   // 6to4 of 192.168.1.1
		{"8.8.8.8", false},
		{"100.63.255.255", false},
		{"100.128.0.0", false},
		{"172.32.0.1", false},
		{"::ffff:8.8.8.8", false},
		{"2001:db8::1", true}, // documentation (RFC 3849): no public server
		{"2a00:1450:4001::200e", false},
	}
	strict, open := Guard{}, Guard{AllowPrivate: true}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.ip)
			if got := strict.Blocked(ip); got != tt.local {
				t.Errorf("Guard{}.Blocked(%s) = %v, want %v", tt.ip, got, tt.local)
			}
			if open.Blocked(ip) {
				t.Errorf("Guard{AllowPrivate: true}.Blocked(%s) = true, want allowed", tt.ip)
			}
		})
	}
	// Metadata stays refused with AllowPrivate, and by the zero Guard as
	// a metadata address, not as a private one.
	for _, s := range []string{"169.254.169.254", "fd00:ec2::254", "100.100.100.200"} {
		if !open.Blocked(netip.MustParseAddr(s)) {
			t.Errorf("Guard{AllowPrivate: true} lets %s through", s)
		}
		var be *BlockedError
		if err := strict.CheckHost(s); !errors.As(err, &be) || be.Private {
			t.Errorf("Guard{}.CheckHost(%s) = %v, want a metadata refusal", s, err)
		}
	}
}

// TestGuardCheckHost: the hosts a member could save as a webhook, in
// the spellings people and resolvers use, are refused as private before
// any lookup, and only by the zero Guard.
func TestGuardCheckHost(t *testing.T) {
	for host, private := range map[string]bool{
		"127.0.0.1": true, "[::1]": true, "::1": true, "[::ffff:127.0.0.1]": true, "[::ffff:7f00:1]": true,
		"0.0.0.0": true, "[::]": true, "0": true, "10.0.0.7": true, "192.168.0.1": true, "172.20.1.1": true,
		"100.64.0.1": true, "[fd00::1]": true, "2130706433": true, "0x7f000001": true, "0177.0.0.1": true, "127.1": true,
		"localhost": true, "LOCALHOST.": true, "chat.localhost": true, "[64:ff9b::a00:1]": true,
		"hooks.slack.com": false, "8.8.8.8": false, "[2001:db8::1]": true, "localhost.example.com": false,
		"mylocalhost": false, "chat.intranet.example": false,
	} {
		err := Guard{}.CheckHost(host)
		var be *BlockedError
		if got := errors.As(err, &be) && be.Private; got != private {
			t.Errorf("Guard{}.CheckHost(%q) = %v, want private refusal %v", host, err, private)
		}
		if err := (Guard{AllowPrivate: true}).CheckHost(host); err != nil {
			t.Errorf("Guard{AllowPrivate: true}.CheckHost(%q) = %v, want allowed", host, err)
		}
		if err := CheckHost(host); err != nil {
			t.Errorf("CheckHost(%q) = %v: the package's guard allows local servers", host, err)
		}
	}
}

// TestGuardDialRefusesLocal: the zero Guard's client refuses, when it
// dials, a live server on 127.0.0.1 reached by any spelling, including a
// name that resolves to it (localhost), which no check of the URL sees;
// with AllowPrivate the same requests get through.
func TestGuardDialRefusesLocal(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		io.WriteString(w, "answered")
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	urls := []string{
		"http://localhost:" + port + "/",
		"http://127.0.0.1:" + port + "/",
		"http://[::ffff:127.0.0.1]:" + port + "/",
		"http://0.0.0.0:" + port + "/",
	}
	strict := Guard{}.newClient(3*time.Second, proxyAllBut("http://127.0.0.1:9", "localhost", "127.0.0.1", "::ffff:127.0.0.1", "0.0.0.0"), (&fakeDNS{}).lookup)
	for _, u := range urls {
		resp, err := strict.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: went through (%s)", u, resp.Status)
			continue
		}
		var be *BlockedError
		if !errors.As(err, &be) || !be.Private {
			t.Errorf("%s: err = %v, want a private address refused", u, err)
		}
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("the server on 127.0.0.1 was reached %d times", n)
	}
	// The shipped client, with the environment's proxy (none here: loopback
	// never goes through one), refuses localhost too.
	if resp, err := (Guard{}).NewClient(3 * time.Second).Get(urls[0]); err == nil {
		resp.Body.Close()
		t.Errorf("Guard{}.NewClient reached %s", urls[0])
	}
	open := Guard{AllowPrivate: true}.NewClient(3 * time.Second)
	for _, u := range urls[:3] {
		resp, err := open.Get(u)
		if err != nil {
			t.Errorf("AllowPrivate: %s: %v", u, err)
			continue
		}
		resp.Body.Close()
	}
}

// TestGuardProxyOnPrivateAddress: the zero Guard's client still uses the
// operator's proxy on 127.0.0.1 for a public target, and never asks it for
// a private one, written as an address or as a name that resolves to one.
func TestGuardProxyOnPrivateAddress(t *testing.T) {
	proxy := newFakeProxy(t, "127.0.0.1:9")
	dns := &fakeDNS{table: map[string][]string{
		"hooks.example":    {"93.184.215.14"},
		"intranet.example": {"93.184.215.14", "10.0.0.7"},
	}}
	client := Guard{}.newClient(3*time.Second, proxyAllBut(proxy.URL), dns.lookup)
	resp, err := client.Get("http://hooks.example/hook")
	if err != nil {
		t.Fatalf("a public target through a proxy on 127.0.0.1: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "from the proxy" {
		t.Errorf("answered %q, want the proxy's answer", body)
	}
	for _, u := range []string{"http://10.0.0.7/hook", "http://[::ffff:192.168.1.1]/", "http://100.64.1.1/", "http://intranet.example/", "http://localhost/"} {
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: went through the proxy", u)
			continue
		}
		var be *BlockedError
		if !errors.As(err, &be) || !be.Private {
			t.Errorf("%s: err = %v, want a private address refused", u, err)
		}
	}
	if got := proxy.requests(); strings.Join(got, ",") != "GET http://hooks.example/hook" {
		t.Errorf("the proxy was asked for %q, want only the public target", got)
	}
}
