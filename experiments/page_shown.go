package experiments

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"copylab/experiments/chars"
)

// PageShown is a stored page pattern as a person reads it: the path's
// letters outside ASCII are written as letters (/料金*, /über-uns), not as
// the percent escapes the tag compares with location.pathname
// (/%E6%96%99%E9%87%91*). It is for showing, searching and the edit form:
// ReadPage escapes a typed path again, so a pattern shown and saved back
// is the stored one, byte for byte.
//
// Only escapes ReadPage writes are undone: upper-case %XX runs of bytes
// 0x80 and above that spell valid UTF-8, each letter neither a space nor
// an invisible character (which PageError would refuse once unescaped).
// Escapes of ASCII (%2F, %25, %20), lower-case ones and broken UTF-8 stay
// as written, and so does the query, which the tag compares as spelled.
func PageShown(pattern string) string {
	path, query, hasQuery := strings.Cut(pattern, "?")
	if !strings.Contains(path, "%") {
		return pattern
	}
	var b strings.Builder
	for i := 0; i < len(path); {
		run, n := escapedRun(path[i:])
		if n == 0 {
			b.WriteByte(path[i])
			i++
			continue
		}
		b.WriteString(shownRun(run, path[i:i+n]))
		i += n
	}
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(query)
	}
	return b.String()
}

// escapedRun reads the upper-case %XX escapes of bytes 0x80 and above at
// the start of s: their bytes, and how much of s they took (0 for none).
func escapedRun(s string) ([]byte, int) {
	var run []byte
	n := 0
	for len(s)-n >= 3 && s[n] == '%' {
		hi, ok1 := upperHex(s[n+1])
		lo, ok2 := upperHex(s[n+2])
		if !ok1 || !ok2 || hi < 8 {
			break
		}
		run = append(run, hi<<4|lo)
		n += 3
	}
	return run, n
}

// upperHex is the value of an upper-case hex digit, as ReadPage writes
// them.
func upperHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// shownRun writes the letters a run of escaped bytes spells, each one
// that does not spell a showable letter kept as its escapes (raw).
func shownRun(run []byte, raw string) string {
	var b strings.Builder
	for i := 0; i < len(run); {
		r, size := utf8.DecodeRune(run[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || chars.Invisible(r) {
			// A byte that starts no letter shown: kept escaped, and the
			// next byte tried on its own.
			b.WriteString(raw[3*i : 3*i+3])
			i++
			continue
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}
