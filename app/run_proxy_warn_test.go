package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunWarnsOfUntrustedLocalProxy: a server on a loopback address whose
// public URL names another host sits behind a proxy on the same host;
// with no trusted proxies every visitor looks like loopback, and the start
// says so, naming the setting that fixes it.
func TestRunWarnsOfUntrustedLocalProxy(t *testing.T) {
	const warning = "a reverse proxy on this host makes every visitor look like loopback"
	tests := []struct {
		name      string
		publicURL string
		proxies   []string
		warn      bool
	}{
		{"behind a proxy, none trusted", "https://copylab.example.com", nil, true},
		{"behind a trusted proxy", "https://copylab.example.com", []string{"127.0.0.1"}, false},
		{"the default public URL", "", nil, false},
		{"a loopback public URL (an SSH tunnel)", "http://app.localhost:8080", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := startRun(t, ctx, Config{DBPath: filepath.Join(t.TempDir(), "copylab.db"), BcryptCost: 10,
				PublicURL: tt.publicURL, TrustedProxies: tt.proxies})
			cancel()
			select {
			case <-r.done:
			case <-time.After(20 * time.Second):
				t.Fatal("Run did not stop")
			}
			logs := r.logs.String()
			if got := strings.Contains(logs, warning); got != tt.warn {
				t.Errorf("warned %v, want %v:\n%s", got, tt.warn, logs)
			}
			if tt.warn && !strings.Contains(logs, "level=WARN") || tt.warn && !strings.Contains(logs, "--trusted-proxies (COPYLAB_TRUSTED_PROXIES)") {
				t.Errorf("the warning does not name --trusted-proxies at WARN:\n%s", logs)
			}
		})
	}
}
