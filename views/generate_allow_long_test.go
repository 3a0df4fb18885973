package views

import (
	"strings"
	"testing"
)

// The box to add drafts over the brief's limit anyway shows when the
// Add was refused for their length, as the job view says (LongLimit),
// not whenever a long draft has some other error, such as a rewrite
// still running: ticking it would not help then.
func TestAllowLongBoxFollowsTheRefusal(t *testing.T) {
	long := strings.Repeat("Plans that keep themselves ", 3)
	card := DraftCard{Index: 0, Text: long, MaxLength: 30, Include: true,
		Errors: Errors{draftField(0, "text"): "This draft is being rewritten; wait for it, or untick it."}}
	tests := []struct {
		name      string
		longLimit int
		want      bool
	}{
		{"refused for another reason", 0, false},
		{"refused for its length", 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := GenerateJob{State: JobDone, Drafts: []DraftCard{card}, LongLimit: tt.longLimit}
			_, raw := renderDoc(t, GenerationStatus(j))
			if got := strings.Contains(raw, `name="allow_long"`); got != tt.want {
				t.Errorf("allow_long box shown = %v, want %v", got, tt.want)
			}
			if tt.want && !strings.Contains(raw, "Add drafts over 30 characters anyway") {
				t.Error("the box does not name the limit")
			}
		})
	}
}
