package app

import (
	"strings"

	"copylab/views"
)

// typedVariants is the experiment form as its "Draft copy with AI" button
// saves it: the original copy and whatever variants were typed, without
// the empty rows (the drafting page adds more). (Save draft keeps the
// form's rule that a test needs at least one new variant: its empty row
// is an error.) f itself is left as it was: when the form comes back
// with errors, it shows the rows the person had, empty ones included.
// rows[i] is the row of f that the saved variant i came from, for
// putting the errors back beside the right rows (onRows).
func typedVariants(f views.ExperimentForm) (views.ExperimentForm, []int) {
	if len(f.Variants) == 0 {
		return f, nil
	}
	kept, rows := []views.VariantField{f.Variants[0]}, []int{0}
	for i, v := range f.Variants[1:] {
		if strings.TrimSpace(v.Text) != "" {
			kept, rows = append(kept, v), append(rows, i+1)
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
	return f, rows
}
