package variants

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"copylab/experiments/chars"
)

func TestValidateCopy(t *testing.T) {
	base := Rules{MaxLength: 60, Control: "Project management for busy teams"}
	tests := []struct {
		name     string
		text     string
		rules    Rules
		wantRule string // "" means valid
	}{
		{name: "plain headline", text: "Plan every client project in one place"},
		{name: "ampersand and less-than are fine", text: "Tom & Jerry: a < b, <3"},
		{name: "bare domain is a name", text: "Why agencies love Booking.com"},
		{name: "single asterisk footnote", text: "Free for 14 days*"},
		{name: "hashtag number", text: "#1 tool for agencies"},
		{name: "non-English", text: "Projekte planen, ohne Chaos"},
		{name: "empty", text: "   ", wantRule: RuleEmpty},
		{name: "invalid utf-8", text: "Plan \xff more", wantRule: RuleEncoding},
		{name: "tag", text: "<b>Plan</b> more", wantRule: RuleMarkup},
		{name: "closing tag", text: "Plan more</", wantRule: RuleMarkup},
		{name: "comment", text: "Plan <!-- x --> more", wantRule: RuleMarkup},
		{name: "script", text: "<script>alert(1)</script>", wantRule: RuleMarkup},
		{name: "named entity", text: "Plan &amp; ship", wantRule: RuleMarkup},
		{name: "numeric entity", text: "Plan &#60;b&#62; ship", wantRule: RuleMarkup},
		{name: "hex entity", text: "Plan &#x3C; ship", wantRule: RuleMarkup},
		{name: "markdown bold", text: "Plan **more**", wantRule: RuleMarkup},
		{name: "markdown heading", text: "# Plan more", wantRule: RuleMarkup},
		{name: "markdown link", text: "Plan [more](https://x.y)", wantRule: RuleMarkup},
		{name: "markdown link with nested parens", text: "Plan [more](x(y))", wantRule: RuleMarkup},
		{name: "backticks", text: "Plan `more`", wantRule: RuleMarkup},
		{name: "url", text: "Plan more at https://acme.example/pricing", wantRule: RuleURL},
		{name: "www", text: "Plan more at www.acme.example", wantRule: RuleURL},
		{name: "javascript scheme", text: "Plan javascript:alert(1)", wantRule: RuleURL},
		{name: "allowed url", text: "Plan more at https://acme.example/pricing.",
			rules: Rules{MaxLength: 60, AllowedURLs: []string{"https://acme.example/pricing"}}},
		{name: "other url than allowed", text: "Plan more at https://evil.example",
			rules: Rules{MaxLength: 60, AllowedURLs: []string{"https://acme.example/pricing"}}, wantRule: RuleURL},
		{name: "tab", text: "Plan\tmore", wantRule: RuleControlChars},
		{name: "newline in a headline", text: "Plan\nmore", wantRule: RuleControlChars},
		{name: "newline in a paragraph", text: "Plan more.\nShip more.", rules: Rules{MaxLength: 60, AllowLineBreaks: true}},
		{name: "bidi override", text: "Plan \u202emore", wantRule: RuleControlChars},
		{name: "zero width space", text: "Plan\u200bmore", wantRule: RuleControlChars},
		{name: "replacement char", text: "Plan \ufffd more", wantRule: RuleControlChars},
		{name: "too long", text: strings.Repeat("a", 61), wantRule: RuleTooLong},
		{name: "runes, not bytes", text: strings.Repeat("é", 60)},
		{name: "banned word", text: "Guaranteed results", rules: Rules{MaxLength: 60, MustNotSay: []string{"guaranteed"}}, wantRule: RuleBanned},
		{name: "banned word is whole words only", text: "Freedom to plan", rules: Rules{MaxLength: 60, MustNotSay: []string{"free"}}},
		{name: "banned phrase across hyphens", text: "A best-in-class board", rules: Rules{MaxLength: 60, MustNotSay: []string{"best in class"}}, wantRule: RuleBanned},
		{name: "banned with symbol", text: "The #1 board", rules: Rules{MaxLength: 60, MustNotSay: []string{"#1"}}, wantRule: RuleBanned},
		{name: "must say present", text: "Start your 14-day free trial", rules: Rules{MaxLength: 60, MustSay: []string{"14-day free trial"}}},
		{name: "must say missing", text: "Start your trial", rules: Rules{MaxLength: 60, MustSay: []string{"14-day free trial"}}, wantRule: RuleMissingMustSay},
		{name: "same as control", text: "project management, for busy teams!", wantRule: RuleSameAsControl},
		{name: "reordered control", text: "For busy teams: project management", wantRule: RuleSameAsControl},
		{name: "control typo", text: "Project managment for busy teams", wantRule: RuleSameAsControl},
		{name: "duplicate of another", text: "Start your trial today", rules: base.WithOthers("start your trial today."), wantRule: RuleDuplicate},
		{name: "one word more is distinct", text: "Start your free trial", rules: base.WithOthers("Start your trial")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rules
			if r.MaxLength == 0 {
				r = base
			}
			err := ValidateCopy(tt.text, r)
			if tt.wantRule == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var ce *CopyError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want rule %s", err, tt.wantRule)
			}
			if ce.Rule != tt.wantRule {
				t.Errorf("rule = %s (%s), want %s", ce.Rule, ce.Message, tt.wantRule)
			}
			if !strings.HasSuffix(ce.Message, ".") || !unicode.IsUpper([]rune(ce.Message)[0]) {
				t.Errorf("message is not a sentence: %q", ce.Message)
			}
		})
	}
}

func TestWithOthersDoesNotShare(t *testing.T) {
	r := Rules{Others: make([]string, 0, 10)}
	a := r.WithOthers("a")
	b := r.WithOthers("b")
	if a.Others[0] != "a" || b.Others[0] != "b" {
		t.Fatalf("WithOthers shares its backing array: %q %q", a.Others, b.Others)
	}
}

func TestSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Start now", "start now!", true},
		{"Sign up", "Sign-up", true},
		{"Start your trial", "Start your free trial", false},
		{"Sign up", "Sign in", false},
		{"Start your trial now", "Now start your trial", true},
		{"Plan every project in one place", "Plan every project in a single place", false},
		{"Project management for busy teams", "Project managment for busy teams", true},
		{"今すぐ無料で始めましょう", "今すぐ無料で始めましょう！", true},
		{"Get started", "Learn more", false},
	}
	for _, tt := range tests {
		if got := similar(tt.a, tt.b); got != tt.want {
			t.Errorf("similar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestContainsPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"Try it FREE today", "free", true},
		{"Freedom", "free", false},
		{"carefree", "free", false},
		{"Don’t wait", "don't", true},
		{"best-in-class tools", "best in class", true},
		{"The #1 choice", "#1", true},
		{"The #10 choice", "#1", false},
		{"100% sure", "100%", true},
		{"Größte Auswahl", "größte", true},
		{"anything", "", false},
	}
	for _, tt := range tests {
		if got := containsPhrase(tt.text, tt.phrase); got != tt.want {
			t.Errorf("containsPhrase(%q, %q) = %v, want %v", tt.text, tt.phrase, got, tt.want)
		}
	}
}

// assertPlain checks, independently of the validator's own patterns, that
// accepted copy is plain text within its limit. Both fuzz targets use it.
func assertPlain(t *testing.T, text string, maxLen int, allowBreaks bool) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Fatalf("accepted invalid UTF-8: %q", text)
	}
	if strings.TrimSpace(text) == "" {
		t.Fatalf("accepted empty copy: %q", text)
	}
	if n := chars.Count(text); maxLen > 0 && n > maxLen {
		t.Fatalf("accepted %d characters over a limit of %d: %q", n, maxLen, text)
	}
	if maxLen > 0 && len(text) > chars.BytesEach*maxLen {
		t.Fatalf("accepted %d bytes over a limit of %d characters: %q", len(text), maxLen, text)
	}
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		c := text[i+1]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' || c == '?' {
			t.Fatalf("accepted a tag-like %q in %q", text[i:i+2], text)
		}
	}
	if e := entityAt(text); e != "" {
		t.Fatalf("accepted an entity-like %q in %q", e, text)
	}
	lower := strings.ToLower(text)
	for _, bad := range []string{"**", "`", "://"} {
		if strings.Contains(lower, bad) {
			t.Fatalf("accepted %q in %q", bad, text)
		}
	}
	// A javascript: link starts a word ("0javascript:" is no scheme) and
	// has something after the colon.
	for i := strings.Index(lower, "javascript:"); i >= 0; {
		wordBefore := i > 0 && (isASCIIAlnum(lower[i-1]) || lower[i-1] == '_')
		if !wordBefore && i+11 < len(lower) && isASCIIAlnum(lower[i+11]) {
			t.Fatalf("accepted a javascript: link in %q", text)
		}
		next := strings.Index(lower[i+1:], "javascript:")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	// "[text](" on one line is a Markdown link, whatever follows.
	for k := strings.Index(text, "]("); k >= 0; {
		for j := k - 1; j >= 0 && text[j] != '\n' && text[j] != ']'; j-- {
			if text[j] == '[' {
				t.Fatalf("accepted a Markdown link in %q", text)
			}
		}
		next := strings.Index(text[k+2:], "](")
		if next < 0 {
			break
		}
		k += 2 + next
	}
	for _, r := range text {
		if r == '\n' && allowBreaks {
			continue
		}
		if unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			t.Fatalf("accepted control character %U in %q", r, text)
		}
	}
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// entityAt returns the first HTML character reference in s: "&name;",
// "&#123;" or "&#x1F;", with the lengths real references have.
func entityAt(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		j := i + 1
		switch {
		case j < len(s) && s[j] == '#':
			j++
			hex := j < len(s) && (s[j] == 'x' || s[j] == 'X')
			if hex {
				j++
			}
			start := j
			for j < len(s) && j-start < 8 && (s[j] >= '0' && s[j] <= '9' || hex && strings.IndexByte("abcdefABCDEF", s[j]) >= 0) {
				j++
			}
			if j > start && j < len(s) && s[j] == ';' {
				return s[i : j+1]
			}
		case j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z'):
			for j < len(s) && j-i <= 32 && isASCIIAlnum(s[j]) {
				j++
			}
			if j < len(s) && s[j] == ';' {
				return s[i : j+1]
			}
		}
	}
	return ""
}

func FuzzValidateCopy(f *testing.F) {
	for _, s := range []string{
		"Plan every client project in one place",
		"<b>bold</b>", "< b>", "<3 you", "a<b", "</", "<!doctype html>", "<?xml?>",
		"&amp;", "&#x3c;", "&#60", "&lt", "Tom & Jerry;",
		"**x**", "`code`", "[x](y)", "[x]", "# h", "#1",
		"https://a.b", "HTTPS://A.B", "www.example.com", "javascript:alert(1)", "://",
		"line\nbreak", "tab\there", "\u202eevil", "\x00", "\xff\xfe",
		strings.Repeat("é", 200), "   ", "0jAvAsCript:0",
		// Characters as people count them: emoji of several code points,
		// letters typed with combining marks, and stacks of marks.
		strings.Repeat("👨‍👩‍👧‍👦", 60), strings.Repeat("🇩🇪", 61), "Gro\u0308ße", "a" + strings.Repeat("\u0301", 3000),
	} {
		f.Add(s, 60, "free", true)
		f.Add(s, 5, "", false)
	}
	f.Fuzz(func(t *testing.T, text string, maxLen int, banned string, breaks bool) {
		maxLen %= 500
		r := Rules{MaxLength: maxLen, MustNotSay: []string{banned}, AllowLineBreaks: breaks, Control: "Project management for busy teams"}
		err := ValidateCopy(text, r)
		if err == nil {
			limit := maxLen
			if limit <= 0 {
				limit = MaxMaxLength
			}
			assertPlain(t, text, limit, breaks)
			if containsPhrase(text, banned) {
				t.Fatalf("accepted banned %q in %q", banned, text)
			}
			return
		}
		var ce *CopyError
		if !errors.As(err, &ce) || ce.Message == "" || ce.Rule == "" {
			t.Fatalf("error is not a complete *CopyError: %#v", err)
		}
	})
}
