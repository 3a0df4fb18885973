package variants

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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

// doerFunc is an HTTP client that answers with a function.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// TestGenerateUncheckedBehindProxy: behind a proxy, a base URL whose name
// copylab cannot judge (one outside ASCII) is never sent, and the marketer
// is told how to write it, not that the server is down.
func TestGenerateUncheckedBehindProxy(t *testing.T) {
	g, err := New(Config{BaseURL: "https://llm.cörp.example/v1", APIKey: testKey, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	oc := openai.DefaultConfig(testKey)
	oc.BaseURL = g.baseURL
	oc.HTTPClient = doerFunc(func(r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: &netguard.UncheckedError{Host: "llm.cörp.example",
			Err: errors.New("a name outside ASCII cannot be checked before a proxy; use its xn-- form")}}
	})
	g.client = openai.NewClientWithConfig(oc)

	_, err = g.Generate(context.Background(), testBrief)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeUnreachable || e.Status != http.StatusBadGateway {
		t.Fatalf("err = %v, want %s", err, CodeUnreachable)
	}
	const want = "copylab cannot check llm.cörp.example before sending a request through the proxy; write the base URL's name in its xn-- form."
	if e.Message != want {
		t.Errorf("message %q\nwant     %q", e.Message, want)
	}
}
