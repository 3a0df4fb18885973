package experiments_test

import (
	"testing"

	"copylab/experiments"
)

func TestPageShownWritesLettersAsLetters(t *testing.T) {
	cases := []struct{ typed, shown string }{
		{"/料金*", "/料金*"},
		{"/über-uns", "/über-uns"},
		{"/café?ref=Ü", "/café?ref=Ü"},
		{"https://example.com/%E6%96%99%E9%87%91?q=%E6%96%99", "/料金?q=%E6%96%99"}, // the query stays as spelled
		{"/a%2Fb%20c", "/a%2Fb%20c"},     // ASCII escapes are the person's
		{"/caf%c3%a9", "/caf%c3%a9"},     // lower case: typed so, kept so
		{"/x%E6%96", "/x%E6%96"},         // half a letter
		{"/a%E3%80%80b", "/a%E3%80%80b"}, // U+3000 is a space: refused unescaped
		{"/a%E2%80%AEb", "/a%E2%80%AEb"}, // U+202E overrides direction
		{"/%FF%C3%A9", "/%FFé"},          // a broken byte before a letter
		{"/👨‍👩‍👧‍👦", "/👨‍👩‍👧‍👦"},
		{"*", "*"},
	}
	for _, c := range cases {
		stored := experiments.NormalizePage(c.typed)
		if got := experiments.PageShown(stored); got != c.shown {
			t.Errorf("PageShown(%q) (typed %q) = %q, want %q", stored, c.typed, got, c.shown)
		}
	}
}

// FuzzPageShownSavesBack checks that a stored pattern, shown and typed
// again (the edit form's round trip), is stored as it was.
func FuzzPageShownSavesBack(f *testing.F) {
	for _, s := range []string{"/料金*", "/caf%C3%A9", "/a%E3%80%80b", "/%FF%C3%A9?x=%E6", "https://x.test/%E2%80%AE", "/a%2F%C3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		stored := experiments.NormalizePage(typed)
		if experiments.PageError(stored) != "" {
			return
		}
		shown := experiments.PageShown(stored)
		if again := experiments.NormalizePage(shown); again != stored {
			t.Fatalf("typed %q, stored %q, shown %q, saved back as %q", typed, stored, shown, again)
		}
		if experiments.PageError(shown) != "" {
			t.Fatalf("shown %q (of %q) is refused: %s", shown, stored, experiments.PageError(shown))
		}
	})
}
