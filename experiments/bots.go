package experiments

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// Bots are told by the pattern list of isbot, the bot detector most used on
// the npm registry, whose community keeps it current with new crawlers,
// previewers, monitors and HTTP libraries. No Go crawler-detection module
// (x-way/crawlerdetect, monperrus/crawler-user-agents, avct/uasurfer) is
// served by the module proxy this project builds against, so the list is
// taken from the npm package by scripts/update-bot-patterns.sh and matched
// here. A bot that runs the snippet and claims to be a normal browser cannot
// be told by its user agent anyway: the snippet sends "bot": true when it
// sees navigator.webdriver.

//go:embed isbot_patterns.json
var isbotJSON []byte

// botPattern is one of isbot's patterns in Go's syntax. Go's regexp has no
// lookaround, and six of isbot's patterns start with a negative lookbehind
// or end with a negative lookahead: those keep them as notBefore (must not
// match the text just before a match) and notAfter (must not match the text
// just after).
type botPattern struct {
	literal             string // the pattern is this plain text, and re is nil
	re                  *regexp.Regexp
	needs               string // text every match of re contains, or ""
	notBefore, notAfter *regexp.Regexp
}

// botList is the compiled list and where it came from.
type botList struct {
	source   string // "isbot 5.2.3"
	patterns []botPattern
}

var bots = mustBotList(isbotJSON)

func mustBotList(data []byte) botList {
	l, err := parseBotList(data)
	if err != nil {
		panic(err) // the embedded list is part of the build; TestBotPatterns checks it
	}
	return l
}

func parseBotList(data []byte) (botList, error) {
	var f struct {
		Package, Version string
		Patterns         []string
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return botList{}, fmt.Errorf("experiments: bot patterns: %w", err)
	}
	l := botList{source: f.Package + " " + f.Version}
	for _, p := range f.Patterns {
		bp, err := compileBotPattern(p)
		if err != nil {
			return botList{}, fmt.Errorf("experiments: bot pattern %q: %w", p, err)
		}
		l.patterns = append(l.patterns, bp)
	}
	if len(l.patterns) == 0 {
		return botList{}, fmt.Errorf("experiments: bot patterns: the list is empty")
	}
	return l, nil
}

// compileBotPattern compiles one isbot pattern, written for JavaScript's
// RegExp with the i flag. Every letter in the list is lowercase, so it is
// matched case-sensitively against the lowercased user agent: a regexp
// with a literal prefix then runs as a substring search, which is ten times
// faster than one case-insensitive alternation of all the patterns.
func compileBotPattern(p string) (botPattern, error) {
	var before, after string
	if rest, ok := strings.CutPrefix(p, "(?<!"); ok {
		end := closingParen(rest)
		if end < 0 {
			return botPattern{}, fmt.Errorf("unbalanced lookbehind")
		}
		before, p = rest[:end], rest[end+1:]
	}
	if i := strings.LastIndex(p, "(?!"); i >= 0 && closingParen(p[i+3:]) == len(p)-i-4 {
		p, after = p[:i], p[i+3:len(p)-1]
	}
	var bp botPattern
	var err error
	if bp.re, err = regexp.Compile(p); err != nil {
		return botPattern{}, err
	}
	if lit, whole := bp.re.LiteralPrefix(); whole && before == "" && after == "" {
		// Half of the list is plain text: a substring search is cheaper
		// than even a regexp that only searches for its prefix.
		bp.literal, bp.re = lit, nil
	} else if tree, err := syntax.Parse(p, syntax.Perl); err == nil {
		// A pattern such as \bperl\b has no literal prefix, so Go's regexp
		// steps through the whole user agent; looking for "perl" first
		// skips it on nearly every browser (7 patterns were 80% of the time).
		bp.needs = requiredText(tree.Simplify())
	}
	if before != "" {
		if bp.notBefore, err = regexp.Compile("(?:" + before + ")$"); err != nil {
			return botPattern{}, err
		}
	}
	if after != "" {
		if bp.notAfter, err = regexp.Compile("^(?:" + after + ")"); err != nil {
			return botPattern{}, err
		}
	}
	return bp, nil
}

// requiredText returns the longest plain text that a match of re must
// contain (case-sensitive), or "".
func requiredText(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 {
			return string(re.Rune)
		}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredText(re.Sub[0])
	case syntax.OpConcat:
		best := ""
		for _, sub := range re.Sub {
			if t := requiredText(sub); len(t) > len(best) {
				best = t
			}
		}
		return best
	}
	return ""
}

// closingParen returns the index in s of the parenthesis that closes one
// already open, or -1; escapes and character classes are skipped.
func closingParen(s string) int {
	depth, class := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// match reports whether the pattern matches ua (lowercase) at some place
// its lookarounds allow.
func (p *botPattern) match(ua string) bool {
	if p.re == nil {
		return strings.Contains(ua, p.literal)
	}
	if p.needs != "" && !strings.Contains(ua, p.needs) {
		return false
	}
	if p.notBefore == nil && p.notAfter == nil {
		return p.re.MatchString(ua)
	}
	for _, m := range p.re.FindAllStringIndex(ua, -1) {
		if p.notBefore != nil && p.notBefore.MatchString(ua[:m[0]]) {
			continue
		}
		if p.notAfter != nil && p.notAfter.MatchString(ua[m[1]:]) {
			continue
		}
		return true
	}
	return false
}

// maxBrowserUA is the longest user agent taken for a browser's. Browsers
// and in-app webviews send a few hundred bytes; a longer one is made up,
// and scanning 13 KB of it (as the header limit allows) took 0.7 ms.
const maxBrowserUA = 1024

// IsBot reports whether a user agent belongs to a crawler, a link previewer,
// a headless or automated browser, an HTTP library or a monitor, by isbot's
// patterns. It is the default IngestOptions.BotChecker. An empty user agent
// is a bot too (isbot says no): every browser sends one; and so is one
// longer than maxBrowserUA, without a scan.
func IsBot(userAgent string) bool {
	ua := strings.TrimSpace(userAgent)
	if ua == "" || len(ua) > maxBrowserUA {
		return true
	}
	ua = strings.ToLower(ua)
	for i := range bots.patterns {
		if bots.patterns[i].match(ua) {
			return true
		}
	}
	return false
}
