package experiments_test

import (
	"testing"

	"copylab/experiments"
)

// TestNextVariantKey: a new variant's key comes after the last key
// copylab gives that is taken (b … z, then v26 …), never filling a gap a
// removal left; keys chosen through the API ("hero", "v5", which is not
// how copylab writes the sixth) do not move it.
func TestNextVariantKey(t *testing.T) {
	for _, tt := range []struct {
		name string
		used []string
		want string
	}{
		{"none", nil, "b"},
		{"the original only", []string{"control"}, "b"},
		{"in order", []string{"control", "b", "c"}, "d"},
		{"after a gap", []string{"control", "b", "d"}, "e"},
		{"after z", []string{"control", "z"}, "v26"},
		{"after v30", []string{"control", "b", "v30"}, "v31"},
		{"chosen keys", []string{"control", "hero", "v5", "v026", "V"}, "b"},
		{"chosen keys beside given ones", []string{"control", "c", "hero"}, "d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			used := map[string]bool{}
			for _, k := range tt.used {
				used[k] = true
			}
			if got := experiments.NextVariantKey(used); got != tt.want {
				t.Errorf("NextVariantKey(%v) = %q, want %q", tt.used, got, tt.want)
			}
		})
	}
}
