package main

import (
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// serveOnFreePort finds a free loopback address, has start run serve on
// it (start returns the channel run's result comes on, and what serve
// logged so far, for failures), and returns the address and that channel
// once /healthz answers 200.
//
// The port is found by listening on :0 and closing, so another process
// (the app package's tests run beside these) may take it before serve
// listens; serve then returns an error wrapping EADDRINUSE at once, and
// another port is tried, as startServer does for the built binary. Any
// other early return, or no answer within 20 s, fails t.
func serveOnFreePort(t *testing.T, start func(addr string) (done <-chan error, logs func() string)) (string, <-chan error) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		done, logs := start(addr)
		if up(t, addr, done, logs, attempt < 5) {
			return addr, done
		}
	}
}

// up polls addr's /healthz until it answers 200 (true), or serve returns
// an error wrapping EADDRINUSE while retry is allowed (false).
func up(t *testing.T, addr string, done <-chan error, logs func() string, retry bool) bool {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-done:
			if retry && errors.Is(err, syscall.EADDRINUSE) {
				return false
			}
			t.Fatalf("serve stopped at start: %v\n%s", err, logs())
		default:
		}
		// Bounded: something else on the port may take the connection
		// and never answer.
		if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not come up on %s\n%s", addr, logs())
		}
	}
}
