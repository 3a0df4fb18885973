package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

func TestRun(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "copylab.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startRun(t, ctx, Config{DBPath: dbPath, BcryptCost: 10})
	addr, logs, done := r.addr, r.logs, r.done
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	if !strings.Contains(logs.String(), "http://"+addr+"/setup?token=") {
		t.Errorf("no setup link in the log:\n%s", logs.String())
	}

	// A second server on the same database refuses to start, and says why
	// (were it to start, it would stop serving after a while, and fail here).
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	second := Run(ctx2, Config{Addr: "127.0.0.1:0", DBPath: dbPath, BcryptCost: 10,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var inUse *experiments.InUseError
	if !errors.As(second, &inUse) || !strings.Contains(second.Error(), dbPath+" is in use by copylab serve") {
		t.Errorf("a second Run on the same database: %v, want an InUseError", second)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	err := Run(context.Background(), Config{Addr: "nope"})
	if err == nil || !strings.Contains(err.Error(), "addr") || !strings.Contains(err.Error(), "db") {
		t.Errorf("Run: %v", err)
	}
}
