package experiments

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// FuzzSearchMatches feeds the lists' search (?q= on /experiments and
// GET /api/v1/experiments, run by SQLite on every experiment the list
// scans) whatever a person or a client may type, and whatever a name or a
// page may hold: it never panics, Fold writes valid UTF-8, folding twice
// changes nothing and it folds as Unicode's canonical caseless match
// does, every experiment finds itself by its name, its
// page as stored or as shown, and its site, and in ASCII the search is the
// lower-casing one it was before.
func FuzzSearchMatches(f *testing.F) {
	for _, seed := range [][4]string{
		{"Größe der Überschrift", "/料金*", "Shop", "GRÖSSE 料金"},
		{"Scho\u0308ner Tag", "/%E6%96%99%E9%87%91*", "Blog", "schöner %e6%96%99"},
		{"Hero test 3", "/pricing/3", "Shop", "hero pricing/3"},
		{"\xff\xfe broken", "/%FF%E6%96", "\xc3", "\xff \xc3\x28 \xe2\x82"},
		{"a" + strings.Repeat("\u0301", 300), "/" + strings.Repeat("\u0345\u0301", 50), "x", "A" + strings.Repeat("\u0301", 40)},
		{strings.Repeat("\u0308", 100), "/x", "ΣΊΣΥΦΟΣ", "σίσυφος ς"},
		{"ᾳ\u0301 İstanbul ǰ ﬁ ŉ", "/K", "ẞ", "ΑΙ\u0301 i\u0307stanbul j\u030c fi ʼn k ss"},
		{"Ｐｒｉｃｉｎｇ ２０２６ ｶﾞｲﾄﾞ", "/ﾌﾟﾗﾝ", "Ｓｈｏｐ", "pricing 2026 ガイド プラン shop"},
		{"", "", "", ""},
		{"\x00\n\t", "*", "\u200b\u00a0", "\u0085 \u3000 \u00a0"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, name, page, site, q string) {
		if strings.Contains(page, "\n") {
			t.Skip("a page pattern holds no line break (PageError)")
		}
		words := searchWords(q)
		got := searchMatches(words, page+"\n"+name+"\n"+site)
		for _, s := range []string{name, page, site, q} {
			folded := Fold(s)
			if !utf8.ValidString(folded) {
				t.Fatalf("Fold(%q) = %q, not UTF-8", s, folded)
			}
			if again := Fold(folded); again != folded {
				t.Fatalf("Fold(%q) = %q, folded again %q", s, folded, again)
			}
			// Unicode's canonical caseless match, as D145 writes it,
			// of the text with its width folded.
			valid := strings.ToValidUTF8(s, "\uFFFD")
			if ref := norm.NFC.String(cases.Fold().String(width.Fold.String(norm.NFD.String(valid)))); folded != ref {
				t.Fatalf("Fold(%q) = %q, want %q (NFD, width, fold, NFC)", s, folded, ref)
			}
		}
		for _, own := range []string{name, page, PageShown(page), site, name + " " + site} {
			if !searchMatches(searchWords(own), page+"\n"+name+"\n"+site) {
				t.Fatalf("%q does not find its own experiment (%q, %q, %q)", own, name, page, site)
			}
		}
		if isASCII(name+page+site+q) && !strings.Contains(page, "%") {
			hay := strings.ToLower(name + "\n" + page + "\n" + site)
			want := true
			for _, w := range strings.Fields(strings.ToLower(q)) {
				want = want && strings.Contains(hay, w)
			}
			if got != want {
				t.Fatalf("ASCII search %q in (%q, %q, %q): %v, lower-casing says %v", q, name, page, site, got, want)
			}
		}
	})
}
