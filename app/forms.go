package app

import (
	"errors"

	"github.com/valyala/fasthttp"

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

// bodyFormValue is the app's fasthttp FormValueFunc, behind every
// c.FormValue: a form field is read from the request's urlencoded body
// only. fasthttp's default looks in the query string first, so a value in
// the URL would count and even win over the body's: /login?password=… or
// ?_csrf=… would be accepted, and a password or token in a URL ends up in
// access logs, browser history and Referer headers. Every form here posts
// its fields, hidden ones included, in the body; no route takes multipart
// bodies (DisablePreParseMultipartForm), so none is read.
func bodyFormValue(ctx *fasthttp.RequestCtx, key string) []byte {
	return ctx.PostArgs().Peek(key)
}
