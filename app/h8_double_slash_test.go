package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestDoubleSlashPublicPaths: //e and //s/KEY.js (a base URL with a
// trailing slash, joined to "/e") are not routes, and their 404 comes in
// the format of /e and /s/: JSON with a code, the CORS header and the
// X-Copylab reason for events, the tag's JavaScript comment for the tag.
// Before, both got the HTML page, which a site's script cannot read.
func TestDoubleSlashPublicPaths(t *testing.T) {
	e := newEnv(t)
	send := rawSender(t, e)
	for _, tt := range []struct {
		name, raw   string
		contentType string
		xCopylab    string
	}{
		{"events", "POST //e HTTP/1.1\r\nHost: copylab.test\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
			"application/json", "rejected: not_found: "},
		{"events, three slashes", "POST ///e HTTP/1.1\r\nHost: copylab.test\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
			"application/json", "rejected: not_found: "},
		{"tag", "GET //s/abc.js HTTP/1.1\r\nHost: copylab.test\r\nConnection: close\r\n\r\n",
			"text/javascript", "not_found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, tt.raw)
			wantStatus(t, resp, http.StatusNotFound, body)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Fatalf("Content-Type %q, want %s:\n%.300s", ct, tt.contentType, body)
			}
			if got := resp.Header.Get("X-Copylab"); !strings.HasPrefix(got, tt.xCopylab) {
				t.Errorf("X-Copylab %q, want %q…", got, tt.xCopylab)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			}
			if tt.contentType == "application/json" {
				var doc struct {
					Error apiErrorBody `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.Error.Code != "not_found" {
					t.Errorf("error %+v (%v), want not_found", doc.Error, err)
				}
			}
		})
	}
}
