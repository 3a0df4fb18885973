package app

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// answerShape is what a client can see of an answer, the request id left
// out: it differs between any two requests.
func answerShape(t *testing.T, resp *http.Response) map[string]string {
	t.Helper()
	shape := map[string]string{"status": strconv.Itoa(resp.StatusCode), "body": readBody(t, resp)}
	for _, h := range []string{"Content-Type", "X-Copylab", "Cache-Control", "Access-Control-Allow-Origin",
		"Access-Control-Expose-Headers", "Cross-Origin-Resource-Policy", "Cross-Origin-Opener-Policy",
		"X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Allow"} {
		shape[h] = resp.Header.Get(h)
	}
	return shape
}

// TestTrailingSlashAnswersLikeItsRoute: the router takes /e/ for /e (and
// /s/KEY.json/ for /s/KEY.json, an API path with a trailing slash for the
// path without), so its refusals must be those of the route it reached:
// JSON with the X-Copylab reason and the CORS headers on /e, which a
// site's code reads, rather than an error page it cannot.
func TestTrailingSlashAnswersLikeItsRoute(t *testing.T) {
	e := newEnv(t)
	site := e.site("Marketing")
	token := e.token("owner@example.com")
	const unknownKey = "aaaaaaaaaaaaaaaa"

	for _, tt := range []struct {
		name, method, path string
		contentType, body  string
		token              bool
		wantStatus         int
	}{
		{"events, a malformed site", "POST", "/e", "text/plain", `{"site":"nosuch","visitor":"v","events":[]}`, false, 400},
		{"events, an unknown site", "POST", "/e", "text/plain", eventBody(unknownKey, "v", "01900000-0000-7000-8000-000000000000", "b", false), false, 404},
		{"events, another type", "POST", "/e", "application/xml", `<e/>`, false, 415},
		{"events, GET", "GET", "/e", "", "", false, 405},
		{"events, preflight", "OPTIONS", "/e", "", "", false, 204},
		{"tag, unknown site", "GET", "/s/" + unknownKey + ".js", "", "", false, 404},
		{"tag config, unknown site", "GET", "/s/" + unknownKey + ".json", "", "", false, 404},
		{"tag config", "GET", "/s/" + site.Key + ".json", "", "", false, 200},
		{"API, no token", "GET", "/api/v1/experiments", "", "", false, 401},
		{"API, another type", "POST", "/api/v1/sites", "application/xml", `<s/>`, true, 415},
		{"API, unknown id", "GET", "/api/v1/experiments/01900000-0000-7000-8000-000000000000", "", "", true, 404},
		{"API, its root", "GET", "/api/v1", "", "", true, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			send := func(path string) map[string]string {
				t.Helper()
				var body io.Reader
				if tt.body != "" {
					body = strings.NewReader(tt.body)
				}
				req := newRequest(tt.method, path, body)
				if tt.contentType != "" {
					req.Header.Set("Content-Type", tt.contentType)
				}
				req.Header.Set("Origin", "https://shop.example")
				if tt.token {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				return answerShape(t, e.do(req))
			}
			want := send(tt.path)
			if want["status"] != strconv.Itoa(tt.wantStatus) {
				t.Fatalf("%s %s: %s, want %d (%s)", tt.method, tt.path, want["status"], tt.wantStatus, want["body"])
			}
			for _, slashed := range []string{tt.path + "/", tt.path + "//"} {
				got := send(slashed)
				for k, w := range want {
					if g := got[k]; g != w {
						t.Errorf("%s %s: %s %q, but %q on %s", tt.method, slashed, k, g, w, tt.path)
					}
				}
			}
		})
	}
}

// sendBig sends head and then body over a real socket, as a client that
// streams a body would, and reads the answer while it is still writing:
// the server answers and closes once the body is over its limit.
func sendBig(t *testing.T, addr, head, body string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		// An error here is the server closing after its answer.
		io.WriteString(conn, head)
		io.WriteString(conn, body)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

// chunked is body in the chunked transfer coding, in 32 KiB chunks.
func chunked(body string) string {
	var b strings.Builder
	for len(body) > 0 {
		n := min(len(body), 32<<10)
		b.WriteString(strconv.FormatInt(int64(n), 16) + "\r\n" + body[:n] + "\r\n")
		body = body[n:]
	}
	return b.String() + "0\r\n\r\n"
}

// TestChunkedBodyOverLimitAnswersLikeContentLength: a body over the app's
// 1 MiB limit is refused by the HTTP server before any route runs, and
// one sent in chunks, whose size the server learns only by reading it,
// is answered as one with a Content-Length: in its path's format, with
// the CORS headers and X-Copylab reason on /e, JSON on the API.
func TestChunkedBodyOverLimitAnswersLikeContentLength(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(listenLoopback(t, e), "http://")
	big := `{"site":"` + strings.Repeat("x", 2<<20) + `"}`

	for _, tt := range []struct {
		name, method, target string
		json, cors           bool
		xCopylab             string // its start
	}{
		{"events", "POST", "/e", true, true, "rejected: too_large: "},
		{"events with a slash", "POST", "/e/", true, true, "rejected: too_large: "},
		{"events with a query", "POST", "/e?v=1", true, true, "rejected: too_large: "},
		{"API", "POST", "/api/v1/sites", true, false, ""},
		{"API, absolute form", "POST", "http://copylab.test/api/v1/sites", true, false, ""},
		{"a page", "POST", "/login", false, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.method + " " + tt.target + " HTTP/1.1\r\nHost: copylab.test\r\nOrigin: https://shop.example\r\n" +
				"Content-Type: application/json\r\n"
			want := map[string]string{}
			for _, how := range []string{"Content-Length", "chunked"} {
				var resp *http.Response
				var body string
				if how == "chunked" {
					resp, body = sendBig(t, addr, start+"Transfer-Encoding: chunked\r\n\r\n", chunked(big))
				} else {
					resp, body = sendBig(t, addr, start+"Content-Length: "+strconv.Itoa(len(big))+"\r\n\r\n", big)
				}
				wantStatus(t, resp, http.StatusRequestEntityTooLarge, body)
				if tt.json {
					var doc struct {
						Error apiErrorBody `json:"error"`
					}
					if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.Error.Code != "too_large" {
						t.Errorf("%s: error %+v (%v), want the code too_large:\n%.300s", how, doc.Error, err, body)
					}
				} else if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("%s: Content-Type %q, want a page", how, ct)
				}
				if got := resp.Header.Get("X-Copylab"); !strings.HasPrefix(got, tt.xCopylab) || (tt.xCopylab == "") != (got == "") {
					t.Errorf("%s: X-Copylab %q, want %q", how, got, tt.xCopylab)
				}
				if got := resp.Header.Get("Access-Control-Allow-Origin"); (got == "*") != tt.cors {
					t.Errorf("%s: Access-Control-Allow-Origin %q (want one: %v)", how, got, tt.cors)
				}
				for _, h := range []string{"Content-Type", "X-Copylab", "Access-Control-Allow-Origin", "Cross-Origin-Resource-Policy", "X-Frame-Options", "Content-Security-Policy"} {
					if how == "Content-Length" {
						want[h] = resp.Header.Get(h)
					} else if got := resp.Header.Get(h); got != want[h] {
						t.Errorf("chunked: %s %q, but %q with a Content-Length", h, got, want[h])
					}
				}
			}
		})
	}
}
