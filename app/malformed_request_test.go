package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestBrokenChunkedBodyAnswersInOurWords: a chunked body that breaks the
// coding is refused 400 in the path's format, with copylab's own
// sentence. Before, the message was fasthttp's text ("cannot find crlf
// at the end of chunk"), in the JSON and in X-Copylab.
func TestBrokenChunkedBodyAnswersInOurWords(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(listenLoopback(t, e), "http://")
	for _, target := range []string{"/e", "/api/v1/sites"} {
		head := "POST " + target + " HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: application/json\r\n" +
			"Transfer-Encoding: chunked\r\n\r\n"
		resp, body := sendBig(t, addr, head, "5\r\n{\"a\":XX\r\n0\r\n\r\n")
		wantStatus(t, resp, http.StatusBadRequest, body)
		var doc struct {
			Error apiErrorBody `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%s: not JSON (%v): %.300s", target, err, body)
		}
		want := "The request could not be read: its start line, headers or body are malformed."
		if doc.Error.Code != "bad_request" || doc.Error.Message != want {
			t.Errorf("%s: error %+v, want bad_request: %s", target, doc.Error, want)
		}
		if x := resp.Header.Get("X-Copylab"); target == "/e" && x != "rejected: bad_request: "+want {
			t.Errorf("%s: X-Copylab %q", target, x)
		}
	}
}

// TestMetricsCountEventsWithASlash: POST /e/ is the events route, and
// /metrics counts it with the events, not with the pages.
func TestMetricsCountEventsWithASlash(t *testing.T) {
	e := newEnv(t)
	resp := e.do(newRequest(http.MethodPost, "/e/", strings.NewReader(`{"site":"nosuchsite000000","visitor":"v","events":[]}`)))
	readBody(t, resp)
	if body := scrapeMetrics(t, e); !strings.Contains(body, `copylab_http_requests_total{group="events",status="400"} 1`) {
		t.Errorf("POST /e/ not counted with the events:\n%s", grepLines(body, "copylab_http_requests_total"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
