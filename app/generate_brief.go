package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// The brief form: every field of variants.Brief, named as in its JSON,
// with the must-say and must-not-say lists one item a line.

// readBriefForm reads the posted brief as typed.
func readBriefForm(c *fiber.Ctx) views.BriefForm {
	return views.BriefForm{
		CurrentCopy: c.FormValue("current_copy"),
		Goal:        c.FormValue("goal"),
		ElementKind: c.FormValue("element_kind"),
		Product:     c.FormValue("product"),
		Audience:    c.FormValue("audience"),
		Tone:        c.FormValue("tone"),
		Language:    c.FormValue("language"),
		MustSay:     c.FormValue("must_say"),
		MustNotSay:  c.FormValue("must_not_say"),
		MaxLength:   c.FormValue("max_length"),
		BrandVoice:  c.FormValue("brand_voice"),
		N:           c.FormValue("n"),
		// The experiment's selector, which the page puts in the form
		// (briefForm) for the element's guess; a selector is at most
		// experiments.MaxSelectorLen, so a longer one is none of its.
		Selector: clipChars(strings.TrimSpace(c.FormValue("selector")), experiments.MaxSelectorLen),
	}
}

// parseBriefForm turns the form into a brief, with the errors that are the
// form's own (numbers that are not numbers); the brief's rules are checked
// by checkBrief.
func parseBriefForm(f views.BriefForm) (variants.Brief, views.Errors) {
	errs := views.Errors{}
	b := variants.Brief{
		Product:     f.Product,
		Audience:    f.Audience,
		Goal:        f.Goal,
		CurrentCopy: f.CurrentCopy,
		ElementKind: f.ElementKind,
		Tone:        f.Tone,
		Language:    f.Language,
		MustSay:     briefLines(f.MustSay),
		MustNotSay:  briefLines(f.MustNotSay),
		BrandVoice:  strings.TrimSpace(f.BrandVoice),
		Selector:    f.Selector,
	}
	if s := formNumber(f.MaxLength); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs["max_length"] = "Enter a number of characters, such as 60, or leave it empty."
		case n <= 0:
			// A brief's 0 means "the element's usual length", which an
			// empty box asks for: a 0 typed is out of range, as -3 is.
			errs["max_length"] = maxLengthRange
		default:
			b.MaxLength = n
		}
	}
	if s := formNumber(f.N); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > variants.MaxN {
			errs["n"] = fmt.Sprintf("Ask for between 1 and %d drafts.", variants.MaxN)
		} else {
			b.N = n
		}
	}
	return b, errs
}

// briefLines splits a textarea into its non-empty lines.
func briefLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// maxLengthRange is the one sentence for a max length copylab cannot
// use. The library takes up to variants.MaxMaxLength, but a variant is at
// most experiments.MaxCopyLen characters, so that is the range's top.
var maxLengthRange = fmt.Sprintf("Set a max length between %d and %d characters, or leave it empty (copylab keeps each variant to at most %d characters).",
	variants.MinMaxLength, experiments.MaxCopyLen, experiments.MaxCopyLen)

// checkBrief is the library's check of a brief plus the app's own limits:
// a variant is at most experiments.MaxCopyLen characters, and the
// experiment has room for only so many more variants. A max length out
// of that range has one sentence, maxLengthRange, in place of the
// library's (whose range ends at its own, higher, limit).
func checkBrief(b variants.Brief, room int) []variants.FieldError {
	errs := slices.DeleteFunc(b.Validate(), func(e variants.FieldError) bool { return e.Field == "max_length" })
	has := func(field string) bool {
		for _, e := range errs {
			if e.Field == field {
				return true
			}
		}
		return false
	}
	n := b.Normalize()
	switch {
	case b.MaxLength == 0 && n.MaxLength > experiments.MaxCopyLen:
		// No max length given, and the current copy is longer than a
		// variant may be: the default would be its length.
		errs = append(errs, variants.FieldError{Field: "max_length",
			Message: fmt.Sprintf("The current copy is %d characters long, more than a variant may have: set a max length between %d and %d characters.",
				n.MaxLength, variants.MinMaxLength, experiments.MaxCopyLen)})
	case b.MaxLength != 0 && (b.MaxLength < variants.MinMaxLength || b.MaxLength > experiments.MaxCopyLen):
		errs = append(errs, variants.FieldError{Field: "max_length", Message: maxLengthRange})
	}
	if n.N > room && !has("n") {
		msg := fmt.Sprintf("This experiment has room for %d more %s (it holds at most %d besides the original).", room, genPlural(room, "variant", "variants"), experiments.MaxVariants-1)
		if room <= 0 {
			msg = "This experiment already holds the most variants it can; remove one to make room."
		}
		errs = append(errs, variants.FieldError{Field: "n", Message: msg})
	}
	return errs
}

func genPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// briefErrors puts the brief's field errors beside the form's fields,
// keeping the form's own message where both speak of one field.
func briefErrors(own views.Errors, fe []variants.FieldError) views.Errors {
	out := views.Errors{}
	for _, e := range fe {
		if _, dup := out[e.Field]; !dup {
			out[e.Field] = e.Message
		}
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

// briefForm fills the form with a brief.
func briefForm(b variants.Brief) views.BriefForm {
	f := views.BriefForm{
		CurrentCopy: b.CurrentCopy,
		Goal:        b.Goal,
		ElementKind: b.ElementKind,
		Product:     b.Product,
		Audience:    b.Audience,
		Tone:        b.Tone,
		Language:    b.Language,
		MustSay:     strings.Join(b.MustSay, "\n"),
		MustNotSay:  strings.Join(b.MustNotSay, "\n"),
		BrandVoice:  b.BrandVoice,
		Selector:    b.Selector,
	}
	if b.MaxLength > 0 {
		f.MaxLength = strconv.Itoa(b.MaxLength)
	}
	if b.N > 0 {
		f.N = strconv.Itoa(b.N)
	}
	return f
}

// savedBrief reads the brief stored with an experiment, with the
// experiment's selector, which the stored brief does not hold: a brief
// that leaves the element to guess is guessed from it and the current
// copy (variants.Brief.Selector). A brief stored by an API client may
// have any shape; what does not fit is ignored.
func savedBrief(e experiments.Experiment) variants.Brief {
	b := variants.Brief{Selector: e.Selector}
	s := strings.TrimSpace(e.Brief)
	if s == "" || s == "{}" || !strings.HasPrefix(s, "{") {
		return b
	}
	var loose map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &loose) != nil {
		return b
	}
	// Field by field, so that one field of the wrong type does not lose
	// the others.
	str := func(key string, dst *string) { _ = json.Unmarshal(loose[key], dst) }
	str("product", &b.Product)
	str("audience", &b.Audience)
	str("goal", &b.Goal)
	str("current_copy", &b.CurrentCopy)
	str("element_kind", &b.ElementKind)
	str("tone", &b.Tone)
	str("language", &b.Language)
	str("brand_voice", &b.BrandVoice)
	_ = json.Unmarshal(loose["must_say"], &b.MustSay)
	_ = json.Unmarshal(loose["must_not_say"], &b.MustNotSay)
	_ = json.Unmarshal(loose["max_length"], &b.MaxLength)
	_ = json.Unmarshal(loose["n"], &b.N)
	return b
}

// briefJSON is the brief as stored with the experiment: as the marketer
// gave it (defaults are not filled in, so that a later form shows only
// what they chose), with surrounding spaces trimmed.
func briefJSON(b variants.Brief) string {
	b.MustSay, b.MustNotSay = briefLines(strings.Join(b.MustSay, "\n")), briefLines(strings.Join(b.MustNotSay, "\n"))
	for _, s := range []*string{&b.Product, &b.Audience, &b.Goal, &b.CurrentCopy, &b.ElementKind, &b.Tone, &b.Language, &b.BrandVoice} {
		*s = strings.TrimSpace(*s)
	}
	out, err := json.Marshal(b)
	if err != nil {
		return "{}" // a struct of strings and ints always marshals
	}
	return string(out)
}

// briefHelp is the library's field list, for the form's labels and help.
func briefHelp() map[string]views.BriefHelp {
	out := make(map[string]views.BriefHelp, len(variants.BriefFields))
	for _, f := range variants.BriefFields {
		out[f.Name] = views.BriefHelp{Label: f.Label, Help: f.Help, Example: f.Example, Required: f.Required}
	}
	return out
}

// roomFor is how many more variants an experiment can hold.
func roomFor(e experiments.Experiment) int {
	return max(experiments.MaxVariants-len(e.Variants), 0)
}

// briefFor is the brief the form starts with: the one saved with the
// experiment, the control's text as the current copy, the site's brand
// voice, and five variants (or as many as there is room for).
func briefFor(e experiments.Experiment, site experiments.Site) variants.Brief {
	b := savedBrief(e)
	if len(e.Variants) > 0 {
		b.CurrentCopy = e.Variants[0].Text
	}
	if site.BrandVoice != "" {
		b.BrandVoice = site.BrandVoice
	}
	if b.N == 0 {
		b.N = variants.DefaultN
	}
	b.N = min(b.N, max(roomFor(e), 1))
	return b
}
