package app

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// TestEventsRejected sends malformed and hostile bodies to POST /e through
// HTTP: each is refused with its status and code, in the JSON body and in
// the X-Copylab header a developer sees in the network panel, and nothing
// of it is stored.
func TestEventsRejected(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site, x := e.runningExperiment()
	draft := e.experiment(site.ID, "Draft")
	other := e.site("Other")
	y := e.transition(e.experiment(other.ID, "Elsewhere").ID, "start")

	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	// body is one request with one event; ev's fields override the
	// defaults of a valid exposure (nil deletes a field).
	body := func(top map[string]any, ev map[string]any) string {
		event := map[string]any{"id": id(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://shop.example/"}
		for k, v := range ev {
			if v == nil {
				delete(event, k)
			} else {
				event[k] = v
			}
		}
		m := map[string]any{"site": site.Key, "visitor": "visitor-1", "events": []any{event}}
		for k, v := range top {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	many := make([]any, 101)
	for i := range many {
		many[i] = map[string]any{"id": id(), "type": "exposure", "experiment": x.ID, "variant": "b"}
	}

	tests := []struct {
		name   string
		body   string
		hdr    map[string]string
		status int
		code   string
		field  string
	}{
		{"not JSON", `{not json`, nil, 400, "invalid_json", ""},
		{"empty body", ``, nil, 400, "invalid_json", ""},
		{"an array", `[]`, nil, 400, "invalid_json", ""},
		{"a number for the site", `{"site":1}`, nil, 400, "invalid_json", "site"},
		{"deeply nested", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), nil, 400, "invalid_json", ""},
		{"no site", body(map[string]any{"site": nil}, nil), nil, 400, "required", "site"},
		{"unknown site", body(map[string]any{"site": "aaaaaaaaaaaaaaaa"}, nil), nil, 404, "unknown_site", "site"},
		{"absurd site key", body(map[string]any{"site": strings.Repeat("k", 5000)}, nil), nil, 404, "unknown_site", "site"},
		{"no visitor", body(map[string]any{"visitor": nil}, nil), nil, 400, "invalid_visitor", "visitor"},
		{"visitor too long", body(map[string]any{"visitor": strings.Repeat("v", 129)}, nil), nil, 400, "invalid_visitor", "visitor"},
		{"visitor with a NUL", body(map[string]any{"visitor": "a\x00b"}, nil), nil, 400, "invalid_visitor", "visitor"},
		{"no events", body(map[string]any{"events": []any{}}, nil), nil, 400, "required", "events"},
		{"too many events", body(map[string]any{"events": many}, nil), nil, 413, "too_many_events", "events"},
		{"no id", body(nil, map[string]any{"id": nil}), nil, 400, "required", "events[0].id"},
		{"id not a UUID", body(nil, map[string]any{"id": "123"}), nil, 400, "invalid_id", "events[0].id"},
		{"id in braces", body(nil, map[string]any{"id": "{" + id() + "}"}), nil, 400, "invalid_id", "events[0].id"},
		{"unknown type", body(nil, map[string]any{"type": "click"}), nil, 400, "invalid_type", "events[0].type"},
		{"no experiment", body(nil, map[string]any{"experiment": nil}), nil, 400, "required", "events[0].experiment"},
		{"unknown experiment", body(nil, map[string]any{"experiment": "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b"}), nil, 404, "unknown_experiment", "events[0].experiment"},
		{"another site's experiment", body(nil, map[string]any{"experiment": y.ID}), nil, 404, "unknown_experiment", "events[0].experiment"},
		{"draft experiment", body(nil, map[string]any{"experiment": draft.ID}), nil, 422, "experiment_not_running", "events[0].experiment"},
		{"unknown variant", body(nil, map[string]any{"variant": "zzz"}), nil, 422, "unknown_variant", "events[0].variant"},
		{"exposure without variant", body(nil, map[string]any{"variant": nil}), nil, 400, "required", "events[0].variant"},
		{"conversion without goal", body(nil, map[string]any{"type": "conversion"}), nil, 400, "required", "events[0].goal"},
		{"goal with markup", body(nil, map[string]any{"type": "conversion", "goal": "<img>"}), nil, 400, "invalid_goal", "events[0].goal"},
		{"goal too long", body(nil, map[string]any{"type": "conversion", "goal": strings.Repeat("g", 65)}), nil, 400, "too_long", "events[0].goal"},
		{"negative ts", body(nil, map[string]any{"ts": -1}), nil, 400, "out_of_range", "events[0].ts"},
		{"absurd ts", body(nil, map[string]any{"ts": 1e300}), nil, 400, "out_of_range", "events[0].ts"},
		{"negative ms", body(nil, map[string]any{"ms": -1}), nil, 400, "out_of_range", "events[0].ms"},
		{"ms a string", body(nil, map[string]any{"ms": "12"}), nil, 400, "invalid_json", "events[0].ms"},
		{"too large", `{"site":"` + strings.Repeat("x", maxEventBody) + `"}`, nil, 413, "too_large", ""},
		{"form encoded", "site=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
		{"gzip", body(nil, nil), map[string]string{"Content-Encoding": "gzip"}, 415, "unsupported_encoding", ""},
		{"deflate, br", body(nil, nil), map[string]string{"Content-Encoding": "deflate, br"}, 415, "unsupported_encoding", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := e.postRaw(tt.body, tt.hdr)
			wantStatus(t, resp, tt.status, raw)
			publicHeadersOK(t, resp)
			var out struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			if out.Error.Code != tt.code || out.Error.Field != tt.field || out.Error.Message == "" {
				t.Errorf("error %+v, want code %q field %q", out.Error, tt.code, tt.field)
			}
			if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: "+tt.code+": ") {
				t.Errorf("X-Copylab %q", h)
			}
			if len(raw) > 2048 {
				t.Errorf("a %d-byte answer: rejections should be cheap", len(raw))
			}
		})
	}
	if n := e.eventRows(); n != 0 {
		t.Errorf("rejected bodies stored %d events", n)
	}
	// And a valid body still goes through.
	resp, raw := e.postRaw(body(nil, nil), nil)
	wantStatus(t, resp, http.StatusNoContent, raw)

	// The page's own words (its URL, the referrer, utm_source) are not the
	// sender's choice: too long, they are cut; control characters and bad
	// UTF-8 become U+FFFD. The event is stored and counted.
	long := "https://shop.example/?q=" + strings.Repeat("é", 1100)
	resp, raw = e.postRaw(body(map[string]any{"visitor": "visitor-long"}, map[string]any{
		"url": long, "ref": "https://news.example/" + strings.Repeat("r", 3000), "utm": "news\u0007letter" + strings.Repeat("u", 200)}), nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	var url, utm, ref string
	if err := e.store.Reader().QueryRow(`select url, utm_source, ref_domain from events where visitor = 'visitor-long'`).Scan(&url, &utm, &ref); err != nil {
		t.Fatal(err)
	}
	if len(url) > 2048 || len(url) < 2046 || !strings.HasPrefix(long, url) || !utf8.ValidString(url) {
		t.Errorf("url cut to %d bytes, %q…", len(url), url[:40])
	}
	if len(utm) != 128 || !strings.HasPrefix(utm, "news\uFFFDletter") {
		t.Errorf("utm %q", utm)
	}
	if ref != "news.example" {
		t.Errorf("ref domain %q", ref)
	}
}

// TestEventsBodyCaps checks that bodies over the cap are refused whatever
// their framing: a declared Content-Length is refused before the body is
// looked at, a chunked body once read.
func TestEventsBodyCaps(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	big := eventBody(site.Key, "v1", x.ID, "b", false)
	big = big[:len(big)-1] + `,"pad":"` + strings.Repeat("p", maxEventBody) + `"}`

	t.Run("declared length", func(t *testing.T) {
		resp, raw := e.postRaw(big, nil)
		wantStatus(t, resp, http.StatusRequestEntityTooLarge, raw)
		wantContains(t, raw, `"code":"too_large"`)
	})
	t.Run("chunked", func(t *testing.T) {
		// Fiber's Test always sends a Content-Length; a real socket can
		// send a chunked body, which declares no length.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go e.app.Fiber().Listener(ln)
		defer ln.Close()
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(big), big)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		raw := readBody(t, resp)
		wantStatus(t, resp, http.StatusRequestEntityTooLarge, raw)
		wantContains(t, raw, `"code":"too_large"`)
	})
	t.Run("just under the cap is fine", func(t *testing.T) {
		ok := eventBody(site.Key, "v2", x.ID, "b", false)
		ok = ok[:len(ok)-1] + `,"pad":"` + strings.Repeat("p", maxEventBody-len(ok)-10) + `"}`
		if len(ok) > maxEventBody {
			t.Fatalf("test body is %d bytes", len(ok))
		}
		resp, raw := e.postRaw(ok, nil)
		wantStatus(t, resp, http.StatusNoContent, raw)
	})
	t.Run("a gzip bomb is not inflated", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(bytes.Repeat([]byte(" "), 64<<20)) // 64 MiB of spaces, about 64 KiB compressed
		zw.Close()
		req := newRequest(http.MethodPost, "/api/v1/sites", &buf)
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Content-Type", "application/json")
		resp := e.do(req)
		raw := readBody(t, resp)
		wantStatus(t, resp, http.StatusUnsupportedMediaType, raw)
	})
	if n := e.eventRows(); n != 1 {
		t.Errorf("%d events stored, want 1", n)
	}
}
