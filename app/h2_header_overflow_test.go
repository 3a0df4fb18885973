package app

import (
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"
)

// TestHeaderOverflowAnswersInThePathsFormat: a request whose headers
// overflow the server's read buffer is refused by the HTTP server before
// any route runs, yet its answer takes the format of the path it was
// sent to, like every other refusal: JSON with the code header_too_large
// and a sentence on the events endpoint (with the CORS header and the
// X-Copylab reason a site's code and network panel read) and on the API,
// a JavaScript comment on the tag, and the short error page elsewhere.
//
// The requests go over a real socket: Fiber's Test returns the server's
// error instead of the answer.
func TestHeaderOverflowAnswersInThePathsFormat(t *testing.T) {
	e := newEnv(t)
	send := rawSender(t, e)
	big := "Cookie: big=" + strings.Repeat("a", 17000) + "\r\n"
	const sentence = "The request's headers are over 16 KiB"

	for _, tt := range []struct {
		name, method, target string
		json                 bool
		cors                 bool
		xCopylab             string // its start
		contentType          string // its start
		body                 string // in the body
	}{
		{"events", "POST", "/e", true, true, "rejected: header_too_large: " + sentence, "application/json", sentence},
		{"events with a query", "POST", "/e?v=1", true, true, "rejected: header_too_large", "application/json", sentence},
		{"API", "GET", "/api/v1/experiments", true, false, "", "application/json", sentence},
		{"API, absolute form", "POST", "http://copylab.test/api/v1/sites", true, false, "", "application/json", sentence},
		{"tag", "GET", "/s/abc.js", false, true, "header_too_large", "text/javascript", "/* copylab: header_too_large */"},
		{"a page", "GET", "/experiments", false, false, "", "text/html", sentence},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, tt.method+" "+tt.target+" HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\n"+
				big+"Connection: close\r\n\r\n")
			wantStatus(t, resp, http.StatusRequestHeaderFieldsTooLarge, body)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
			if !strings.Contains(html.UnescapeString(body), tt.body) {
				t.Errorf("body lacks %q:\n%s", tt.body, body)
			}
			if tt.json {
				var doc struct {
					Error apiErrorBody `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &doc); err != nil {
					t.Fatalf("not JSON (%v):\n%s", err, body)
				}
				if doc.Error.Code != "header_too_large" || !strings.HasPrefix(doc.Error.Message, sentence) {
					t.Errorf("error %+v, want the code header_too_large and the sentence", doc.Error)
				}
			}
			if got := resp.Header.Get("X-Copylab"); !strings.HasPrefix(got, tt.xCopylab) || (tt.xCopylab == "") != (got == "") {
				t.Errorf("X-Copylab %q, want %q", got, tt.xCopylab)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); (got == "*") != tt.cors {
				t.Errorf("Access-Control-Allow-Origin %q (want one: %v)", got, tt.cors)
			}
		})
	}
}

// TestRequestLineOf: the request line is read back from the HTTP server's
// error, the only place it survives a header that overflowed the buffer;
// an error without it gives nothing.
func TestRequestLineOf(t *testing.T) {
	for _, tt := range []struct {
		name, err    string
		method, path string
	}{
		{"origin form", `error when reading request headers: small read buffer. Increase ReadBufferSize. Buffer size=16384, contents: "POST /e?x=1 HTTP/1.1\r\nHost: a\r\nCookie: aaa"..."aaaa"`, "POST", "/e?x=1"},
		{"one part", `error when reading request headers: small read buffer: buffer size=300, contents: "GET /api/v1/sites HTTP/1.1\r\nCo"`, "GET", "/api/v1/sites"},
		{"line cut short", `error when reading request headers: small read buffer: buffer size=16384, contents: "GET /api/v1/aaaaaa"..."aaa"`, "GET", "/api/v1/aaaaaa"},
		{"no contents", `error when reading request headers: small read buffer`, "", ""},
		{"not quoted", `error: contents: GET /e HTTP/1.1`, "", ""},
		{"no target", `x, contents: "GET"`, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			method, target := requestLineOf(tt.err)
			if method != tt.method || target != tt.path {
				t.Errorf("requestLineOf = %q %q, want %q %q", method, target, tt.method, tt.path)
			}
		})
	}
}
