package app

import (
	"net/http"
	"slices"
	"testing"
)

// TestShareRefusalsAnsweredAlike: the share link's refusals, a link
// that no longer works (404) and a draft's CSV or recordings (409
// not_started), are pages of the one error handler: the same headers
// besides X-Copylab, whatever the browser accepts.
func TestShareRefusalsAnsweredAlike(t *testing.T) {
	e := newEnv(t)
	x := e.experiment(e.site("Shop").ID, "Hero", "Original", "Variant copy")
	headers := func(path string) (int, http.Header) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp := e.do(req)
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	_, gone := headers("/r/no-such-token/results.csv")
	for _, path := range []string{"/results.csv", "/daily.csv", "/recordings"} {
		t.Run(path, func(t *testing.T) {
			status, got := headers("/r/" + x.ShareToken + path)
			if status != http.StatusConflict {
				t.Fatalf("status %d, want 409", status)
			}
			for _, h := range []http.Header{gone, got} {
				for _, k := range []string{"Content-Length", "Date", "X-Request-Id", "X-Copylab"} {
					h.Del(k)
				}
			}
			var names, want []string
			for k, v := range got {
				names = append(names, k+": "+v[0])
			}
			for k, v := range gone {
				want = append(want, k+": "+v[0])
			}
			slices.Sort(names)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("headers\n%q\nwant, as a link that no longer works has,\n%q", names, want)
			}
		})
	}
}
