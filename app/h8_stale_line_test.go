package app

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSilentConnectionGetsNoOtherLine: a request line the server kept for
// a body that never came (the client hung up at a chunk boundary, and no
// handler or refusal took it) is never used for the next connection on
// the same pooled request. Such a connection that sends nothing at all is
// refused 408 as a page, not as POST /e: the server's 408 for a silent
// connection and for a stalled body are the same error, and only the
// connection having sent something tells them apart.
func TestSilentConnectionGetsNoOtherLine(t *testing.T) {
	e := newEnv(t)
	addr := h8Serve(t, e, 300*time.Millisecond)
	for i := range 4 {
		hangUpInChunkedBody(t, addr)
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil) // it sends nothing
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		c.Close()
		if resp.StatusCode != http.StatusRequestTimeout {
			t.Fatalf("round %d: status %d, want 408", i, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || resp.Header.Get("X-Copylab") != "" {
			t.Fatalf("round %d: a silent connection was answered as events: %s, X-Copylab %q\n%.200s",
				i, ct, resp.Header.Get("X-Copylab"), body)
		}
	}
}
