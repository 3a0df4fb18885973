package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestVisitorIsPrintable: POST /e's visitor is 1 to 128 printable
// characters. Only spaces, or characters that print nothing and change
// how text around them reads (zero-width, direction and other format
// characters, line and paragraph separators, and the letters Unicode
// says to ignore, such as the Hangul fillers), are no visitor id: such ids
// look the same as another, or as none, wherever they are shown. They are
// refused with invalid_visitor and its sentence; ids with spaces between
// words, accents, other scripts and emoji are still accepted.
func TestVisitorIsPrintable(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	site, x := e.runningExperiment()
	post := func(t *testing.T, visitor string) (*http.Response, string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": visitor, "events": []any{map[string]any{
			"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": "b",
			"url": "https://shop.example/"}}})
		return e.postRaw(string(b), nil)
	}

	refused := []struct{ name, visitor string }{
		{"spaces", "   "},
		{"a tab and spaces", " \t "},
		{"no-break spaces", "\u00a0\u3000"},
		{"a zero-width space", "\u200b"},
		{"a zero-width space in an id", "visitor\u200b-1"},
		{"a right-to-left override", "\u202e"},
		{"a right-to-left override in an id", "\u202e1-rotisiv"},
		{"a left-to-right isolate", "\u2066v\u2069"},
		{"a byte-order mark", "\ufeffvisitor-1"},
		{"a zero-width joiner", "a\u200db"},
		{"a soft hyphen", "visi\u00adtor"},
		{"a line separator", "visitor\u2028"},
		{"a Hangul filler", "\u3164"},
		{"a Hangul filler in an id", "visitor\u3164-1"},
		{"a halfwidth Hangul filler", "\uffa0"},
		{"a Hangul choseong filler", "\u115f"},
		{"a combining grapheme joiner", "visi\u034ftor"},
		{"a Braille blank", "\u2800\u2800"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := post(t, tt.visitor)
			wantStatus(t, resp, http.StatusBadRequest, raw)
			var out struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			want := "The visitor id must be 1 to 128 printable characters."
			if out.Error.Code != "invalid_visitor" || out.Error.Field != "visitor" || out.Error.Message != want {
				t.Errorf("error %+v, want invalid_visitor on visitor: %q", out.Error, want)
			}
			if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: invalid_visitor: ") {
				t.Errorf("X-Copylab %q", h)
			}
		})
	}
	if n := e.eventRows(); n != 0 {
		t.Errorf("refused visitors stored %d events", n)
	}

	for _, visitor := range []string{"visitor-1", "Ann Smith", " padded ", "zoë", "訪問者", "👋🏽 hello", "user@example.com", "a"} {
		t.Run("accepted "+visitor, func(t *testing.T) {
			resp, raw := post(t, visitor)
			wantStatus(t, resp, http.StatusNoContent, raw)
		})
	}
}
