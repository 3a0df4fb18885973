package app

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH2SearchFindsWhatPeopleType: the experiments list's search and
// GET /api/v1/experiments?q= find what a person types in any language. A
// page outside ASCII is stored percent-encoded (/料金* as
// /%E6%96%99%E9%87%91*), and ?q=料金 found nothing; it now matches the
// page as the list shows it, and the stored escapes still find it. Case
// was lowercasing, so GRÖSSE did not find Größe (ß's capital is SS), and
// a name typed with a combining diaeresis (NFD) did not find one stored
// with ö (NFC), or the reverse. ASCII searches still work as before.
func TestH2SearchFindsWhatPeopleType(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	shop, blog := e.site("Shop"), e.site("Blog")
	pricing, _ := experiments.ReadPage("/料金*")
	if pricing != "/%E6%96%99%E9%87%91*" {
		t.Fatalf("ReadPage stores /料金* as %q", pricing)
	}
	e.experimentOn(shop.ID, "Preise oben", pricing, heroSelector)
	e.experiment(shop.ID, "Größe der Überschrift")
	e.experiment(blog.ID, "Schöne Grüße")      // ö and ü precomposed (NFC)
	e.experiment(blog.ID, "Scho\u0308ner Tag") // o + combining diaeresis (NFD)
	e.experimentOn(blog.ID, "Hero copy", "/blog/*", `[data-copylab="b"]`)

	for _, tt := range []struct {
		name, q string
		want    []string // newest first
	}{
		{"page as read", "料金", []string{"Preise oben"}},
		{"page as read, with a star", "/料金*", []string{"Preise oben"}},
		{"page as stored", "%E6%96%99", []string{"Preise oben"}},
		{"page as stored, lower-case escapes", "/%e6%96%99%e9%87%91", []string{"Preise oben"}},
		{"ß in capitals", "GRÖSSE", []string{"Größe der Überschrift"}},
		{"capital ẞ", "GRÜẞE", []string{"Schöne Grüße"}},
		{"NFD query, NFC name", "scho\u0308ne gru\u0308", []string{"Schöne Grüße"}},
		{"NFC query, NFD name", "SCHÖNER", []string{"Scho\u0308ner Tag"}},
		{"both forms", "schön", []string{"Scho\u0308ner Tag", "Schöne Grüße"}},
		{"full-width letters", "ＨＥＲＯ ｃｏｐｙ", []string{"Hero copy"}},
		{"ASCII name", "HERO", []string{"Hero copy"}},
		{"ASCII page and site", "/blog BLOG", []string{"Hero copy"}},
		{"ASCII words of two", "blog hero", []string{"Hero copy"}},
		{"ss finds ß", "ss", []string{"Schöne Grüße", "Größe der Überschrift"}},
		{"no match", "kilo", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := c.get("/experiments?q=" + url.QueryEscape(tt.q))
			var got []string
			for _, part := range strings.Split(body, `class="list-name"><a href="/experiments/`)[1:] {
				_, name, _ := strings.Cut(part, `">`)
				name, _, _ = strings.Cut(name, "</a>")
				got = append(got, name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("/experiments?q=%s lists %q, want %q", tt.q, got, tt.want)
			}
			got, _ = apiList(t, e, tok, "/api/v1/experiments?q="+url.QueryEscape(tt.q))
			if !slices.Equal(got, tt.want) {
				t.Errorf("/api/v1/experiments?q=%s lists %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}
