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
