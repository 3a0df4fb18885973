package app

import (
	"strings"

	"copylab/views"
)

// keepTypedVariants drops the empty rows of new variants from the
// experiment form, for its "Draft copy with AI" button: the draft is
// saved with the original copy and whatever variants were typed, and the
// drafting page adds more. (Save draft keeps the form's rule that a test
// needs at least one new variant: its empty row is an error.)
func keepTypedVariants(f *views.ExperimentForm) {
	if len(f.Variants) == 0 {
		return
	}
	kept := f.Variants[:1]
	for _, v := range f.Variants[1:] {
		if strings.TrimSpace(v.Text) != "" {
			kept = append(kept, v)
		}
	}
	if len(kept) < len(f.Variants) {
		// Weights typed for the remaining rows no longer add up; the
		// generated drafts reset the split to equal anyway.
		for i := range kept {
			kept[i].Weight = ""
		}
	}
	f.Variants = kept
}
