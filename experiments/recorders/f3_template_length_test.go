package recorders

import (
	"strings"
	"testing"
)

// TestTemplateLengthWording: a link template over the limit is told so in
// the words of every other field's limit ("Keep the name to at most 120
// characters."), not as "longer than 1024 characters", in the unit the
// limit counts (bytes) and with the length counted; one of 1024 bytes is
// taken.
func TestTemplateLengthWording(t *testing.T) {
	base := "https://replay.example.com/s/{session_id}?x="
	at := base + strings.Repeat("a", maxTemplate-len(base))
	if _, err := ParseTemplate(at); err != nil {
		t.Errorf("a template of %d characters: %v", len(at), err)
	}
	s := Settings{Custom: at + "a"}
	errs := s.Validate()
	want := "Keep the template to at most 1024 bytes (this is 1025: letters such as é or 日 take 2 to 4 bytes each)."
	if len(errs) != 1 || errs[0].Field != "custom" || errs[0].Message != want {
		t.Errorf("Validate() = %v, want one error on custom saying %q", errs, want)
	}
}
