package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestURLLimitsSayBytes: a site's webhook URL and its recorder's link
// template are held to a number of bytes (a URL travels as bytes, and
// the template's limit keeps the links it makes short enough for every
// browser and chat tool), but the refusal said "characters": a template
// of 371 characters, most of them Japanese (1025 bytes), was refused as
// over 1024 characters. The refusal now says bytes, with the length it counted,
// and a value of the limit's length in bytes is still taken.
func TestURLLimitsSayBytes(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")

	tests := []struct {
		name, path, field string
		prefix            string
		limit             int
	}{
		{"webhook URL", "/notifications", "webhook_url", "https://hooks.example.com/services/", 2000},
		{"link template", "/recorders", "custom", "https://replay.example.com/s/{session_id}?q=", 1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Three bytes a character: past the limit in bytes, well
			// under it in characters.
			over := tt.prefix + strings.Repeat("日", (tt.limit-len(tt.prefix))/3+1)
			if utf8.RuneCountInString(over) >= tt.limit/2 || len(over) <= tt.limit {
				t.Fatalf("the value is %d characters, %d bytes", utf8.RuneCountInString(over), len(over))
			}
			resp, body := c.post("/sites/"+site.ID+tt.path, url.Values{tt.field: {over}})
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, "at most "+itoa(tt.limit)+" bytes (this is "+itoa(len(over)))
			if strings.Contains(body, itoa(tt.limit)+" characters") {
				t.Errorf("the refusal still counts characters")
			}

			at := tt.prefix + strings.Repeat("a", tt.limit-len(tt.prefix))
			resp, body = c.post("/sites/"+site.ID+tt.path, url.Values{tt.field: {at}})
			wantStatus(t, resp, http.StatusSeeOther, body)
		})
	}
}
