package variants

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// describedProduct is the brief of the review: a product field that
// carries a description after the name, as the form's own example does.
var describedProduct = Brief{Product: "Acme Boards, a kanban tool", Audience: "small agency owners",
	Goal: "Get visitors to start a free trial", CurrentCopy: "Project management for busy teams"}

func TestProductName(t *testing.T) {
	tests := []struct {
		name, product, want string
	}{
		{"name, then a description after a comma", "Acme Boards, a kanban tool", "Acme Boards"},
		{"a dash", "Acme Boards — kanban for agencies", "Acme Boards"},
		{"a spaced hyphen", "Notion - your connected workspace", "Notion"},
		{"a colon", "Acme: project boards", "Acme"},
		{"a parenthesis", "Acme Boards (kanban tool)", "Acme Boards"},
		{"a comma list is not a name", "Shoes, socks and laces", "shoes, socks and laces"},
		{"a description alone", "Trail running shoes", "trail running shoes"},
		{"a name with an ampersand", "Tom & Jerry's Ice Cream", "Tom & Jerry's Ice Cream"},
		{"a hyphen inside a word", "Wi-Fi Pro", "Wi-Fi Pro"},
		{"a lower-case description with a comma", "a kanban tool, for agencies", "a kanban tool, for agencies"},
		{"nothing before the comma", ", a kanban tool", ", a kanban tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := digest(Brief{Product: tt.product, Goal: "sign up", CurrentCopy: "x"}.Normalize()).slots["P"]; got != tt.want {
				t.Errorf("product %q is written %q, want %q", tt.product, got, tt.want)
			}
		})
	}
}

// TestOfflineUsesTheProductName: "See what Acme Boards, a kanban tool can
// do for small agency owners" pasted the whole field into the sentence.
func TestOfflineUsesTheProductName(t *testing.T) {
	g, _ := New(Config{})
	res, err := g.Generate(context.Background(), describedProduct)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	if len(texts) == 0 || texts[0] != "See what Acme Boards can do for small agency owners" {
		t.Errorf("first draft %q", texts)
	}
	for _, s := range texts {
		if strings.Contains(s, "kanban tool") {
			t.Errorf("%q pastes the product's description into the sentence", s)
		}
		assertReadable(t, s)
	}
}

// TestOfflineShorterKeepsTheDraft: Shorter shortens the same draft, in its
// angle, to something that still works as the element, and never claims
// limits the brief does not have.
func TestOfflineShorterKeepsTheDraft(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	res, err := g.Generate(ctx, describedProduct)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)

	c, err := g.Regenerate(ctx, describedProduct, texts[1:], texts[0], InstructionShorter)
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "See what Acme Boards can do for you" || c.Angle != res.Variants[0].Angle {
		t.Errorf("shorter of %q is %q (%s), want the same angle's shorter line", texts[0], c.Text, c.Angle)
	}

	for i, v := range res.Variants {
		others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
		c, err := g.Regenerate(ctx, describedProduct, others, v.Text, InstructionShorter)
		var e *Error
		switch {
		case errors.As(err, &e):
			if e.Code != CodeOfflineNoFit || !strings.Contains(e.Message, "by hand") || strings.Contains(e.Message, "limit") {
				t.Errorf("shorter of %q: %v", v.Text, err)
			}
			continue
		case err != nil:
			t.Fatalf("shorter of %q: %v", v.Text, err)
		}
		if c.Angle != v.Angle || utf8.RuneCountInString(c.Text) >= utf8.RuneCountInString(v.Text) {
			t.Errorf("shorter of %q (%s) is %q (%s)", v.Text, v.Angle, c.Text, c.Angle)
		}
		if len(strings.Fields(c.Text)) < 3 {
			t.Errorf("shorter of %q is %q: too short for a headline", v.Text, c.Text)
		}
		if strings.Contains(c.Rationale, "limits") {
			t.Errorf("rationale of %q claims limits the brief does not have: %s", c.Text, c.Rationale)
		}
	}

	// A button may be one word; a headline may not.
	c, err = g.Regenerate(ctx, describedProduct, nil, "Start today", InstructionShorter)
	if err == nil {
		t.Errorf("shorter of a two-word headline gave %q", c.Text)
	}
}

// loud spells a draft as someone might retype it: other case, other
// spaces. It is still the same draft.
func loud(s string) string { return " " + strings.ReplaceAll(strings.ToUpper(s), " ", "  ") + " " }

// TestOfflineRewriteNeverRepeatsADraft: whatever the button, a rewrite
// is none of the drafts on the page, however they are spelt; "different
// angle" uses another angle than the draft's; no fallback line comes
// while template lines fit; and when nothing new is left it says so.
func TestOfflineRewriteNeverRepeatsADraft(t *testing.T) {
	g, _ := New(Config{})
	ctx := context.Background()
	briefs := append([]struct {
		name  string
		brief Brief
	}{{"described product", describedProduct}}, offlineBriefs...)
	for _, tt := range briefs {
		t.Run(tt.name, func(t *testing.T) {
			res, err := g.Generate(ctx, tt.brief)
			if err != nil {
				t.Fatal(err)
			}
			texts := variantTexts(res.Variants)
			for i, v := range res.Variants {
				var others []string
				for j, o := range texts {
					if j != i {
						others = append(others, loud(o))
					}
				}
				for _, instr := range []string{"", InstructionDifferentAngle, InstructionMoreLikeThis, "mention the 14-day trial"} {
					c, err := g.Regenerate(ctx, tt.brief, others, v.Text, instr)
					var e *Error
					if errors.As(err, &e) && e.Code == CodeOfflineExhausted {
						continue
					}
					if err != nil {
						t.Fatalf("%q on %q: %v", instr, v.Text, err)
					}
					for _, o := range texts {
						if similar(c.Text, o) {
							t.Errorf("%q on draft %d gave %q, too close to the draft %q", instr, i+1, c.Text, o)
						}
					}
					if instr == InstructionDifferentAngle && c.Angle == v.Angle {
						t.Errorf("different angle on %q (%s) kept the angle: %q", v.Text, v.Angle, c.Text)
					}
					if c.Angle == angleFallback && v.Angle != angleFallback {
						t.Errorf("%q on %q gave the fallback line %q while template lines fit", instr, v.Text, c.Text)
					}
					if strings.Contains(c.Rationale, "limits") && tt.brief.MaxLength == 0 && len(tt.brief.MustNotSay) == 0 {
						t.Errorf("%q on %q: the rationale claims limits the brief does not have: %s", instr, v.Text, c.Rationale)
					}
				}
			}
		})
	}

	t.Run("the review's draft 2", func(t *testing.T) {
		res, _ := g.Generate(ctx, describedProduct)
		texts := variantTexts(res.Variants)
		others := append([]string{texts[0]}, texts[2:]...)
		c, err := g.Regenerate(ctx, describedProduct, others, texts[1], InstructionDifferentAngle)
		if err != nil {
			t.Fatal(err)
		}
		if similar(c.Text, texts[0]) || c.Angle == angleFallback {
			t.Errorf("different angle on %q gave %q (%s)", texts[1], c.Text, c.Angle)
		}
	})

	t.Run("running out", func(t *testing.T) {
		b := Brief{Product: "Acme", Goal: "sign up", CurrentCopy: "Register", ElementKind: "button", N: 3}
		res, err := g.Generate(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		texts := variantTexts(res.Variants)
		current, taken := texts[0], texts[1:]
		for round := 0; ; round++ {
			if round > 100 {
				t.Fatal("the offline generator never ran out")
			}
			c, err := g.Regenerate(ctx, b, taken, current, "")
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code != CodeOfflineExhausted || !strings.Contains(e.Message, "already among the drafts") {
					t.Fatalf("after %d rewrites: %v", round, err)
				}
				break
			}
			for _, o := range append([]string{current}, taken...) {
				if similar(c.Text, o) {
					t.Fatalf("round %d gave %q, a draft already has %q", round, c.Text, o)
				}
			}
			taken = append(taken, current)
			current = c.Text
		}
	})
}
