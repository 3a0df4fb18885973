package app

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// briefMaxLengthRange is the one sentence for a max length out of range.
const briefMaxLengthRange = "Set a max length between 10 and 1000 characters, or leave it empty (copylab keeps each variant to at most 1000 characters)."

// TestBriefMaxLengthOneRange: every max length copylab cannot use gets
// the same sentence, which gives the range it takes, on the drafting page
// and in the API alike; the ends of the range are taken.
func TestBriefMaxLengthOneRange(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	tok := g.e.token("api@example.com")

	for _, tt := range []struct {
		value string
		ok    bool
		apiOK bool // the API's 0 is the brief's "no max length given"
	}{
		{"999999", false, false},
		{"3000", false, false},
		{"1001", false, false},
		{"9", false, false},
		{"0", false, true},
		{"-3", false, false},
		{"1000", true, true},
		{"10", true, true},
	} {
		t.Run(tt.value, func(t *testing.T) {
			brief := g.brief(1)
			brief.Set("max_length", tt.value)
			// htmx swaps only a 2xx answer: the form comes back with 200.
			_, body := g.c.hx(http.MethodPost, g.base, brief)
			plain := html.UnescapeString(body)
			switch {
			case tt.ok && strings.Contains(plain, "max length between"):
				t.Errorf("the page refuses %s: %s", tt.value, plain)
			case !tt.ok:
				wantContains(t, plain, briefMaxLengthRange)
				wantNotContains(t, plain, "5000", "set a max length of at most")
			}

			resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok,
				`{"n":1,"brief":{"goal":"Start a free trial","max_length":`+tt.value+`}}`)
			if tt.apiOK {
				if resp.StatusCode == http.StatusUnprocessableEntity && strings.Contains(fmt.Sprint(out), "max_length") {
					t.Errorf("the API refuses %s: %v", tt.value, out)
				}
				return
			}
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			raw, _ := json.Marshal(out)
			wantContains(t, string(raw), `"brief.max_length"`, briefMaxLengthRange)
			wantNotContains(t, string(raw), "5000", "set a max length of at most")
		})
	}
}

// TestBriefMaxLengthLongCurrentCopy: with no max length given, the
// default is the current copy's length; a current copy longer than a
// variant may be is told so, not to leave the (empty) box empty.
func TestBriefMaxLengthLongCurrentCopy(t *testing.T) {
	g := newGenFixture(t, nil)
	tok := g.e.token("api@example.com")
	long := strings.Repeat("Plan more. ", 137) // 1,507 characters
	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok,
		`{"n":1,"brief":{"goal":"Start a free trial","element_kind":"paragraph","current_copy":"`+long+`"}}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	raw, _ := json.Marshal(out)
	wantContains(t, string(raw), `"brief.max_length"`, "The current copy is 1506 characters long, more than a variant may have: set a max length between 10 and 1000 characters.")
	wantNotContains(t, string(raw), "leave it empty")
}
