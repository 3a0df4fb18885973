package variants

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestCopyCountsCharactersAsPeopleDo: a brief's max length counts what a
// reader sees as one character (a family emoji, a flag, a letter typed
// with a combining mark) as one, not its code points, and a text of few
// characters but many bytes (letters under stacks of marks) is refused
// by its bytes.
func TestCopyCountsCharactersAsPeopleDo(t *testing.T) {
	family, flag := "👨‍👩‍👧‍👦", "🇩🇪"
	r := Rules{MaxLength: 20}
	for _, tc := range []struct {
		name, text string
		want       string // the sentence, "" for taken
	}{
		{"emoji under the limit", "Fast " + flag + " shipping " + family, ""},
		{"20 family emoji", strings.Repeat(family, 20), ""},
		{"21 family emoji", strings.Repeat(family, 21), "It is 21 characters long; the limit is 20."},
		{"letters typed with marks", norm.NFD.String("Größe für alle Teams"), ""},
		{"stacked marks", "a" + strings.Repeat("\u0301", 400), "It takes 801 bytes, more than the 800 copylab keeps for 20 characters: remove the marks stacked on its letters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateCopy(tc.text, r)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("ValidateCopy: %q, want %q", got, tc.want)
			}
		})
	}

	b := Brief{Goal: "Start a trial", CurrentCopy: strings.Repeat(family, 30), ElementKind: "headline"}.Normalize()
	if b.MaxLength != 70 {
		t.Errorf("a headline of 30 family emoji widened the max length to %d; it fits the headline's 70", b.MaxLength)
	}
	if errs := (Brief{Goal: "Start a trial", CurrentCopy: "Buy now", MaxLength: 500, MustSay: []string{strings.Repeat(family, 200)}}).Validate(); len(errs) != 0 {
		t.Errorf("a must-say item of 200 family emoji: %v", errs)
	}
}

// TestSimilarUnderNFC: copy that differs only in how its letters are
// encoded (NFC "ö" or NFD "o" and U+0308) is the same copy, and a
// must-say or must-not-say item matches it either way.
func TestSimilarUnderNFC(t *testing.T) {
	nfc := norm.NFC.String("Die richtige Größe")
	nfd := norm.NFD.String(nfc)
	if !Similar(nfc, nfd) || !SameWords(nfc, nfd) {
		t.Errorf("Similar %v, SameWords %v, want both true", Similar(nfc, nfd), SameWords(nfc, nfd))
	}
	if err := ValidateCopy("Eine Größe für alle", Rules{Others: []string{norm.NFD.String("Eine Größe für alle")}}); err == nil || err.(*CopyError).Rule != RuleDuplicate {
		t.Errorf("a draft repeating another in NFD: %v, want %s", err, RuleDuplicate)
	}
	if err := ValidateCopy(nfd+" für Teams", Rules{MustNotSay: []string{"Größe"}}); err == nil || err.(*CopyError).Rule != RuleBanned {
		t.Errorf("a banned word typed in NFD: %v, want %s", err, RuleBanned)
	}
	if err := ValidateCopy(nfd+" für Teams", Rules{MustSay: []string{"Größe"}}); err != nil {
		t.Errorf("a must-say word typed in NFD: %v", err)
	}
}

// TestBriefBytesSentence: a brief's field of few characters but many
// bytes is refused in a sentence that reads right for a label in the
// plural ("the brand voice notes"), as its length sentence does.
func TestBriefBytesSentence(t *testing.T) {
	stacked := strings.Repeat("a"+strings.Repeat("\u0301", 40), 1000) // 1,000 characters, 81,000 bytes
	errs := (Brief{Goal: "Start a trial", CurrentCopy: "Buy now", BrandVoice: stacked}).Validate()
	want := "Keep the brand voice notes to at most 80,000 bytes (this is 81,000): copylab keeps 40 bytes a character, so remove the marks stacked on the letters."
	if len(errs) != 1 || errs[0].Field != "brand_voice" || errs[0].Message != want {
		t.Errorf("errors %v\nwant brand_voice %q", errs, want)
	}
}
