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

// TestEventsOverLimitRefusedBeforeContinue: a POST /e that declares a body
// over /e's 64 KiB and asks for 100 Continue is refused at once with /e's
// own 413 (JSON, the CORS header, the X-Copylab reason), and is never told
// to send the body. Before, the server sent 100 Continue and read up to
// the app's 1 MiB before /e looked at the length.
func TestEventsOverLimitRefusedBeforeContinue(t *testing.T) {
	e := newEnv(t)
	addr := h8Serve(t, e, 2*time.Second)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\n"+
		"Content-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 70000\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusRequestEntityTooLarge, body) // the first answer: no 100 Continue
	var doc struct {
		Error apiErrorBody `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not JSON (%v):\n%s", err, body)
	}
	if doc.Error != (apiErrorBody{Code: errEventsTooLarge.Code, Message: errEventsTooLarge.Message}) {
		t.Errorf("error %+v, want /e's own: %s", doc.Error, errEventsTooLarge.Message)
	}
	if got, want := resp.Header.Get("X-Copylab"), "rejected: too_large: "+errEventsTooLarge.Message; got != want {
		t.Errorf("X-Copylab %q, want %q", got, want)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want *", got)
	}
}

// TestEventsUnderLimitStillContinue: a POST /e within its limit that asks
// for 100 Continue still gets it, and its answer once the body is sent.
func TestEventsUnderLimitStillContinue(t *testing.T) {
	e := newEnv(t)
	addr := h8Serve(t, e, 2*time.Second)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	const body = `{"site":"nosuchsite000000","visitor":"v1","events":[]}`
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\n"+
		"Content-Length: "+itoa(len(body))+"\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusContinue {
		t.Fatalf("status %d, want 100 Continue first", resp.StatusCode)
	}
	io.WriteString(c, body)
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := readBody(t, resp)
	if resp.StatusCode < 400 || !strings.Contains(got, `"code"`) {
		t.Errorf("status %d, body %s: want the handler's JSON refusal", resp.StatusCode, got)
	}
}
