package variants

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// addedRe finds "variant" in text about what a generator writes: until
// someone adds it to an experiment, that is a draft.
var addedRe = regexp.MustCompile(`(?i)\bvariants?\b`)

// TestWordsCallUnaddedCopyDrafts: the brief form's help, the brief's
// errors and the reasons a draft is dropped call the copy a generator
// writes a draft. "The control every variant is measured against" is about
// the experiment, and the one help that may say so.
func TestWordsCallUnaddedCopyDrafts(t *testing.T) {
	for _, f := range BriefFields {
		words := f.Label + " " + f.Help
		if f.Name == "current_copy" {
			words = strings.Replace(words, "the control every variant is measured against", "", 1)
		}
		if m := addedRe.FindAllString(words, -1); len(m) > 0 {
			t.Errorf("%s says %q: %s", f.Name, m, words)
		}
	}
	for _, f := range BriefFields {
		if f.Name == "n" && f.Label != "Number of drafts" {
			t.Errorf("n is labelled %q", f.Label)
		}
	}

	var msgs []string
	for _, e := range (Brief{Goal: "g", CurrentCopy: "c", N: 11}).Validate() {
		msgs = append(msgs, e.Message)
	}
	rules := Rules{MaxLength: 60, MustSay: []string{"free trial"}}
	for _, tc := range []struct {
		text  string
		rules Rules
	}{
		{"Start today", rules},
		{"Start your free trial today", rules.WithOthers("Start your free trial today.")},
	} {
		var ce *CopyError
		if err := ValidateCopy(tc.text, tc.rules); !errors.As(err, &ce) {
			t.Fatalf("%q: %v, want a CopyError", tc.text, err)
		}
		msgs = append(msgs, ce.Message)
	}
	want := []string{"Ask for between 1 and 10 drafts.", "It leaves out “free trial”, which every draft must include.",
		"It is too close to another draft or variant (“Start your free trial today.”)."}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}
