package variants

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestH4OfflineShorterKeepsTheName presses Shorter on every draft of
// several briefs that name a product, again and again as a marketer
// might. A draft that names the product keeps the name when it is
// shortened, whenever a shorter line that names it fits the limits: "See
// why people choose Leeds Bikes" became "See why people choose us", and
// "Is Leeds Bikes right for you?" "Ready to start?", which no longer say
// what is on offer. A press that cannot shorten says so; a brief without
// a product is shortened as before.
func TestH4OfflineShorterKeepsTheName(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		brief Brief
		none  bool // the templates have no shorter line that names the product: presses refuse
	}{
		{"a headline", Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road", N: 10}, false},
		{"a headline with an audience", Brief{Product: "Acme Boards, a kanban tool", Audience: "small agency owners", Goal: "Get visitors to start a free trial", CurrentCopy: "Project management for busy teams", N: 10}, false},
		{"a headline for a demo", Brief{Product: "Northwind Payroll", Audience: "accountants", Goal: "Get visitors to book a demo", CurrentCopy: "Payroll made simple", N: 10}, false},
		{"a button", Brief{Product: "Leeds Bikes", Goal: "Get visitors to book a test ride", CurrentCopy: "Book a test ride", ElementKind: "button", N: 8}, true},
		{"a paragraph", Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Every bike we sell is built and checked by hand in our Leeds workshop, and comes with a free first service.", ElementKind: "paragraph", N: 8}, false},
		{"a tight limit", Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road", MaxLength: 30, N: 6}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := g.Generate(ctx, tt.brief)
			if err != nil {
				t.Fatal(err)
			}
			product := digest(tt.brief.Normalize()).slots["P"]
			texts := variantTexts(res.Variants)
			pressed := 0
			for i := range texts {
				others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
				current := texts[i]
				for press := 1; press <= 6 && containsPhrase(current, product); press++ {
					c, err := g.Regenerate(ctx, tt.brief, others, current, InstructionShorter)
					if err != nil {
						var e *Error
						if !errors.As(err, &e) || !strings.Contains(e.Message, "by hand") {
							t.Errorf("shorter of %q: %v", current, err)
						}
						break
					}
					pressed++
					if !containsPhrase(c.Text, product) {
						t.Errorf("shorter of %q is %q (%s), without “%s”", current, c.Text, c.Angle, product)
					}
					if utf8.RuneCountInString(c.Text) >= utf8.RuneCountInString(current) {
						t.Errorf("shorter of %q is %q, not shorter", current, c.Text)
					}
					if ValidateCopy(c.Text, tt.brief.Normalize().Rules().WithOthers(others...)) != nil {
						t.Errorf("shorter of %q is %q, which breaks the brief", current, c.Text)
					}
					current = c.Text
				}
			}
			if pressed == 0 && !tt.none {
				t.Errorf("no draft naming %q was shortened: %q", product, texts)
			}
		})
	}

	// The reviewer's case says why the draft is kept.
	b := Brief{Product: "Leeds Bikes", Goal: "Get visitors to buy a bike", CurrentCopy: "Bikes for every road", N: 3}
	const question = "Is Leeds Bikes right for you?"
	_, err := g.Regenerate(ctx, b, nil, question, InstructionShorter)
	if e := (*Error)(nil); !errors.As(err, &e) || e.Code != CodeOfflineNoFit ||
		e.Message != "The offline generator could not shorten this draft without leaving out “Leeds Bikes”, so the draft is unchanged; shorten it by hand." {
		t.Errorf("shorter of %q: %v", question, err)
	}

	// A draft edited past the brief's length is brought under it, with
	// the name if a line that fits has it, else without.
	b.MaxLength = 30
	for _, current := range []string{"See why so many people choose Leeds Bikes", "Is Leeds Bikes the right bike shop for you?"} {
		c, err := g.Regenerate(ctx, b, nil, current, InstructionShorter)
		if err != nil || utf8.RuneCountInString(c.Text) > 30 {
			t.Errorf("shorter of %q, over the limit: %q, %v", current, c.Text, err)
		}
	}

	// A brief with no product has no name to keep.
	b = Brief{Audience: "new riders", Goal: "Get visitors to book a fitting", CurrentCopy: "Find a bike that fits you", N: 5}
	res, err := g.Generate(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	shortened := 0
	for i, current := range texts {
		others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
		if _, err := g.Regenerate(ctx, b, others, current, InstructionShorter); err == nil {
			shortened++
		}
	}
	if shortened == 0 {
		t.Errorf("no draft of a brief without a product was shortened: %q", texts)
	}
}
