package variants

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func TestNewRefusesMetadataAddresses(t *testing.T) {
	for _, base := range []string{
		"http://169.254.169.254/v1",
		"http://169.254.169.254:80/latest",
		"http://[fe80::1]/v1",
		"http://[fd00:ec2::254]/v1",
		"http://[::ffff:169.254.169.254]/v1",
		"http://metadata.google.internal/v1",
		"http://METADATA.google.internal./v1",
		"http://100.100.100.200/v1",
	} {
		t.Run(base, func(t *testing.T) {
			g, err := New(Config{BaseURL: base, APIKey: testKey})
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeBlockedAddress || e.Status != http.StatusBadRequest || g != nil {
				t.Fatalf("New = %v, %v; want %s", g, err, CodeBlockedAddress)
			}
		})
	}
}

// TestDialerRefusesBlockedAddresses checks the guard that runs after DNS:
// the requests below would reach a metadata service if the dialer let
// them through. The refusal happens before connect, so it is immediate.
func TestDialerRefusesBlockedAddresses(t *testing.T) {
	client := newHTTPClient(3 * time.Second)
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
			var be *blockedError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a blocked address", err)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v; the guard should refuse before connecting", took)
			}
		})
	}
}

// TestGenerateBlockedAtDialTime simulates a host name that passed New but
// resolves to the metadata address when dialled.
func TestGenerateBlockedAtDialTime(t *testing.T) {
	g, err := New(Config{BaseURL: "http://127.0.0.1:9/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	oc := openai.DefaultConfig(testKey)
	oc.BaseURL = "http://169.254.169.254/v1"
	oc.HTTPClient = &guardedDoer{client: newHTTPClient(time.Second)}
	g.client = openai.NewClientWithConfig(oc)

	_, err = g.Generate(context.Background(), testBrief)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBlockedAddress {
		t.Fatalf("err = %v, want %s", err, CodeBlockedAddress)
	}
}

func TestIPBlocked(t *testing.T) {
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
		if got := ipBlocked(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("ipBlocked(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}
