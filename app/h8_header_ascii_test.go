package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestXCopylabIsASCII: the X-Copylab reason is plain ASCII whatever the
// refusal echoes: browsers read header bytes as Latin-1, so a raw "…" or
// a site key in another script showed as garbled text in the network
// panel. A cut value ends in "...", other characters are written \uXXXX;
// the JSON body keeps the text as it is.
func TestXCopylabIsASCII(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name, site string
		header     []string // in X-Copylab
		message    string   // in the JSON message
	}{
		{"a key in another script", "ключ", []string{`"\u043a\u043b\u044e\u0447"`}, `"ключ"`},
		{"a key cut short", strings.Repeat("ä", 30), []string{`\u00e4\u00e4`, `..."`}, `ää…"`},
		{"an emoji", "shop😀", []string{`"shop\ud83d\ude00"`}, `"shop😀"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"site": tt.site, "visitor": "v1", "events": []any{map[string]any{
				"id": "0192f1a4-6b7c-7d8e-9f00-112233445566", "type": "conversion", "experiment": "x", "goal": "signup", "ts": 1732406400000}}})
			resp, raw := e.postRaw(string(body), nil)
			wantStatus(t, resp, http.StatusNotFound, raw)
			x := resp.Header.Get("X-Copylab")
			for i := 0; i < len(x); i++ {
				if x[i] < 0x20 || x[i] > 0x7e {
					t.Fatalf("X-Copylab has the byte %#x at %d: %q", x[i], i, x)
				}
			}
			for _, want := range tt.header {
				if !strings.Contains(x, want) {
					t.Errorf("X-Copylab %q lacks %q", x, want)
				}
			}
			var doc struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(raw), &doc); err != nil {
				t.Fatalf("not JSON (%v):\n%s", err, raw)
			}
			if !strings.Contains(doc.Error.Message, tt.message) {
				t.Errorf("JSON message %q lacks %q", doc.Error.Message, tt.message)
			}
		})
	}
}
