package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// TestMetricsAllowNone: --metrics-allow none, and its twin
// COPYLAB_METRICS_ALLOW=none, let no address read /metrics, loopback
// included (an empty variable cannot say so: it counts as unset, as for
// every twin, and keeps the default).
func TestMetricsAllowNone(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want int
	}{
		{"default", nil, nil, http.StatusOK},
		{"empty twin is unset", map[string]string{"COPYLAB_METRICS_ALLOW": ""}, nil, http.StatusOK},
		{"twin none", map[string]string{"COPYLAB_METRICS_ALLOW": "none"}, nil, http.StatusNotFound},
		{"flag none", nil, []string{"--metrics-allow", "None"}, http.StatusNotFound},
		{"flag empty", nil, []string{"--metrics-allow="}, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := metricsStatus(t, tt.env, tt.args...); got != tt.want {
				t.Errorf("GET /metrics from loopback: %d, want %d", got, tt.want)
			}
		})
	}
}

// metricsStatus runs serve on a free loopback port with env and extra
// flags, and answers the status of GET /metrics from loopback.
func metricsStatus(t *testing.T, kv map[string]string, extra ...string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db := filepath.Join(t.TempDir(), "copylab.db")
	addr, done := serveOnFreePort(t, func(addr string) (<-chan error, func() string) {
		done := make(chan error, 1)
		args := append([]string{"serve", "--addr", addr, "--db", db}, extra...)
		go func() { done <- run(ctx, args, nil, io.Discard, io.Discard, env(kv)) }()
		return done, func() string { return "" }
	})
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not stop")
		}
	}()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
