package variants

import "testing"

// TestEditDistance: the one edit distance the drafts' similarity check
// and the command line's "did you mean" share, on runes and on bytes.
func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b string
		want int
	}{
		{"both empty", "", "", 0},
		{"one empty", "", "abc", 3},
		{"the same", "headline", "headline", 0},
		{"one replaced", "--adr", "--add", 1},
		{"one missing", "--llm-timout", "--llm-timeout", 1},
		{"swapped letters", "ab", "ba", 2},
		{"kitten", "kitten", "sitting", 3},
		{"accents count once", "café", "cafe", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := EditDistance([]rune(tt.a), []rune(tt.b)); got != tt.want {
				t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := EditDistance([]rune(tt.b), []rune(tt.a)); got != tt.want {
				t.Errorf("EditDistance(%q, %q) = %d, want %d (the other way round)", tt.b, tt.a, got, tt.want)
			}
		})
	}
	// Bytes are elements too: "é" is two of them.
	if got := EditDistance([]byte("café"), []byte("cafe")); got != 2 {
		t.Errorf("EditDistance of bytes %q, %q = %d, want 2", "café", "cafe", got)
	}
}
