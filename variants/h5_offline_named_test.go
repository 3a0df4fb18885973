package variants

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// pronouns stand for something the reader was told elsewhere. A draft is
// read alone, in the element it replaces, so the only thing one can stand
// for is the product, and only when the draft names it.
var pronouns = map[string]bool{
	"it": true, "its": true, "itself": true, "this": true, "these": true,
	"they": true, "them": true, "their": true, "theirs": true, "themselves": true,
}

// nameEndRe ends the name in a product field that goes on to describe the
// product: "Acme Boards, a kanban tool", "Notion - your workspace".
var nameEndRe = regexp.MustCompile(`\s*(?:,|:|\s[-–—]\s|\()`)

// unnamedPronoun is the first pronoun of text when text does not name the
// brief's product (its name as the marketer wrote it, up to any
// description), or "". For a brief with no product every pronoun is one.
// The brief's must-say items and audience are the marketer's own words
// ("riders who love their bikes") and are not read, nor are words in
// capitals ("IT managers").
func unnamedPronoun(text string, b Brief) string {
	product := strings.TrimSpace(b.Product)
	if loc := nameEndRe.FindStringIndex(product); loc != nil && loc[0] > 0 {
		product = product[:loc[0]]
	}
	lower := strings.ToLower(text)
	if product != "" && strings.Contains(lower, strings.ToLower(product)) {
		return ""
	}
	audience := regexp.MustCompile(`(?i)^(?:for\s+)?(?:a|an|the|our|your|my)\s+`).ReplaceAllString(b.Audience, "")
	for _, m := range append([]string{audience}, b.MustSay...) {
		if m != "" {
			text = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(m)).ReplaceAllLiteralString(text, " ")
		}
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) }) {
		if len(w) > 1 && strings.ToUpper(w) == w {
			continue
		}
		if w = strings.ToLower(w); pronouns[w] {
			return w
		}
	}
	return ""
}

// TestOfflineDraftsNameWhatTheyReferTo: the offline generator filled
// its plainest forms with "it" ("See how it works", "See why people
// choose it", "Try it now") whenever the richer forms that name the
// product did not fit, or the brief named none, and a marketer reading
// the draft alone could not tell what "it" was. Every draft of every
// angle, generated or rewritten by any button, now either names the
// product or has no such word.
func TestOfflineDraftsNameWhatTheyReferTo(t *testing.T) {
	products := []struct{ name, product string }{
		{"short name", "Zo"},
		{"long name", "The Leeds Community Bicycle Repair and Recycling Cooperative"},
		{"name with a description", "Acme Boards, a kanban tool"},
		{"name with a hyphen", "Wi-Fi Pro"},
		{"name with an ampersand", "AT&T Fiber"},
		{"name with an apostrophe", "Ben & Jerry's"},
		{"name with a dash", "Notion - your workspace"},
		{"a description", "Trail running shoes"},
		{"no product", ""},
	}
	briefs := []struct {
		name  string
		brief Brief
	}{
		{"headline, trial", Brief{Audience: "small agency owners", Goal: "Get visitors to start a trial", CurrentCopy: "Project management for busy teams", ElementKind: "headline"}},
		{"tight headline, learn", Brief{Goal: "Get visitors to read the guide", CurrentCopy: "A guide to planning", ElementKind: "headline", MaxLength: 26}},
		{"tagline, install, casual", Brief{Audience: "a busy parent", Goal: "More app installs", CurrentCopy: "Plan meals in minutes", ElementKind: "tagline", Tone: "casual"}},
		{"button, free trial", Brief{Goal: "Get visitors to start a free trial", CurrentCopy: "Start now", ElementKind: "button"}},
		{"button, cart", Brief{Goal: "More add to cart clicks", CurrentCopy: "Buy", ElementKind: "button"}},
		{"button, learn", Brief{Audience: "new riders", Goal: "Get visitors to explore the range", CurrentCopy: "Explore", ElementKind: "button"}},
		{"paragraph, demo", Brief{Audience: "IT managers", Goal: "Get visitors to book a demo", CurrentCopy: "We help teams ship faster with fewer meetings.", ElementKind: "paragraph", MustSay: []string{"14-day free trial"}}},
		{"subheadline, trial, formal", Brief{Goal: "Get visitors to try the product", CurrentCopy: "Made for teams that plan", ElementKind: "subheadline", Tone: "formal"}},
		{"headline, the goal says it", Brief{Goal: "Get visitors to try it out", CurrentCopy: "Plans for every team", ElementKind: "headline"}},
		{"button, the goal says them", Brief{Goal: "Get people to buy them", CurrentCopy: "Buy", ElementKind: "button"}},
		{"headline, the audience says their", Brief{Audience: "riders who love their bikes", Goal: "Get visitors to book a service", CurrentCopy: "Bike servicing in Leeds", ElementKind: "headline"}},
		{"headline, no goal words", Brief{Goal: "More engagement", CurrentCopy: "Welcome to our site", ElementKind: "headline", MaxLength: 40}},
	}
	ctx := context.Background()
	g, _ := New(Config{})
	for _, p := range products {
		for _, bt := range briefs {
			b := bt.brief
			b.Product = p.product
			b.N = MaxN
			t.Run(p.name+"/"+bt.name, func(t *testing.T) {
				res, err := g.Generate(ctx, b)
				if err != nil {
					t.Fatal(err)
				}
				texts := variantTexts(res.Variants)
				for _, c := range res.Variants {
					if w := unnamedPronoun(c.Text, b); w != "" {
						t.Errorf("draft %q (%s): its “%s” refers to nothing the draft names", c.Text, c.Angle, w)
					}
				}
				// The rewrites offer the lines a generation passed over.
				// A plain Rewrite of the first draft walks every one of
				// them, in order, until it has nothing new (the other
				// buttons take from the same lines); Shorter picks its
				// own, so it is pressed on every draft.
				press := func(i int, instr string, most int) {
					others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
					current := texts[i]
					for n := 0; n < most; n++ {
						c, err := g.Regenerate(ctx, b, others, current, instr)
						if err != nil {
							var e *Error
							if !errors.As(err, &e) {
								t.Fatalf("%q on %q: %v", instr, current, err)
							}
							return
						}
						if w := unnamedPronoun(c.Text, b); w != "" {
							t.Errorf("%q on %q gave %q (%s): its “%s” refers to nothing the draft names", instr, current, c.Text, c.Angle, w)
						}
						current = c.Text
					}
				}
				press(0, "", 500)
				for i := range texts {
					press(i, InstructionShorter, 20)
				}
			})
		}
	}
}

// TestOfflineDraftsKeepTheAudience: the audience is the marketer's own
// words, so its "their" refers to the readers it names and its "IT" is
// no pronoun: the lines that call the audience out stay, even for a
// brief that names no product.
func TestOfflineDraftsKeepTheAudience(t *testing.T) {
	g, _ := New(Config{})
	for _, audience := range []string{"IT managers", "riders who love their bikes"} {
		t.Run(audience, func(t *testing.T) {
			res, err := g.Generate(context.Background(), Brief{Audience: audience,
				Goal: "Get visitors to book a service", CurrentCopy: "Bike servicing in Leeds", ElementKind: "headline", N: MaxN})
			if err != nil {
				t.Fatal(err)
			}
			texts := variantTexts(res.Variants)
			if !strings.Contains(strings.Join(texts, "|"), audience) {
				t.Errorf("no draft names the audience %q: %q", audience, texts)
			}
		})
	}
}
