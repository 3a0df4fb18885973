package app

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// TestHeaderOverflowSaysWhy: a request whose headers overflow the server's
// 16 KiB read buffer (a site's cookies can grow that large) is answered
// 431 with a sentence a person can act on, and the code header_too_large,
// rather than the status line's words ("Request Header Fields Too
// Large"), which Fiber passes on as the message.
//
// The request goes over a real socket: Fiber's Test returns the server's
// error instead of the answer.
func TestHeaderOverflowSaysWhy(t *testing.T) {
	e := newEnv(t)
	send := rawSender(t, e)
	raw := "GET /login HTTP/1.1\r\nHost: copylab.test\r\nCookie: big=" + strings.Repeat("a", 17000) + "\r\nConnection: close\r\n\r\n"
	resp, body := send(t, raw)
	body = html.UnescapeString(body)
	wantStatus(t, resp, http.StatusRequestHeaderFieldsTooLarge, body)
	wantContains(t, body, "<h1>Too large</h1>", "The request's headers are over 16 KiB, usually because of large cookies. Clear this site's cookies")
	wantNotContains(t, body, "<p>Request Header Fields Too Large</p>")
}
