package chars_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"copylab/experiments/chars"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name, s string
		want    int
	}{
		{"empty", "", 0},
		{"ASCII", "Buy now", 7},
		{"family emoji", "👨‍👩‍👧‍👦", 1},
		{"flag", "🇩🇪", 1},
		{"two flags", "🇩🇪🇫🇷", 2},
		{"skin tone", "👍🏽", 1},
		{"NFC ö", "\u00f6", 1},
		{"NFD ö", "o\u0308", 1},
		{"Zalgo letter", "a" + strings.Repeat("\u0301", 500), 1},
		{"CRLF", "a\r\nb", 3},
		{"Japanese", "料金プラン", 5},
		{"Hangul jamo", "\u1100\u1161\u11a8", 1},
		{"broken UTF-8", "a\xffb", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chars.Count(tt.s); got != tt.want {
				t.Errorf("Count(%+q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	family := "👨‍👩‍👧‍👦"
	tests := []struct {
		name, s string
		n       int
		want    string
	}{
		{"shorter", "abc", 5, "abc"},
		{"exact", "abc", 3, "abc"},
		{"cut", "abcdef", 2, "ab"},
		{"zero", "abc", 0, ""},
		{"negative", "abc", -1, ""},
		{"emoji kept whole", "a" + family + "b", 2, "a" + family},
		{"flag kept whole", "🇩🇪🇫🇷", 1, "🇩🇪"},
		{"mark kept with its letter", "o\u0308x", 1, "o\u0308"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chars.Cut(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("Cut(%+q, %d) = %+q, want %+q", tt.s, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Cut(%+q, %d) is not valid UTF-8", tt.s, tt.n)
			}
		})
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"equal", "Größe", "Größe", true},
		{"NFC and NFD", "Gr\u00f6\u00dfe", "Gro\u0308\u00dfe", true},
		{"precomposed Hangul and jamo", "\uac01", "\u1100\u1161\u11a8", true},
		{"case differs", "größe", "Größe", false},
		{"different letters", "Grösse", "Größe", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chars.Same(tt.a, tt.b); got != tt.want {
				t.Errorf("Same(%+q, %+q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := chars.Key(tt.a) == chars.Key(tt.b); got != tt.want {
				t.Errorf("Key(%+q) == Key(%+q) is %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
