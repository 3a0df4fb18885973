package app

import (
	"fmt"
	"slices"

	"copylab/experiments"
	"copylab/variants"
)

// repeatReason says why a draft cannot join an experiment whose copy is
// have: it is one of those texts, or all but the same (variants.Similar),
// and the store takes no copy twice in one test. It is "" for a new text.
// The API's generate and the drafting page both drop such drafts, with
// this reason.
func repeatReason(have []string, text string) string {
	i := slices.IndexFunc(have, func(t string) bool { return variants.Similar(t, text) })
	switch {
	case i < 0:
		return ""
	case have[i] != text:
		return fmt.Sprintf("The experiment already has all but the same text: “%s”.", have[i])
	}
	return "The experiment already has this text."
}

// copyTexts is every text of an experiment's copy, the original's too.
func copyTexts(e experiments.Experiment) []string {
	out := make([]string, 0, len(e.Variants))
	for _, v := range e.Variants {
		out = append(out, v.Text)
	}
	return out
}
