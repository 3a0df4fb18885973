package variants_test

import (
	"strings"
	"testing"

	"copylab/variants"
)

// TestH3BriefLengthWords: a brief field over its length is named in a
// sentence that reads right whatever the label's number ("the brand
// voice notes" as much as "the goal"), with the counts as the site's
// brand voice limit writes them.
func TestH3BriefLengthWords(t *testing.T) {
	base := variants.Brief{CurrentCopy: "Plans for every team", Goal: "Start a trial"}
	tests := []struct {
		name  string
		field string
		set   func(*variants.Brief)
		want  string
	}{
		{"brand voice notes", "brand_voice", func(b *variants.Brief) { b.BrandVoice = strings.Repeat("a", 2100) },
			"Keep the brand voice notes to at most 2,000 characters (this is 2,100)."},
		{"goal", "goal", func(b *variants.Brief) { b.Goal = strings.Repeat("é", 301) },
			"Keep the goal to at most 300 characters (this is 301)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			tt.set(&b)
			var got []string
			for _, e := range b.Validate() {
				if e.Field == tt.field {
					got = append(got, e.Message)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s: %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}
