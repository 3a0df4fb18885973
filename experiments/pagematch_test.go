package experiments_test

import (
	"encoding/json"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"copylab/experiments"
)

// pageMatchVector is one line of testdata/page_match_vectors.json. Want is
// what the tag does in Chromium (static/snippet's TestPageMatchVectors
// checks every vector there); path and query are written as the browser
// keeps them (location.pathname, and location.search without its "?").
type pageMatchVector struct {
	Pattern string `json:"pattern"`
	Path    string `json:"path"`
	Query   string `json:"query"`
	Want    bool   `json:"want"`
	Note    string `json:"note"`
}

func readPageMatchVectors(t testing.TB) []pageMatchVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/page_match_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []pageMatchVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

// TestMatchPageVectors: MatchPage answers every shared vector as the tag
// does.
func TestMatchPageVectors(t *testing.T) {
	for _, v := range readPageMatchVectors(t) {
		if got := experiments.MatchPage(v.Pattern, v.Path, v.Query); got != v.Want {
			t.Errorf("MatchPage(%q, %q, %q) = %v, want %v (%s)", v.Pattern, v.Path, v.Query, got, v.Want, v.Note)
		}
	}
}

// TestMatchPageVectorsAreStorable: every vector's pattern is one an
// experiment can hold as saved (valid, and as NormalizePage leaves it), so
// the vectors test the patterns the tag really gets. "" stands for a
// page-view goal's empty URL.
func TestMatchPageVectorsAreStorable(t *testing.T) {
	for _, v := range readPageMatchVectors(t) {
		if v.Pattern == "" {
			continue
		}
		if msg := experiments.PageError(v.Pattern); msg != "" {
			t.Errorf("pattern %q: %s", v.Pattern, msg)
		}
		if why := experiments.TextProblem(v.Pattern); why != "" {
			t.Errorf("pattern %q %s", v.Pattern, why)
		}
		if n := experiments.NormalizePage(v.Pattern); n != v.Pattern {
			t.Errorf("pattern %q is saved as %q", v.Pattern, n)
		}
	}
}

// FuzzMatchPage: MatchPage never panics or hangs, and on what a browser
// can give it (and a pattern without line breaks) it answers as
// tagRegexpMatch, a second reading of the tag's regexp that Go's regexp
// package runs. The vectors are the seeds.
func FuzzMatchPage(f *testing.F) {
	for _, v := range readPageMatchVectors(f) {
		f.Add(v.Pattern, v.Path, v.Query)
	}
	f.Add("/p*?a=*", "/p/x", "a=1")
	f.Add("*a*a*b", "/aaaa", "")
	f.Add("/p?a%26b=1", "/p", "a&b=1")
	f.Fuzz(func(t *testing.T, pattern, path, query string) {
		got := experiments.MatchPage(pattern, path, query)
		if !browserLike(pattern, path, query) {
			return
		}
		if want := tagRegexpMatch(pattern, path, query); got != want {
			t.Errorf("MatchPage(%q, %q, %q) = %v, the tag's regexp says %v", pattern, path, query, got, want)
		}
	})
}

// browserLike reports whether path and query could be a page's
// location.pathname and location.search (without "?"): ASCII, as the
// browser percent-encodes the rest, and no line break. The pattern must
// be UTF-8 without line breaks: JavaScript's "." stops at \r, U+2028 and
// U+2029 too, and a line break in the pattern would reach across the
// "\n" between path and query. Sizes stay within a stored pattern's and
// a long URL's, where Go's regexp answers at once: it walks the path once
// per state, and a pattern of 20,000 stars on a 100 KB path took 35 s.
func browserLike(pattern, path, query string) bool {
	if len(pattern) > experiments.MaxPageLen || len(path)+len(query) > 8192 {
		return false
	}
	ascii := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 || s[i] == '\n' || s[i] == '\r' || s[i] == '#' {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(path, "/") && !strings.Contains(path, "?") && ascii(path) && ascii(query) &&
		utf8.ValidString(pattern) && !strings.ContainsAny(pattern, "\n\r\u2028\u2029")
}

// tagRegexpMatch is the tag's match on "PATH\nSEARCH" (static's
// compilePattern, snippet.js's match) redone in Go's regexp, which has
// no lookahead: the path glob as one anchored regexp, and each pair's
// lookahead as its own search of location.search.
func tagRegexpMatch(pattern, path, query string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	glob, pairs, _ := strings.Cut(pattern, "?")
	if len(glob) > 1 {
		glob = strings.TrimSuffix(glob, "/")
	}
	parts := strings.Split(glob, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	path = regexp.MustCompile(`(.)/$`).ReplaceAllString(path, "$1") // snippet.js's replace
	if !regexp.MustCompile(`^` + strings.Join(parts, `.*`) + `$`).MatchString(path) {
		return false
	}
	search := ""
	if query != "" {
		search = "?" + query
	}
	spell := func(s string) string {
		dec := s
		if u, err := url.QueryUnescape(s); err == nil {
			dec = u
		}
		enc := url.QueryEscape(dec)
		var alts []string
		for _, a := range []string{s, dec, enc, strings.ReplaceAll(enc, "+", "%20")} {
			// The tag gets its regexp as JSON, which turns bytes that
			// are not UTF-8 (dec of %80) into U+FFFD.
			alts = append(alts, regexp.QuoteMeta(strings.ToValidUTF8(a, "\uFFFD")))
		}
		return "(?:" + strings.Join(alts, "|") + ")"
	}
	for pair := range strings.SplitSeq(pairs, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		re := `[?&]` + spell(k) + `(?:[=&]|$)`
		switch v {
		case "*":
		case "":
			re = `[?&]` + spell(k) + `=?(?:&|$)`
		default:
			re = `[?&]` + spell(k) + `=` + spell(v) + `(?:&|$)`
		}
		if !regexp.MustCompile(re).MatchString(search) {
			return false
		}
	}
	return true
}
