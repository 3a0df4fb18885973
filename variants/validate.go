package variants

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"copylab/experiments/chars"
)

// Rules are the checks a piece of copy must pass before it can become a
// variant. Brief.Rules derives them from a brief; the app can use the same
// rules for copy a person types, so model, offline and human copy meet one
// standard.
type Rules struct {
	// MaxLength is the most characters the copy may have, as a reader
	// counts them (chars.Count); zero or less means no limit beyond
	// MaxMaxLength.
	MaxLength int
	// MustSay items must each appear, case-insensitively and as whole words.
	MustSay []string
	// MustNotSay items must not appear, case-insensitively and as whole
	// words, so banning "free" does not ban "freedom".
	MustNotSay []string
	// AllowedURLs are the only links the copy may contain; Brief.Rules
	// fills it with the links found in the must-say list.
	AllowedURLs []string
	// AllowLineBreaks permits "\n", for paragraphs.
	AllowLineBreaks bool
	// Control is the page's current copy; a variant must differ from it.
	// Leave it empty when validating the control itself.
	Control string
	// Others are the other variants' texts, which new copy must differ from.
	Others []string
}

// WithOthers returns a copy of the rules that also requires the copy to
// differ from texts. The receiver's slice is never shared, so callers can
// build rules up in a loop.
func (r Rules) WithOthers(texts ...string) Rules {
	others := make([]string, 0, len(r.Others)+len(texts))
	others = append(others, r.Others...)
	r.Others = append(others, texts...)
	return r
}

// The rules a CopyError can name. The app may map them to form hints.
const (
	RuleEmpty          = "empty"
	RuleEncoding       = "encoding"
	RuleControlChars   = "control_characters"
	RuleMarkup         = "markup"
	RuleURL            = "url"
	RuleTooLong        = "too_long"
	RuleBanned         = "banned"
	RuleMissingMustSay = "missing_must_say"
	RuleSameAsControl  = "same_as_control"
	RuleDuplicate      = "duplicate"
)

// CopyError says why a piece of copy was rejected. Message is a sentence a
// marketer can read; the same sentence becomes Dropped.Reason.
type CopyError struct {
	Rule    string
	Message string
	// Item is the list item the copy breaks, as the brief has it: the
	// must-not-say item it uses (RuleBanned), or the must-say item it
	// leaves out (RuleMissingMustSay); "" for the other rules.
	Item string
}

func (e *CopyError) Error() string { return e.Message }

func copyErr(rule, format string, args ...any) *CopyError {
	return &CopyError{Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// ValidateCopy reports the first rule text breaks, or nil. Copy is plain
// text end to end (the snippet sets it with textContent), so anything that
// looks like markup is refused rather than escaped: a "<b>" that shows up
// literally on a live page is a bug, whoever wrote it.
//
// The returned error, when not nil, is a *CopyError.
func ValidateCopy(text string, r Rules) error {
	if !utf8.ValidString(text) {
		return copyErr(RuleEncoding, "It contains bytes that are not valid text.")
	}
	if strings.TrimSpace(text) == "" {
		return copyErr(RuleEmpty, "It is empty.")
	}
	if reason := invisibleReason(text, r.AllowLineBreaks); reason != "" {
		return copyErr(RuleControlChars, "It %s.", reason)
	}
	if reason := markupReasonAllowURL(text); reason != "" {
		return copyErr(RuleMarkup, "It is not plain text: %s", reason)
	}
	for _, u := range findURLs(text) {
		if !urlAllowed(u, r.AllowedURLs) {
			return copyErr(RuleURL, "It contains a link (“%s”); links only belong in copy when the must-say list has them.", clip(u, 40))
		}
	}
	max := r.MaxLength
	if max <= 0 {
		max = MaxMaxLength
	}
	if n := chars.Count(text); n > max {
		return copyErr(RuleTooLong, "It is %d characters long; the limit is %d.", n, max)
	}
	if len(text) > chars.BytesEach*max {
		return copyErr(RuleTooLong, "It takes %s bytes, more than the %s copylab keeps for %d characters: remove the marks stacked on its letters.",
			thousands(len(text)), thousands(chars.BytesEach*max), max)
	}
	for _, banned := range r.MustNotSay {
		if containsPhrase(text, banned) {
			e := copyErr(RuleBanned, "It uses “%s”, which is on the must-not-say list.", banned)
			e.Item = banned
			return e
		}
	}
	for _, must := range r.MustSay {
		if !containsPhrase(text, must) {
			e := copyErr(RuleMissingMustSay, "It leaves out “%s”, which every draft must include.", must)
			e.Item = must
			return e
		}
	}
	if r.Control != "" && similar(text, r.Control) {
		return copyErr(RuleSameAsControl, "It is the same as the current copy, or nearly so.")
	}
	for _, o := range r.Others {
		if similar(text, o) {
			return copyErr(RuleDuplicate, "It is too close to another draft or variant (“%s”).", clip(o, 60))
		}
	}
	return nil
}

// invisibleReason finds characters a reader cannot see but a browser acts
// on: control characters, and the bidirectional overrides and zero-width
// characters used to disguise text.
func invisibleReason(s string, allowBreaks bool) string {
	for _, r := range s {
		switch {
		case r == '\n' && allowBreaks:
		case r == utf8.RuneError:
			return "contains a broken character (�)"
		case unicode.IsControl(r):
			if r == '\n' || r == '\r' {
				return "contains a line break, which this element cannot show"
			}
			return fmt.Sprintf("contains an invisible control character (U+%04X)", r)
		}
	}
	if r, ok := chars.FirstInvisible(s); ok { // as experiments.CopyError
		return fmt.Sprintf("contains an invisible formatting character (U+%04X)", r)
	}
	return ""
}

var (
	// An HTML tag starts with "<" and a letter, "/", "!" (comments,
	// doctype) or "?" (processing instructions). "a < b" and "<3" stay legal.
	htmlTagRe = regexp.MustCompile(`<[a-zA-Z/!?][^<>]{0,40}>?`)
	// Named, decimal and hex character references, with the semicolon.
	htmlEntityRe = regexp.MustCompile(`&(?:[a-zA-Z][a-zA-Z0-9]{0,31}|#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8});`)
	// The opening of a Markdown link or image, "[text](": enough to know
	// the model wrote Markdown, whatever follows.
	mdLinkRe     = regexp.MustCompile(`\[[^\]\n]*\]\(`)
	mdHeadingRe  = regexp.MustCompile(`(?m)^[ \t]*#{1,6}[ \t]`)
	mdEmphasisRe = regexp.MustCompile("\\*\\*|__|~~|`")
	// Anything with "://", "www." hosts, and the schemes that run or send
	// things. Bare domains ("Booking.com") are names, not links, and pass.
	urlRe = regexp.MustCompile(`(?i)[a-z0-9+.\-]*://[^\s<>"]*|\bwww\.[^\s<>"]+|\b(?:javascript|vbscript|mailto|data):[^\s<>"]+`)
)

// markupReason explains why s is not plain text (HTML, Markdown or a
// link), or returns "".
func markupReason(s string) string {
	if reason := markupReasonAllowURL(s); reason != "" {
		return reason
	}
	if u := findURLs(s); len(u) > 0 {
		return fmt.Sprintf("it contains a link (“%s”).", clip(u[0], 40))
	}
	return ""
}

// markupReasonAllowURL is markupReason without the link check, for text
// that may carry a link the brief asked for.
func markupReasonAllowURL(s string) string {
	if m := htmlTagRe.FindString(s); m != "" {
		return fmt.Sprintf("it contains an HTML tag (“%s”).", clip(m, 30))
	}
	if m := htmlEntityRe.FindString(s); m != "" {
		return fmt.Sprintf("it contains an HTML entity (“%s”).", m)
	}
	if m := mdLinkRe.FindString(s); m != "" {
		return fmt.Sprintf("it contains a Markdown link (“%s”).", clip(m, 30))
	}
	if mdHeadingRe.MatchString(s) {
		return "it starts a line with a Markdown heading (“#”)."
	}
	if m := mdEmphasisRe.FindString(s); m != "" {
		return fmt.Sprintf("it contains Markdown formatting (“%s”).", m)
	}
	return ""
}

// findURLs returns the links in s, without trailing sentence punctuation.
func findURLs(s string) []string {
	var out []string
	for _, m := range urlRe.FindAllString(s, -1) {
		m = strings.TrimRight(m, ".,;:!?)]}'’”")
		if m != "" {
			out = append(out, m)
		}
	}
	return out
}

func urlAllowed(u string, allowed []string) bool {
	norm := func(s string) string { return strings.TrimRight(strings.ToLower(s), "/") }
	for _, a := range allowed {
		if norm(a) == norm(u) {
			return true
		}
	}
	return false
}

// phraseRunes folds s for phrase matching: composed (NFC), lower case,
// every run of whitespace or dashes becomes one space, and curly
// apostrophes become straight ones, so "Best-in-class" matches "best in
// class", "don’t" matches "don't", and "Größe" matches itself typed with
// a combining diaeresis.
func phraseRunes(s string) []rune {
	out := make([]rune, 0, len(s))
	space := true // drops leading spaces
	for _, r := range chars.Key(s) {
		switch {
		case unicode.IsSpace(r) || r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—':
			if !space {
				out = append(out, ' ')
				space = true
			}
			continue
		case r == '’' || r == '‘':
			r = '\''
		default:
			r = unicode.ToLower(r)
		}
		out = append(out, r)
		space = false
	}
	if n := len(out); n > 0 && out[n-1] == ' ' {
		out = out[:n-1]
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// containsPhrase reports whether phrase occurs in text as whole words:
// where the phrase starts or ends with a letter or digit, the neighbouring
// character in text must not be one.
func containsPhrase(text, phrase string) bool {
	p := phraseRunes(phrase)
	if len(p) == 0 {
		return false
	}
	t := phraseRunes(text)
	wordStart, wordEnd := isWordRune(p[0]), isWordRune(p[len(p)-1])
	for i := 0; i+len(p) <= len(t); i++ {
		if !runesEqual(t[i:i+len(p)], p) {
			continue
		}
		if wordStart && i > 0 && isWordRune(t[i-1]) {
			continue
		}
		if end := i + len(p); wordEnd && end < len(t) && isWordRune(t[end]) {
			continue
		}
		return true
	}
	return false
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Near-duplicate thresholds. Two texts are the same variant when they
// share at least 80% of their words (so reordering or one added word in a
// long line does not count as new) or when their letters differ by at most
// one edit in ten (typos, plurals). "Start your trial" and "Start your
// free trial" stay distinct: 3 of 4 words.
const (
	jaccardThreshold  = 0.8
	editThreshold     = 0.1
	maxEditCompareLen = 300 // runes; edit distance is quadratic
)

// Similar reports whether a and b are the same copy for an A/B test, by
// the rule the drafts of one answer are held to (see similar): callers
// use it against copy the experiment already has.
func Similar(a, b string) bool { return similar(a, b) }

// SameWords reports whether a and b have the same words in the same
// order once case, punctuation and spacing are set aside: "Kanban boards
// for busy teams." and "kanban  boards for BUSY teams" do. Every such pair
// is Similar too; this says which kind of sameness to name.
func SameWords(a, b string) bool {
	return strings.Join(tokens(a), "") == strings.Join(tokens(b), "")
}

// similar reports whether a and b are the same copy for an A/B test:
// equal once case, punctuation and spacing are ignored, or close by word
// overlap or edit distance.
func similar(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	ja, jb := strings.Join(ta, ""), strings.Join(tb, "")
	if ja == jb {
		return true
	}
	if len(ta) > 0 && len(tb) > 0 && jaccard(ta, tb) >= jaccardThreshold {
		return true
	}
	ra, rb := []rune(ja), []rune(jb)
	if len(ra) <= maxEditCompareLen && len(rb) <= maxEditCompareLen {
		longest := max(len(ra), len(rb))
		if longest > 0 && float64(EditDistance(ra, rb))/float64(longest) <= editThreshold {
			return true
		}
	}
	return false
}

// tokens splits s into lower-case words of letters, digits and marks,
// composed (NFC): "Größe" is one word however its "ö" was typed, so copy
// that differs only so is the same copy (chars.Same).
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(chars.Key(s)), func(r rune) bool { return !isWordRune(r) })
}

func jaccard(a, b []string) float64 {
	set := make(map[string]int, len(a)+len(b))
	for _, t := range a {
		set[t] |= 1
	}
	for _, t := range b {
		set[t] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(set))
}

// EditDistance is the Levenshtein distance between a and b: how many
// elements to insert, delete or replace to make one the other. It is
// generic so that the one copy serves texts (runes, for the similarity
// of drafts) and the command line (its suggestions for a mistyped flag).
func EditDistance[T comparable](a, b []T) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// collapseSpace trims s and turns every run of whitespace into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most n characters (chars.Count), marking the
// cut with "…"; a character is never cut in two.
func clip(s string, n int) string {
	if chars.Count(s) <= n {
		return s
	}
	return strings.TrimSpace(chars.Cut(s, max(n-1, 0))) + "…"
}

// bytesSentence says that label (a field's name, "The goal") takes n
// bytes, more than the chars.BytesEach a character its limit of max
// characters allows.
func bytesSentence(label string, n, max int) string {
	// The label as the object of "Keep", as the length sentences have it:
	// a verb after it would not agree with "The brand voice notes".
	return fmt.Sprintf("Keep %s to at most %s bytes (this is %s): copylab keeps %d bytes a character, so remove the marks stacked on the letters.",
		lowerFirst(label), thousands(chars.BytesEach*max), thousands(n), chars.BytesEach)
}

// thousands writes n with a comma between thousands: 41,640.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
