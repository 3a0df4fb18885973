package app

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// h8Serve serves e's app on 127.0.0.1 with a short ReadTimeout, so that
// the server's own 408s come in a fraction of a second, and returns its
// address.
func h8Serve(t *testing.T, e *env, readTimeout time.Duration) string {
	t.Helper()
	e.app.Fiber().Server().ReadTimeout = readTimeout
	return strings.TrimPrefix(listenLoopback(t, e), "http://")
}

// h8Send writes each part of a raw request on a new connection, waiting
// pause between them, and reads the final answer (after any 100 Continue).
func h8Send(t *testing.T, addr string, pause time.Duration, parts ...string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	for i, p := range parts {
		if i > 0 {
			time.Sleep(pause)
		}
		if _, err := io.WriteString(conn, p); err != nil {
			break // the server answered and closed early
		}
	}
	br := bufio.NewReader(conn)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode == http.StatusContinue {
			continue
		}
		return resp, readBody(t, resp)
	}
}

// TestServerRefusalsAnswerInThePathsFormat: every request the HTTP server
// refuses before any handler runs (headers it cannot parse, a chunked body
// it cannot read, a body that stalls) is answered in the format of the path
// its request line named: on POST /e, JSON with a code, the CORS header a
// site's script needs to read the status, and the X-Copylab reason. Before,
// these got fasthttp's HTML error page, as if sent to "/".
func TestServerRefusalsAnswerInThePathsFormat(t *testing.T) {
	e := newEnv(t)
	addr := h8Serve(t, e, 400*time.Millisecond)
	const head = "POST /e HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\nContent-Type: text/plain\r\n"
	for _, tt := range []struct {
		name   string
		parts  []string
		status int
		code   string
	}{
		{"negative length", []string{head + "Content-Length: -1\r\n\r\n{}"}, 400, "bad_request"},
		{"overflowing length", []string{head + "Content-Length: 99999999999999999999999\r\n\r\n{}"}, 400, "bad_request"},
		{"two lengths", []string{head + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"}, 400, "bad_request"},
		{"no host", []string{"POST /e HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}"}, 400, "bad_request"},
		{"two hosts", []string{head + "Host: other.test\r\nContent-Length: 2\r\n\r\n{}"}, 400, "bad_request"},
		{"gzip, chunked", []string{head + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"}, 400, "bad_request"},
		{"chunk size not hex", []string{head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"}, 400, "bad_request"},
		{"body shorter than its length", []string{head + "Content-Length: 100\r\n\r\n{}"}, 408, "timeout"},
		{"body in a slow trickle", []string{head + "Content-Length: 10\r\n\r\n", "{", "\"", "a", "\"", ":"}, 408, "timeout"},
		{"100-continue, no body", []string{head + "Expect: 100-continue\r\nContent-Length: 20\r\n\r\n"}, 408, "timeout"},
		{"headers that never end", []string{head + "Content-Length: 2\r\n"}, 408, "timeout"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h8Send(t, addr, 150*time.Millisecond, tt.parts...)
			wantStatus(t, resp, tt.status, body)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q, want JSON:\n%.300s", ct, body)
			}
			var doc struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("not JSON (%v):\n%s", err, body)
			}
			if doc.Error.Code != tt.code || doc.Error.Message == "" {
				t.Errorf("error %+v, want the code %s and a sentence", doc.Error, tt.code)
			}
			if got := resp.Header.Get("X-Copylab"); !strings.HasPrefix(got, "rejected: "+tt.code+": ") {
				t.Errorf("X-Copylab %q, want the reason %s", got, tt.code)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			}
		})
	}
}

// TestServerRefusalsOfOtherPaths: the same refusals take the API's JSON
// on /api/, the tag's JavaScript comment on /s/, and the error page on the
// app's pages and when no request line could be read.
func TestServerRefusalsOfOtherPaths(t *testing.T) {
	e := newEnv(t)
	addr := h8Serve(t, e, 400*time.Millisecond)
	for _, tt := range []struct {
		name        string
		raw         string
		status      int
		contentType string
		cors        bool
		xCopylab    string
	}{
		{"API, two lengths", "POST /api/v1/sites HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
			400, "application/json", false, ""},
		{"API, stalled body", "POST /api/v1/sites HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: 30\r\n\r\n{}",
			408, "application/json", false, ""},
		{"tag, negative length", "GET /s/abc.js HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: -1\r\n\r\n",
			400, "text/javascript", true, "bad_request"},
		{"page, stalled body", "POST /experiments HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: 30\r\n\r\nname=",
			408, "text/html", false, ""},
		{"no complete request line", "POST /e", 408, "text/html", false, ""},
		{"not a request line", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "text/html", false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h8Send(t, addr, 0, tt.raw)
			wantStatus(t, resp, tt.status, body)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s:\n%.300s", ct, tt.contentType, body)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); (got == "*") != tt.cors {
				t.Errorf("Access-Control-Allow-Origin %q (want one: %v)", got, tt.cors)
			}
			if got := resp.Header.Get("X-Copylab"); got != tt.xCopylab {
				t.Errorf("X-Copylab %q, want %q", got, tt.xCopylab)
			}
		})
	}
}
