package variants

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGuessElementKind is the guess table: a brief that leaves the element
// to guess ("Guess from the current copy") gets its kind, and with it the
// drafts' length limit and shape, from the experiment's selector when that
// says what the element is and the copy fits it, and else from the copy.
// The reviewer's #buy-now with "Buy now", and "Add to basket", were
// guessed headlines, and drafted as 70-character headlines.
func TestGuessElementKind(t *testing.T) {
	sentence := "Every bike we sell is built by hand in our Leeds workshop and checked again before it leaves" // 92
	tests := []struct {
		name, selector, copy string
		want                 string
		wantMax              int
	}{
		// From the copy alone.
		{"the reviewer's Buy now", "#buy-now", "Buy now", "button", 30},
		{"the reviewer's Add to basket", "#buy-now", "Add to basket", "button", 30},
		{"a trial button", "", "Start free trial", "button", 30},
		{"an arrow after the words", "", "Get started →", "button", 30},
		{"a first-person label", "", "Start my free trial", "button", 30},
		{"a label that is not a verb", "", "Next", "button", 30},
		{"a short headline", "", "Bikes built for Leeds", "headline", 70},
		{"a headline that starts with meet", "", "Meet Leeds Bikes", "headline", 70},
		{"a question", "", "Ready to ride?", "headline", 70},
		{"a verb but a full stop", "", "Start your ride today.", "headline", 70},
		{"a verb but too many words", "", "Get fit in thirty days flat", "headline", 70},
		{"a slogan of short sentences", "", "Fast. Simple. Free.", "headline", 70},
		{"the headline the reviewer got", "", "See what Leeds Bikes can do for you", "headline", 70},
		{"no copy", "", "", "headline", 70},
		{"one sentence past a headline", "", sentence, "subheadline", 150},
		{"two sentences past a headline", "", "Built by hand in our Leeds workshop. Checked again before it leaves us.", "paragraph", 400},
		{"a long text", "", strings.Repeat("Ride further. ", 14), "paragraph", 400},
		{"a line break", "", "Ride further\nRide longer", "paragraph", 400},

		// From the selector, when the copy fits.
		{"a button tag", "button.primary", "Ready when you are", "button", 30},
		{"a btn class on a link", "a.btn-primary", "Ride with us", "button", 30},
		{"a cta class", "#hero .hero__cta", "Ride with us", "button", 30},
		{"a camelCase class", ".addToCartBtn", "Ride with us", "button", 30},
		{"a submit input", "form input[type=submit]", "Ride with us", "button", 30},
		{"a quoted submit type", `input[type="submit" i]`, "Ride with us", "button", 30},
		{"a role", "div[role='button']", "Ride with us", "button", 30},
		{"a data attribute", `[data-testid="signup-button"]`, "Ride with us", "button", 30},
		{"a span inside a button", "button.primary > span", "Ride with us", "button", 30},
		{"a link", "nav a.more", "Our story", "link", 40},
		{"a link by its class", ".footer-link", "Our story", "link", 40},
		{"an h1", "h1", "Buy now", "headline", 70},
		{"an h2", "main h2.section-title", "Why riders choose us", "subheadline", 150},
		{"the first of two groups", "button.buy, a.buy", "Ride with us", "button", 30},

		// Selectors that say nothing leave it to the copy.
		{"the suggested attribute", `[data-copylab="hero"]`, "Buy now", "button", 30},
		{"an id", "#buy-now", "Bikes built for Leeds", "headline", 70},
		{"cta only inside a word", ".factual", "Ride with us", "headline", 70},
		{"a paragraph inside a button group", ".btn-group p", "Ride with us", "headline", 70},
		{"a class in :not", "a:not(.btn)", "Ride with us", "link", 40},
		{"a button whose copy is no button's", "button", "Start your fourteen-day free trial today, no card needed", "headline", 70},
		{"a button with two lines", "button", "Ride\nwith us", "paragraph", 400},
		{"a broken selector", "button[type=", "Ride with us", "button", 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Brief{Goal: "Get visitors to buy a bike", CurrentCopy: tt.copy, Selector: tt.selector}.Normalize()
			if b.ElementKind != tt.want || b.MaxLength != tt.wantMax {
				t.Errorf("selector %q, copy %q: guessed %s of %d characters, want %s of %d",
					tt.selector, tt.copy, b.ElementKind, b.MaxLength, tt.want, tt.wantMax)
			}
			if again := b.Normalize(); again.ElementKind != b.ElementKind || again.MaxLength != b.MaxLength {
				t.Errorf("a second Normalize changed the guess to %s of %d", again.ElementKind, again.MaxLength)
			}
		})
	}
}

// TestGuessOnlyWhenAsked: a kind the marketer chose is kept, whatever
// the selector and copy say, and the selector is never part of the
// brief's JSON, which the app stores and API clients send.
func TestGuessOnlyWhenAsked(t *testing.T) {
	b := Brief{Goal: "g", CurrentCopy: "Buy now", ElementKind: "headline", Selector: "button"}.Normalize()
	if b.ElementKind != "headline" || b.MaxLength != 70 {
		t.Errorf("a chosen headline became %s of %d characters", b.ElementKind, b.MaxLength)
	}
	out, err := json.Marshal(Brief{Goal: "g", CurrentCopy: "Buy now", Selector: "#buy-now"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "buy-now") || strings.Contains(string(out), "selector") {
		t.Errorf("the brief's JSON holds the selector: %s", out)
	}
	var in Brief
	if err := json.Unmarshal([]byte(`{"goal":"g","current_copy":"Buy now","selector":"h1"}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.Selector != "" {
		t.Errorf("a brief's JSON set the selector to %q", in.Selector)
	}
}
