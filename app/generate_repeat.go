package app

import (
	"fmt"
	"slices"
	"strings"

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

// shortfallNote says how many of the asked drafts a job shows when
// some repeated the experiment's copy (repeatReason) and were left out: the library's own note (variants.Result.Shortfall) counts
// them among the drafts written, so the page's count of drafts would not
// agree with it. written is how many the generator wrote that meet the
// brief's rules, offline whether the offline generator wrote them.
func shortfallNote(shown, asked, written, repeats int, offline bool) string {
	var b strings.Builder
	switch {
	case shown == 0 && asked == 1:
		b.WriteString("The draft asked for is not here: ")
	case shown == 0:
		fmt.Fprintf(&b, "None of the %d drafts asked for is here: ", asked)
	case shown == 1:
		fmt.Fprintf(&b, "Only 1 of the %d drafts asked for is here: ", asked)
	default:
		fmt.Fprintf(&b, "Only %d of the %d drafts asked for are here: ", shown, asked)
	}
	if written < asked {
		if offline {
			fmt.Fprintf(&b, "the offline generator found %d that %s this brief's limits, and ", written, genPlural(written, "fits", "fit"))
		} else {
			fmt.Fprintf(&b, "the model wrote %d that %s the brief's rules, and ", written, genPlural(written, "meets", "meet"))
		}
	}
	b.WriteString("the experiment already has ")
	switch {
	case repeats == written && written == 1:
		b.WriteString("it.")
	case repeats == written && written == 2:
		b.WriteString("both.")
	case repeats == written:
		b.WriteString("all of them.")
	case written == asked && repeats == 1:
		b.WriteString("the other one.")
	case written == asked:
		fmt.Fprintf(&b, "the other %d.", repeats)
	default:
		fmt.Fprintf(&b, "%d of them.", repeats)
	}
	return b.String()
}
