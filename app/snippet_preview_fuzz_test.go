package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// knownProblems are the QA build's warnings, with each experiment id as ID:
// the only part of the input a warning may repeat is an id in canonical
// form.
var knownProblems = map[string]bool{
	"copylab QA link: it names no experiment (want ?copylab=EXPERIMENT_ID:VARIANT); showing the live experiments.":          true,
	"copylab QA link: this site has no experiment ID; showing the live experiments.":                                        true,
	"copylab QA link: experiment ID has no variant with the key after the colon; the page shows the visitor's own variant.": true,
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// FuzzSnippetPreview sends arbitrary QA strings to the tag's QA build,
// GET /s/KEY.js?p=…, through the whole HTTP stack and a real database:
// the answer is never a 5xx, never cached (at most one redirect to the
// link's canonical spelling first), and what it says about the
// link (the console warning, the X-Copylab header) is a well-formed
// string literal and header value, in copylab's own words.
func FuzzSnippetPreview(f *testing.F) {
	a, site, x := newFuzzApp(f, false) // a draft
	for _, seed := range []string{
		x.ID + ":b", x.ID + ":control", x.ID + ":", x.ID, strings.ToUpper(x.ID) + ":b", "{" + x.ID + "}:b",
		"urn:uuid:" + x.ID + ":b", ":", "::::", "off", "\x00", "</script><script>alert(1)</script>:b",
		x.ID + ":b\r\nX-Injected: 1", "\u2028\u2029:\xed\xa0\x80", strings.Repeat("a", 5000),
		// Bytes that lower-casing would turn into U+FFFD, nine bytes each
		// once escaped: a redirect to that is past what the server reads.
		x.ID + ":nt" + strings.Repeat("\xff", 2000), "URN:UUID:" + x.ID + ":B",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, qa string) {
		if qa == "" {
			return // no p: the live tag, tested elsewhere
		}
		req := newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(qa), nil)
		resp, ok := fuzzTest(t, a.fiber, req)
		if !ok {
			return
		}
		body := readBody(t, resp)
		if resp.StatusCode == http.StatusFound {
			// Another spelling of an experiment's link: once to the same
			// build's URL with the link spelled as the QA build compares
			// it, and that is answered.
			loc := resp.Header.Get("Location")
			rest, ok := strings.CutPrefix(loc, site.Key+".js?p=")
			canon, err := url.QueryUnescape(rest)
			if !ok || err != nil || !uuidRE.MatchString(canon) || canon != strings.ToLower(canon) {
				t.Fatalf("p=%q: redirected to %q", qa, loc)
			}
			if resp, ok = fuzzTest(t, a.fiber, newRequest(http.MethodGet, "/s/"+loc, nil)); !ok {
				return
			}
			body = readBody(t, resp)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("p=%q: %d %.200s", qa, resp.StatusCode, body)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("p=%q: Cache-Control %q", qa, got)
		}
		problem := resp.Header.Get("X-Copylab")
		for _, r := range problem {
			if r < ' ' || r == 0x7f {
				t.Fatalf("p=%q: control character in X-Copylab %q", qa, problem)
			}
		}
		first, _, _ := strings.Cut(body, "\n")
		if lit, ok := strings.CutPrefix(first, "console.warn("); ok {
			var msg string
			if err := json.Unmarshal([]byte(strings.TrimSuffix(lit, ");")), &msg); err != nil {
				t.Fatalf("p=%q: warning is not one string literal: %s", qa, first)
			}
			if !knownProblems[uuidRE.ReplaceAllString(msg, "ID")] {
				t.Fatalf("p=%q: a warning that is not one of copylab's own sentences: %s", qa, msg)
			}
		} else if problem != "" {
			t.Fatalf("p=%q: X-Copylab %q but no console warning", qa, problem)
		}
	})
}
