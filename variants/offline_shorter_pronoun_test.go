package variants

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// danglingWord is the first word of text that stands for something said
// elsewhere ("it", "this", "they" …) when text does not name product, or
// "". A shortened draft is read on its own, so such a word has nothing
// to refer to.
func danglingWord(text, product string) string {
	if product != "" && containsPhrase(text, product) {
		return ""
	}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,;:!?“”\"'‘’()")
		switch w {
		case "it", "its", "it's", "it’s", "this", "these", "they", "them", "their", "they're", "they’re":
			return w
		}
	}
	return ""
}

// TestOfflineShorterKeepsTheProductName: the reviewer's case. "See what
// Leeds Bikes can do for you", shortened offline, became "See what it can
// do for you": the product's name gave way to an "it" that nothing on the
// draft refers to, and the draft went live so. The offline generator now
// says it cannot shorten the draft, which keeps its text, rather than
// drop the name.
func TestOfflineShorterKeepsTheProductName(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	b := Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road in Yorkshire", ElementKind: "headline", N: 3}
	res, err := g.Generate(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	const current = "See what Leeds Bikes can do for you"
	if texts[0] != current {
		t.Fatalf("draft 1 is %q, want %q (the reviewer's)", texts[0], current)
	}

	c, err := g.Regenerate(ctx, b, texts[1:], current, InstructionShorter)
	var e *Error
	switch {
	case err == nil:
		t.Fatalf("shorter of %q is %q (%s), want the draft kept and a reason", current, c.Text, c.Rationale)
	case !errors.As(err, &e) || e.Code != CodeOfflineNoFit:
		t.Fatalf("shorter of %q: %v, want %s", current, err, CodeOfflineNoFit)
	}
	for _, want := range []string{"could not shorten", "Leeds Bikes", "unchanged", "by hand"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("the reason %q does not say %q", e.Message, want)
		}
	}
}

// TestOfflineShorterNoDanglingPronoun presses Shorter on every draft of
// several briefs, over and over as a marketer might, and checks that no
// answer holds an "it", "this" or "they" with nothing to refer to: one
// that names the product may, one that does not (or a brief with no
// product) may not. A press that cannot shorten says so.
func TestOfflineShorterNoDanglingPronoun(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		brief Brief
	}{
		{"a headline with a product", Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road", N: 8}},
		{"a headline with a product and an audience", Brief{Product: "Acme Boards, a kanban tool", Audience: "small agency owners", Goal: "Get visitors to start a free trial", CurrentCopy: "Project management for busy teams", N: 8}},
		{"a headline without a product", Brief{Audience: "new riders", Goal: "Get visitors to book a fitting", CurrentCopy: "Find a bike that fits you", N: 8}},
		{"a button with a product", Brief{Product: "Leeds Bikes", Goal: "Get visitors to book a test ride", CurrentCopy: "Book a test ride", ElementKind: "button", N: 6}},
		{"a paragraph with a product", Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Every bike we sell is built and checked by hand in our Leeds workshop, and comes with a free first service.", ElementKind: "paragraph", N: 6}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := g.Generate(ctx, tt.brief)
			if err != nil {
				t.Fatal(err)
			}
			product := digest(tt.brief.Normalize()).slots["P"]
			texts := variantTexts(res.Variants)
			for i := range texts {
				others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
				current := texts[i]
				for press := 1; press <= 10; press++ {
					c, err := g.Regenerate(ctx, tt.brief, others, current, InstructionShorter)
					if err != nil {
						var e *Error
						if !errors.As(err, &e) || !strings.Contains(e.Message, "by hand") {
							t.Errorf("shorter of %q: %v", current, err)
						}
						break
					}
					if w := danglingWord(c.Text, product); w != "" {
						t.Errorf("shorter of %q is %q: its “%s” has nothing to refer to", current, c.Text, w)
					}
					if utf8.RuneCountInString(c.Text) >= utf8.RuneCountInString(current) {
						t.Errorf("shorter of %q is %q, not shorter", current, c.Text)
					}
					current = c.Text
				}
			}
		})
	}
}

// TestOfflineShorterMustSayPronoun: an "it" in a must-say item is the
// marketer's, and neither blocks every shorter line nor lets one put
// "it" in place of the product's name elsewhere in the line.
func TestOfflineShorterMustSayPronoun(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	b := Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road",
		ElementKind: "headline", MustSay: []string{"ride it home"}, MaxLength: 90, N: 4}
	res, err := g.Generate(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	shortened := 0
	for i, current := range texts {
		others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
		c, err := g.Regenerate(ctx, b, others, current, InstructionShorter)
		if err != nil {
			continue
		}
		shortened++
		rest := strings.Replace(strings.ToLower(c.Text), "ride it home", "", 1)
		if w := danglingWord(rest, "leeds bikes"); w != "" && !strings.Contains(strings.ToLower(c.Text), "leeds bikes") {
			t.Errorf("shorter of %q is %q: its “%s” has nothing to refer to", current, c.Text, w)
		}
	}
	if shortened == 0 {
		t.Errorf("no draft of %q could be shortened: the must-say item's “it” blocked them all", texts)
	}
}
