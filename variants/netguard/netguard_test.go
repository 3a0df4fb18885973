package netguard

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

// TestDialerRefusesBlockedAddresses checks the guard that runs after DNS:
// the requests below would reach a metadata service if the dialer let
// them through. The refusal happens before connect, so it is immediate.
func TestDialerRefusesBlockedAddresses(t *testing.T) {
	client := NewClient(3 * time.Second)
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://[fe80::1]/",
		"http://[fd00:ec2::254]/",
		"http://[fd20:ce::254]/",
		"http://[fd00:c1::a9fe:a9fe]/",
		"http://[::ffff:169.254.169.254]/",
		"http://[64:ff9b::a9fe:a9fe]/",
		"http://[64:ff9b::169.254.169.254]/",
		"http://[2002:a9fe:a9fe::1]/",
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
			if took := time.Since(start); took > 3*time.Second { // a dial would wait far longer; load adds some
				t.Errorf("took %v; the guard should refuse before connecting", took)
			}
		})
	}
}

// TestBlocked covers link-local and metadata addresses, and the IPv6
// forms that carry one inside (NAT64, 6to4, Teredo, IPv4-compatible and
// IPv4-mapped), next to the local addresses that must stay allowed.
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
		{"fd20:ce::254", true},
		{"fd00:c1::a9fe:a9fe", true},
		{"fd20:ce::255", false},
		{"::ffff:0:169.254.169.254", true}, // RFC 2765 IPv4-translated
		{"::ffff:0:8.8.8.8", false},
		{"::ffff:169.254.169.254", true},
		{"100.100.100.200", true},
		{"168.63.129.16", true}, // Azure's WireServer
		{"168.63.129.17", false},
		{"0.0.0.0", false},
		{"::", false},
		{"224.0.0.1", true},

		// NAT64, well-known prefix (RFC 6052).
		{"64:ff9b::a9fe:a9fe", true},
		{"64:ff9b::169.254.169.254", true},
		{"64:ff9b::6464:64c8", true}, // 100.100.100.200
		{"64:ff9b::a83f:8110", true}, // 168.63.129.16
		{"64:ff9b::808:808", false},  // 8.8.8.8
		{"64:ff9b::7f00:1", false},   // 127.0.0.1
		// NAT64, local-use prefix (RFC 8215), at each RFC 6052 length.
		{"64:ff9b:1::a9fe:a9fe", true},       // /96
		{"64:ff9b:1:0:a9:fea9:fe00:0", true}, // /64
		{"64:ff9b:1:a9:fe:a9fe::", true},     // /56
		{"64:ff9b:1:a9fe:a9:fe00::", true},   // /48
		{"64:ff9b:1::a00:1", false},          // 10.0.0.1 at /96
		// IPv4-compatible (RFC 4291) and mapped.
		{"::a9fe:a9fe", true},
		{"::169.254.169.254", true},
		{"::ffff:a9fe:a9fe", true},
		{"::ffff:7f00:1", false},
		// 6to4 (RFC 3056) and Teredo (RFC 4380, client bits flipped).
		{"2002:a9fe:a9fe::1", true},
		{"2002:c000:204::1", false},
		{"2001:0:a9fe:a9fe::1", true},
		{"2001:0:4136:e378:8000:63bf:5601:5601", true}, // client 169.254.169.254
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
		// Ordinary global IPv6 stays allowed.
		{"2001:db8::1", false},
		{"2a00:1450:4001::200e", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			if got := Blocked(netip.MustParseAddr(tt.ip)); got != tt.want {
				t.Errorf("Blocked(%s) = %v, want %v", tt.ip, got, tt.want)
			}
		})
	}
}

// TestCheckHost: names and literals refused when a URL is saved,
// including the numeric forms a C resolver reads as 169.254.169.254. A
// name that resolves there (169.254.169.254.nip.io) is left to the dialer.
func TestCheckHost(t *testing.T) {
	for host, blocked := range map[string]bool{
		"169.254.169.254": true, "[fe80::1]": true, "fe80::1": true, "METADATA.google.internal.": true, "100.100.100.200": true,
		"[64:ff9b::a9fe:a9fe]": true, "[::ffff:a9fe:a9fe]": true,
		"2852039166": true, "0xa9fea9fe": true, "0XA9FEA9FE": true, "0251.0376.0251.0376": true, "169.254.43518": true,
		"169.16689662": true, "0xa9.0xfe.0xa9.0xfe": true, "2852039166.": true,
		"127.0.0.1": false, "localhost": false, "hooks.slack.com": false, "10.0.0.7": false, "[::1]": false,
		"2130706433": false, "0x7f000001": false, "4294967296": false, "1.2.3.4.5": false, "0x": false, "08": false,
		"1234.example.com": false, "169.254.169.254.nip.io": false,
	} {
		err := CheckHost(host)
		var be *BlockedError
		if got := errors.As(err, &be); got != blocked {
			t.Errorf("CheckHost(%q) = %v, want blocked %v", host, err, blocked)
		}
	}
}
