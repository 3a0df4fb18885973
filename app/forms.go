package app

import (
	"errors"

	"copylab/experiments"
	"copylab/views"
)

// formErrors turns a validation error into the messages shown beside the
// form's fields; rename maps a store field name to the form's, when they
// differ (nil keeps them). ok is false when err is not a validation error.
func formErrors(err error, rename func(string) string) (views.Errors, bool) {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return nil, false
	}
	out := views.Errors{}
	for _, f := range ve {
		field := f.Field
		if rename != nil {
			field = rename(field)
		}
		if _, dup := out[field]; !dup {
			out[field] = f.Message
		}
	}
	return out, true
}
