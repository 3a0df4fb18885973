package app

import (
	"bufio"
	"net"
	"net/http"
	"testing"
	"time"
)

// rawSender serves e's app on a real socket and returns a function that
// sends one raw HTTP/1.1 request on a new connection and reads the answer.
// Answers the HTTP server gives before any middleware runs (a body over
// the limit, headers over the read buffer, a request it cannot parse) need
// it: Fiber's Test returns the server's error instead of the answer a
// browser gets.
func rawSender(t *testing.T, e *env) func(t *testing.T, raw string) (*http.Response, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Fiber().Listener(ln)
	t.Cleanup(func() { ln.Close() })
	return func(t *testing.T, raw string) (*http.Response, string) {
		t.Helper()
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Write([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}
}
