package views

import "testing"

// TestSplitText: the split beside the add button, for the ticks the page
// renders (generate.js writes the same words as boxes change).
func TestSplitText(t *testing.T) {
	tests := []struct {
		name             string
		existing, ticked int
		want             string
	}{
		{"none ticked", 0, 0, "No drafts ticked."},
		{"one", 0, 1, "Original and 1 variant: 50% of the test's visitors each."},
		{"the default two", 0, 2, "Original and 2 variants: about 33% of the test's visitors each."},
		{"three", 0, 3, "Original and 3 variants: 25% of the test's visitors each."},
		{"five", 0, 5, "Original and 5 variants: about 17% of the test's visitors each."},
		{"seven: 12.5% each", 0, 7, "Original and 7 variants: about 13% of the test's visitors each."},
		{"with variants already", 1, 2, "Original and 3 variants (1 already in the experiment): 25% of the test's visitors each."},
		{"none ticked, variants already", 2, 0, "No drafts ticked."},
		{"ten", 4, 6, "Original and 10 variants (4 already in the experiment): about 9% of the test's visitors each."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitText(tt.existing, tt.ticked); got != tt.want {
				t.Errorf("splitText(%d, %d) = %q, want %q", tt.existing, tt.ticked, got, tt.want)
			}
		})
	}
}
