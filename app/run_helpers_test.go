package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"copylab/app/syncbuf"
)

// running is a Run started by startRun: its address, its log and what it
// returned, once it has.
type running struct {
	addr string
	logs *syncbuf.Buffer
	done <-chan error
}

// startRun runs copylab with cfg (its Addr and Logger set here) on a free
// port of 127.0.0.1 until ctx ends, and returns once /healthz answers.
// The port is found by listening on :0 and closing, so another process
// may take it before Run listens; Run then returns "address already in
// use", and startRun tries another port. Any other early return, or no
// answer within 30 s (under -race, beside browser tests on two busy
// cores, opening and migrating the database can take seconds), fails t.
func startRun(t *testing.T, ctx context.Context, cfg Config) running {
	t.Helper()
	for attempt := 1; ; attempt++ {
		r, err := tryRun(ctx, cfg)
		if errors.Is(err, syscall.EADDRINUSE) && attempt < 5 {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// tryRun is one attempt of startRun.
func tryRun(ctx context.Context, cfg Config) (running, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return running{}, err
	}
	r := running{addr: ln.Addr().String(), logs: &syncbuf.Buffer{}}
	ln.Close()
	cfg.Addr, cfg.Logger = r.addr, slog.New(slog.NewTextHandler(r.logs, nil))
	done := make(chan error, 1)
	r.done = done
	go func() { done <- Run(ctx, cfg) }()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return r, nil
		}
		select {
		case rerr := <-done:
			return running{}, fmt.Errorf("Run returned before answering: %w\n%s", rerr, r.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			return running{}, fmt.Errorf("the server never answered: %v\n%s", err, r.logs.String())
		}
	}
}
