package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/variants"
)

// repeatReason says why a draft cannot join an experiment whose copy is
// have: it is one of those texts (chars.Same: "Größe" however its "ö"
// was typed), or all but the same (variants.Similar),
// and the store takes no copy twice in one test. It is "" for a new text.
// The API's generate and the drafting page both drop such drafts, with
// this reason.
func repeatReason(have []string, text string) string {
	i := slices.IndexFunc(have, func(t string) bool { return variants.Similar(t, text) })
	switch {
	case i < 0:
		return ""
	case !chars.Same(have[i], text):
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

// avoidCopy is the copy a new draft for an experiment must not repeat:
// the experiment's own (have), which the store takes no second time, and
// for a follow-up every text the tests before it tried (tried, from
// Store.TriedCopy: the test it follows, the one that test follows, and
// so on), which they already put before visitors: the originals the
// ships replaced and the variants that lost. Offering those again would
// test them again.
type avoidCopy struct {
	have  []string
	tried []experiments.TriedText
}

// copyToAvoid is the copy drafts for e must not repeat (avoidCopy): the
// one place the API's generate, the drafting page and its rewrites learn
// it from. A followed test deleted since ends the chain there.
func (a *App) copyToAvoid(ctx context.Context, e experiments.Experiment) (avoidCopy, error) {
	out := avoidCopy{have: copyTexts(e)}
	if e.FollowsID == "" {
		return out, nil
	}
	tried, err := a.store.TriedCopy(ctx, e.ID)
	if err != nil {
		return out, err
	}
	out.tried = tried
	return out, nil
}

// triedTexts is the text of each tried copy, for a rewrite's list of
// copy to stay clear of.
func (av avoidCopy) triedTexts() []string {
	out := make([]string, 0, len(av.tried))
	for _, t := range av.tried {
		out = append(out, t.Text)
	}
	return out
}

// reason says why a draft of text cannot be offered, and which of the
// app's rules it is (ruleRepeat: the experiment has it; ruleTried: the
// test it follows had it; ruleTriedBefore: a test before that one had
// it, the nearest named); "" for new copy. The experiment's own copy
// comes first: a follow-up's original is the followed test's too.
func (av avoidCopy) reason(text string) (reason, rule string) {
	if r := repeatReason(av.have, text); r != "" {
		return r, ruleRepeat
	}
	i := slices.IndexFunc(av.tried, func(t experiments.TriedText) bool { return variants.Similar(t.Text, text) })
	if i < 0 {
		return "", ""
	}
	t := av.tried[i]
	who, rule := fmt.Sprintf("The test this follows, “%s”,", t.ExperimentName), ruleTried
	if t.Steps > 1 {
		who, rule = fmt.Sprintf("“%s”, which came before the test this follows,", t.ExperimentName), ruleTriedBefore
	}
	if !chars.Same(t.Text, text) {
		return fmt.Sprintf("%s already tried all but the same text: “%s”.", who, t.Text), rule
	}
	return who + " already tried this copy.", rule
}

// leftOut counts the drafts a generation left out under the app's rules
// for repeats (avoidCopy.reason), for shortfallNote: repeats of the
// experiment's own copy, and copy the tests before a follow-up tried
// (tried), before when some of that was tried before the test it
// follows.
type leftOut struct {
	repeats, tried int
	before         bool
}

// count counts one draft left out for rule.
func (l *leftOut) count(rule string) {
	switch rule {
	case ruleRepeat:
		l.repeats++
	case ruleTriedBefore:
		l.before = true
		l.tried++
	case ruleTried:
		l.tried++
	}
}

// shortfallNote says how many of the asked drafts a job shows when
// some were left out for repeating the experiment's copy or copy the
// tests before it tried (left), as avoidCopy.reason says: the library's
// own note (variants.Result.Shortfall) counts them among the drafts
// written, so the page's count of drafts would not agree with it.
// written is how many the generator wrote that meet the brief's rules,
// offline whether the offline generator wrote them.
func shortfallNote(shown, asked, written int, left leftOut, offline bool) string {
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
	// Who tried the copy: the test this follows, or with copy of the
	// tests before it, all of them.
	triers := "the test this follows"
	if left.before {
		triers = "the tests before this one"
	}
	switch {
	case left.tried == 0:
		b.WriteString("the experiment already has " + leftOutWords(left.repeats, written, asked))
	case left.repeats == 0:
		b.WriteString(triers + " already tried " + leftOutWords(left.tried, written, asked))
	default:
		// Both: the counts, of the others when some were shown of all
		// that were asked for.
		of := "of them"
		if written == asked && shown > 0 {
			of = "of the others"
		}
		fmt.Fprintf(&b, "the experiment already has %d %s and %s already tried %d.", left.repeats, of, triers, left.tried)
	}
	return b.String()
}

// leftOutWords names the n drafts of written that were left out, with
// the full stop: "it.", "both.", "the other 3.", "2 of them.".
func leftOutWords(n, written, asked int) string {
	switch {
	case n == written && written == 1:
		return "it."
	case n == written && written == 2:
		return "both."
	case n == written:
		return "all of them."
	case written == asked && n == 1:
		return "the other one."
	case written == asked:
		return fmt.Sprintf("the other %d.", n)
	}
	return fmt.Sprintf("%d of them.", n)
}
