package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestAPIBodyTooLargeNamesTheLimit: a body over the server's limit is
// refused 413 too_large with the limit in the sentence, as POST /e names
// its own 64 KiB, so that the sender knows how much to cut.
func TestAPIBodyTooLargeNamesTheLimit(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	send := rawSender(t, e) // the HTTP server refuses the body before copylab sees it
	resp, raw := send(t, "POST /api/v1/sites HTTP/1.1\r\nHost: copylab.test\r\nAuthorization: Bearer "+tok+
		"\r\nContent-Type: application/json\r\nContent-Length: "+itoa(bodyLimit+1)+"\r\n\r\n{")
	wantStatus(t, resp, http.StatusRequestEntityTooLarge, raw)
	var out struct {
		Error apiErrorBody `json:"error"`
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	if out.Error.Code != "too_large" || !strings.Contains(out.Error.Message, "1 MiB") {
		t.Errorf("error %+v: want too_large naming 1 MiB", out.Error)
	}
}
