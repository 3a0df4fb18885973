package variants

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"copylab/variants/netguard"
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

// TestGenerateBlockedAtDialTime simulates a host name that passed New but
// resolves to the metadata address when dialled.
func TestGenerateBlockedAtDialTime(t *testing.T) {
	g, err := New(Config{BaseURL: "http://127.0.0.1:9/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	oc := openai.DefaultConfig(testKey)
	oc.BaseURL = "http://169.254.169.254/v1"
	oc.HTTPClient = &guardedDoer{client: netguard.NewClient(time.Second)}
	g.client = openai.NewClientWithConfig(oc)

	_, err = g.Generate(context.Background(), testBrief)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBlockedAddress {
		t.Fatalf("err = %v, want %s", err, CodeBlockedAddress)
	}
}
