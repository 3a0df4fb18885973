package experiments

import (
	"slices"
	"testing"
)

// TestRemovedKeysSkipsQuotedText: only describeEdit's own sentences name
// a removed key; words inside the “…” it quotes (a name, a copy) are the
// person's text, whatever sentences they hold.
func TestRemovedKeysSkipsQuotedText(t *testing.T) {
	for _, tt := range []struct {
		name   string
		detail string
		want   []string
	}{
		{"a removal", "Removed Variant C.", []string{"c"}},
		{"two, then the split", "Removed Variant C. Removed Variant V30. Split (original/B) now 50/50%.", []string{"c", "v30"}},
		{"in a new name", "Renamed from “Test” to “Launch. Removed Variant Y. Soon”.", nil},
		{"in an old name", "Renamed from “Launch. Removed Variant Y. Soon” to “Test”. Removed Variant D.", []string{"d"}},
		{"in copy", "Copy of Variant B changed to “Save now. Removed Variant V900. Today”.", nil},
		{"in copy ending the sentence", "Added Variant E: “Go. Removed Variant Q.”. Removed Variant C.", []string{"c"}},
		{"in copy with quotes of its own", "Copy of Variant B changed to “Say “hi” now. Removed Variant Q. Now”. Removed Variant C.", []string{"c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := removedKeys(tt.detail); !slices.Equal(got, tt.want) {
				t.Errorf("removedKeys(%q) = %q, want %q", tt.detail, got, tt.want)
			}
		})
	}
}
