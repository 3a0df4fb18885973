package app

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDroppedChunkedRequestLeavesNoLine: a client that sends a chunked
// request's headers to /e and hangs up before its body leaves nothing
// that another connection's refusal could be answered with. Before, its
// line stayed kept under the pooled request it had used, and the next
// connection on that request whose headers were malformed was answered
// as POST /e (JSON, CORS, X-Copylab) instead of as a page.
func TestDroppedChunkedRequestLeavesNoLine(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(listenLoopback(t, e), "http://")
	for i := range 8 {
		hangUpInChunkedBody(t, addr)
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET /experiments HTTP/1.1\r\nHost: copylab.test\r\nBad Header\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		c.Close()
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || resp.Header.Get("X-Copylab") != "" {
			t.Fatalf("round %d: a malformed page request was answered as events: %s, X-Copylab %q\n%.200s",
				i, ct, resp.Header.Get("X-Copylab"), body)
		}
	}
}

// hangUpInChunkedBody sends the headers of a chunked POST /e to addr and
// hangs up before its body, leaving the server whatever it kept of the
// request line.
func hangUpInChunkedBody(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
	time.Sleep(20 * time.Millisecond) // the server has read the headers
	c.Close()
	time.Sleep(20 * time.Millisecond) // and seen the end of the connection
}
