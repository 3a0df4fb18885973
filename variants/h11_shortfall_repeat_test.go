package variants

import (
	"context"
	"strings"
	"testing"
)

// TestShortfallCountsRepeats: a draft the model sends again, in its
// answer to the follow-up, is kept once and not listed as discarded, but
// the model did send it: the note counts it, and says it was a repeat,
// instead of "The model sent 1 draft" after two.
func TestShortfallCountsRepeats(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		script   []reply
		want     string
		wantKept int
	}{
		{
			name:     "the follow-up sends the kept draft again",
			n:        4,
			script:   []reply{okReply(variantsJSON(good[0])), okReply(variantsJSON(good[0]))},
			want:     "The model sent 2 drafts instead of 4, one of them a repeat of another.",
			wantKept: 1,
		},
		{
			name:   "the follow-up sends a new draft and both kept ones again",
			n:      5,
			script: []reply{okReply(variantsJSON(good[:2]...)), okReply(variantsJSON(good[0], good[2], good[1]))},
			// Five sent for the five asked, but only three different.
			want:     "The model sent only 3 different drafts of the 5 asked for; it sent 2 of them again.",
			wantKept: 3,
		},
		{
			name:     "no repeat",
			n:        4,
			script:   []reply{okReply(variantsJSON(good[0])), okReply(variantsJSON(good[1]))},
			want:     "The model sent 2 drafts instead of 4.",
			wantKept: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, tt.script...)
			b := testBrief
			b.N = tt.n
			res, err := f.generator().Generate(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Variants) != tt.wantKept || len(res.Dropped) != 0 {
				t.Fatalf("%d variants and %d discarded, want %d and none", len(res.Variants), len(res.Dropped), tt.wantKept)
			}
			if res.Shortfall != tt.want {
				t.Errorf("shortfall = %q\nwant %q", res.Shortfall, tt.want)
			}
			wantIn(t, "notes", strings.Join(res.Notes, " "), tt.want)
		})
	}
}
