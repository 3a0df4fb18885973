// Package chars counts and compares text the way the people who read it
// do. A limit stated in characters ("at most 1,000 characters") counts
// what a reader sees as one character: a family emoji (7 code points), a
// flag (2) and an "ö" typed as o and a combining mark (2) are one each.
// Unicode calls these grapheme clusters (UAX #29); the drafting page's
// counter counts the same with Intl.Segmenter (static/js/generate.js).
//
// Two texts that differ only in how their letters are encoded (NFC "ö"
// and NFD "o" + U+0308) look the same on a page, so they are the same
// text when copylab asks whether copy repeats other copy (Same). What is
// stored and sent to the tag stays as typed: the tag sets the exact text,
// and an original must match the page as it is.
//
// It is its own package, with no copylab imports, so that experiments
// (the store's limits) and variants (a brief's limits, the model's
// drafts) count with the one function without depending on each other.
package chars

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// BytesEach is how many bytes of UTF-8 a limit in characters allows for
// each of them, so that text within its count stays bounded in storage:
// one character may carry any number of combining marks (Zalgo text).
// 40 holds the longest emoji (a kiss of two people with skin tones is 35
// bytes; a family is 25), so text meets this cap before its count only
// when its letters carry stacks of marks.
const BytesEach = 40

// Count is how many characters s holds as a person counts them: its
// extended grapheme clusters. Broken UTF-8 counts a character a byte.
func Count(s string) int {
	return uniseg.GraphemeClusterCount(s)
}

// Cut is the first n characters of s (Count's), never part of one: a
// family emoji is kept whole or left out.
func Cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	rest, state, end := s, -1, 0
	for k := 0; k < n && rest != ""; k++ {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		end += len(cluster)
	}
	return s[:end]
}

// Same reports whether a and b are the same text once both are in
// Unicode's composed form (NFC): "Größe" typed with "ö" and with "o" and
// a combining diaeresis is the same text.
func Same(a, b string) bool {
	return a == b || norm.NFC.String(a) == norm.NFC.String(b)
}

// Key is s in Unicode's composed form (NFC), for a map whose keys must
// be equal when their texts are Same. It is for comparing only: store
// and send the text as typed.
func Key(s string) string {
	return norm.NFC.String(s)
}

// Invisible tells whether r is a character that shows nothing yet
// can change how the text around it reads or hide text in it: the bidi
// embeddings, overrides and isolates, the zero-width space, the word
// joiner, the byte-order mark, the tag characters, and the line and
// paragraph separators. The joiners (U+200C, U+200D, which emoji and some
// scripts need), the left-to-right and right-to-left marks and the soft
// hyphen stay allowed.
func Invisible(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200B || r == 0x2060 ||
		r == 0xFEFF || r >= 0xE0000 && r <= 0xE007F || r == 0x2028 || r == 0x2029
}

// FirstInvisible is the first invisible formatting character of s
// (Invisible), the tag characters of a subdivision flag's emoji
// left out: 🏴, two to seven tag letters or digits and the cancel tag
// draw England's, Scotland's or Wales's flag. Anywhere else tag
// characters are refused: they would hide words from the person reading
// the copy, though not from a model reading it.
func FirstInvisible(s string) (rune, bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == 0x1F3F4 {
			i += flagTags(s[i:])
		} else if Invisible(r) {
			return r, true
		}
	}
	return 0, false
}

// flagTags is the length in bytes of the flag's tags at the start of s
// (after a 🏴), or 0 when they are not a whole, short one.
func flagTags(s string) int {
	letters := 0
	for n := 0; n < len(s); {
		r, size := utf8.DecodeRuneInString(s[n:])
		n += size
		switch {
		case r == 0xE007F && letters >= 2:
			return n
		case (r >= 0xE0030 && r <= 0xE0039 || r >= 0xE0061 && r <= 0xE007A) && letters < 7:
			letters++
		default:
			return 0
		}
	}
	return 0
}
