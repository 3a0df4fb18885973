package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"copylab/experiments"
)

// family and flag are one character each as a person counts them, and 7
// and 2 code points: the units copylab counted before.
const (
	family = "👨‍👩‍👧‍👦"
	flagDE = "🇩🇪"
)

// zalgo is copy of a few letters, each under a stack of combining marks:
// 40 characters as a person counts them (a letter and its marks are one),
// over 40,000 bytes in UTF-8.
var zalgo = strings.Repeat("a"+strings.Repeat("\u0301\u0308", 260), 40)

// createExperiment sends POST /api/v1/experiments with texts as its copy,
// the first the original's.
func createExperiment(e *env, tok, siteID, page, selector string, texts ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	var vs []map[string]string
	for i, s := range texts {
		key := string(rune('a' + i))
		if i == 0 {
			key = experiments.ControlKey
		}
		vs = append(vs, map[string]string{"key": key, "text": s})
	}
	body, _ := json.Marshal(map[string]any{"site_id": siteID, "name": "Hero", "page": page, "selector": selector,
		"goal": map[string]string{"type": "event", "name": "signup"}, "variants": vs})
	return e.api("POST", "/api/v1/experiments", tok, string(body))
}

// errorOf is the code, field and sentence of an API error answer.
func errorOf(t *testing.T, out map[string]any) (code, field, msg string) {
	t.Helper()
	code, field = errorShape(t, out)
	msg, _ = out["error"].(map[string]any)["message"].(string)
	return code, field, msg
}

// TestCopyCountsCharactersAsPeopleDo: copy is held to 1,000 characters as
// a person counts them (grapheme clusters): a family emoji is one, not
// the 7 code points copylab counted, so copy of 1,000 of them is taken
// through the API and the form, and 1,001 are refused naming 1,001.
// Copy whose letters carry stacks of marks (Zalgo text) is few characters
// but many bytes: it is refused with its own sentence, in bytes, never a
// 500.
func TestCopyCountsCharactersAsPeopleDo(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	atLimit := strings.Repeat(family, experiments.MaxCopyLen)
	over := strings.Repeat(family, experiments.MaxCopyLen+1)
	wantOver := fmt.Sprintf("Keep copy to at most %d characters (this is %d).", experiments.MaxCopyLen, experiments.MaxCopyLen+1)

	t.Run("API", func(t *testing.T) {
		resp, out := createExperiment(e, tok, site.ID, "/", "h1", "Original headline", atLimit)
		wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))

		resp, out = createExperiment(e, tok, site.ID, "/", "h1", "Original headline", over)
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		if code, field, msg := errorOf(t, out); code != "invalid_text" || field != "variants[1].text" || msg != wantOver {
			t.Errorf("%s on %s: %q, want invalid_text on variants[1].text: %q", code, field, msg, wantOver)
		}

		resp, out = createExperiment(e, tok, site.ID, "/", "h1", "Original headline", zalgo)
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		code, field, msg := errorOf(t, out)
		wantBytes := fmt.Sprintf("Copy can take at most 40,000 bytes to store, and this takes %s:", groupDigits(len(zalgo)))
		if code != "invalid_text" || field != "variants[1].text" || !strings.HasPrefix(msg, wantBytes) {
			t.Errorf("Zalgo copy: %s on %s: %q, want invalid_text on variants[1].text starting %q", code, field, msg, wantBytes)
		}
	})

	t.Run("form", func(t *testing.T) {
		c := e.signIn("ann@example.com")
		form := func(text string) url.Values {
			return url.Values{"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"},
				"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {"100"},
				"variants[0].key": {""}, "variants[0].text": {"Original headline"},
				"variants[1].key": {""}, "variants[1].text": {text}}
		}
		c.get("/experiments/new")
		resp, body := c.post("/experiments", form(atLimit))
		wantStatus(t, resp, http.StatusSeeOther, body)

		resp, body = c.post("/experiments", form(over))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, wantOver)

		resp, body = c.post("/experiments", form(zalgo))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "Copy can take at most 40,000 bytes to store")
	})
}

// groupDigits writes n with a comma between thousands, as copylab's
// sentences do.
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestVariantsSameUnderNFC: "Größe" typed with ö as one character (NFC,
// as most keyboards write it) and as o with a combining diaeresis (NFD,
// as macOS file names and some pastes do) looks the same on the page, so
// two variants that differ only so are the same copy: refused as a
// duplicate. What is stored is the text as sent, not a normalized one.
func TestVariantsSameUnderNFC(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	nfc := norm.NFC.String("Die richtige Größe für jedes Team")
	nfd := norm.NFD.String(nfc)
	if nfc == nfd {
		t.Fatal("the two forms are the same bytes")
	}

	resp, out := createExperiment(e, tok, site.ID, "/", "h1", "Original headline", nfc, nfd)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field, _ := errorOf(t, out); code != "duplicate_text" || field != "variants[2].text" {
		t.Errorf("%s on %s, want duplicate_text on variants[2].text", code, field)
	}

	// The original in NFD and a variant in NFC: the variant repeats it.
	resp, out = createExperiment(e, tok, site.ID, "/", "h1", nfd, nfc)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field, _ := errorOf(t, out); code != "duplicate_text" || field != "variants[1].text" {
		t.Errorf("%s on %s, want duplicate_text on variants[1].text", code, field)
	}

	// Added one by one: the API's own copy check names the variant.
	resp, out = createExperiment(e, tok, site.ID, "/", "h1", "Original headline", nfc)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	id, _ := out["id"].(string)
	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/variants", tok, `{"text":`+jsonString(nfd)+`}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field, msg := errorOf(t, out); code != "duplicate_text" || field != "text" || !strings.Contains(msg, "Variant B") {
		t.Errorf("%s on %s: %q, want duplicate_text on text naming Variant B", code, field, msg)
	}

	// A variant changed to the text of a later one: the later one's
	// repeat is named on the change.
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id+"/variants/b", tok, `{"text":"Ein anderes Team"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/variants", tok, `{"text":`+jsonString(nfc)+`}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id+"/variants/b", tok, `{"text":`+jsonString(nfd)+`}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field, msg := errorOf(t, out); code != "duplicate_text" || field != "text" || !strings.Contains(msg, "Variant C") {
		t.Errorf("%s on %s: %q, want duplicate_text on text naming Variant C", code, field, msg)
	}

	// Stored as sent: the tag sets the exact text.
	resp, out = createExperiment(e, tok, site.ID, "/", "h1", nfd, "Another headline")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	x, err := e.store.Experiment(t.Context(), out["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if x.Variants[0].Text != nfd {
		t.Errorf("the original was stored as %+q, want it as sent (%+q)", x.Variants[0].Text, nfd)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestPageAndSelectorCountCharacters: a page pattern is stored
// percent-encoded (/料金 is 18 bytes) and a selector as typed, and their
// limits said characters while they counted bytes, so 200 Japanese
// letters of a path (1,801 bytes stored) were refused as over 500
// "characters". They count characters as the person reads the pattern
// (experiments.PageShown) now, and say the count; a byte cap keeps what
// is stored bounded, with its own sentence.
func TestPageAndSelectorCountCharacters(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	ja := func(n int) string { return strings.Repeat("料", n) }

	for _, tc := range []struct {
		name, page, selector string
		field, msg           string // "" for taken
	}{
		{"a Japanese path of 201 characters", "/" + ja(200), "h1", "", ""},
		{"a path of 500 characters", "/" + ja(499), "h1", "", ""},
		{"a path of 501 characters", "/" + ja(500), "h1", "page", "Keep the page pattern to at most 500 characters (this is 501)."},
		{"a path past its byte cap", "/a" + strings.Repeat("\u0301", 1000), "h1", "page",
			"This page pattern takes 6,002 bytes as browsers write it (percent-encoded), more than the 6,000 copylab stores: shorten it, or use fewer emoji and accent marks (6 to 12 bytes each there)."},
		{"a Japanese selector of 117 characters", "/", `[data-copylab="` + ja(100) + `"]`, "", ""},
		{"a selector of 201 characters", "/", `[data-copylab="` + ja(184) + `"]`, "selector", "Keep the selector to at most 200 characters (this is 201)."},
		{"a selector past its byte cap", "/", `[data-copylab="a` + strings.Repeat("\u0301", 400) + `"]`, "selector",
			"This selector takes 818 bytes, more than the 800 copylab stores: shorten it, or use fewer emoji and accent marks (2 to 4 bytes each)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := createExperiment(e, tok, site.ID, tc.page, tc.selector, "Original headline", "New headline")
			if tc.msg == "" {
				wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
				return
			}
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if _, field, msg := errorOf(t, out); field != tc.field || msg != tc.msg {
				t.Errorf("on %s: %q, want on %s: %q", field, msg, tc.field, tc.msg)
			}
		})
	}
}
