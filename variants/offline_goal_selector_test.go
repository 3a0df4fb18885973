package variants

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestActionsFromGoalIgnoreSelectors: the drafting page starts the goal
// of a click experiment as "A click on #buy". Found by a fresh-eyes
// review: the "buy" of the selector made a kanban tool's headline "Small
// agency owners, ready to shop now?". A selector says what is counted,
// not what the visitor does, so it leaves the generic calls to action; a
// goal in words still decides them.
func TestActionsFromGoalIgnoreSelectors(t *testing.T) {
	tests := []struct {
		name, goal string
		want       []string // the calls to action, in order
	}{
		{"an id", "A click on #buy", defaultActions},
		{"a class", "A click on .buy-btn", defaultActions},
		{"an element with a class", "A click on button.buy", defaultActions},
		{"an attribute", "A click on [data-x=buy]", defaultActions},
		{"an attribute value with a space", `A click on button[data-copylab="buy now"]`, defaultActions},
		{"a child combinator", "A click on #pricing > .order", defaultActions},
		{"a pseudo-class", "A click on a.shop:hover", defaultActions},
		{"in parentheses at the end of a sentence", "A click on the main button (#checkout).", defaultActions},
		{"an imperative naming the element", "Click #signup", defaultActions},
		{"a goal in words", "Buy the starter plan", []string{"Buy the starter plan", "Shop now", "Buy now", "Order now"}},
		{"a goal in words ending a sentence", "Get visitors to buy.", []string{"Buy", "Shop now", "Buy now", "Order now"}},
		{"words and a selector", "Get visitors to book a demo via #demo-btn", []string{"Book a demo", "Book your demo", "See a demo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := actionsFromGoal(tt.goal, false); !slices.Equal(got, tt.want) {
				t.Errorf("actionsFromGoal(%q) = %q, want %q", tt.goal, got, tt.want)
			}
		})
	}
}

// TestOfflineSelectorGoalWritesNoShopping is the review's brief end to
// end: no draft asks a kanban tool's readers to shop, and a selector's
// "#free-trial" does not make the drafts claim "free".
func TestOfflineSelectorGoalWritesNoShopping(t *testing.T) {
	g, _ := New(Config{})
	for _, goal := range []string{"A click on #buy", "A click on #free-trial"} {
		t.Run(goal, func(t *testing.T) {
			b := describedProduct
			b.Goal, b.ElementKind, b.N = goal, "headline", 10
			res, err := g.Generate(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			texts := variantTexts(res.Variants)
			if !slices.Contains(texts, "Small agency owners, ready to get started?") {
				t.Errorf("the question is not the generic one: %q", texts)
			}
			for _, s := range texts {
				for _, w := range []string{"shop", "buy", "order", "free", "trial"} {
					if containsPhrase(s, w) {
						t.Errorf("%q says %q, which only the goal's selector said", s, w)
					}
				}
				assertReadable(t, s)
			}
			if strings.Contains(strings.Join(texts, " "), "#") {
				t.Errorf("a draft repeats the selector: %q", texts)
			}
		})
	}
}
