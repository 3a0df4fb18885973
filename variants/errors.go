package variants

import (
	"fmt"
	"strings"
	"time"
)

// Error codes returned in Error.Code. The app passes them on in its JSON
// error bodies, so they are a contract: add new ones, never rename.
const (
	CodeRateLimited    = "llm_rate_limited"
	CodeUnavailable    = "llm_unavailable"
	CodeTimeout        = "llm_timeout"
	CodeRefused        = "llm_refused"
	CodeTruncated      = "llm_truncated"
	CodeAuth           = "llm_auth"
	CodeUnreachable    = "llm_unreachable"
	CodeBadOutput      = "llm_bad_output"
	CodeBlockedAddress = "llm_blocked_address"
	// CodeNotFound means the endpoint answered 404: almost always a wrong
	// model name or a base URL without its /v1 suffix.
	CodeNotFound = "llm_not_found"
	// CodeBadRequest means the endpoint rejected the request itself (another
	// 4xx), or the settings cannot form a valid request.
	CodeBadRequest = "llm_bad_request"
	// CodeQuota means the model service refused for billing: the account
	// is out of credit or over its spending limit (OpenAI answers 429 with
	// the type insufficient_quota). Waiting does not help, so it is not
	// retried, unlike CodeRateLimited.
	CodeQuota = "llm_quota"
	// CodeOfflineNoFit means the offline generator found no pattern that fits
	// the brief's limits (a tiny max length together with many banned words).
	CodeOfflineNoFit = "offline_no_fit"
	// CodeOfflineExhausted means the offline generator has no line left
	// for a rewrite that is not already one of the drafts (or, for
	// "different angle", none in another angle).
	CodeOfflineExhausted = "offline_exhausted"
)

// Error is a generation failure the app can show to a marketer as is.
// Message is one plain sentence; Status is the HTTP status the app should
// answer with; RetryAfter, when set, is how long the upstream asked us to
// wait. The underlying cause is kept for logs through Unwrap.
type Error struct {
	Code       string
	Message    string
	Status     int
	RetryAfter time.Duration

	cause error
	// operator is advice for whoever runs copylab, such as the setting
	// that gives a slow model longer: it goes in the log line (Error),
	// never on a page, where a marketer could do nothing with it.
	operator string
}

// Error returns the code, the message and the operator's advice; it
// never contains the API key, because no message is built from request
// headers.
func (e *Error) Error() string {
	s := fmt.Sprintf("variants: %s: %s", e.Code, e.Message)
	if e.operator != "" {
		s += " [for whoever runs copylab: " + e.operator + "]"
	}
	if e.cause != nil {
		// Upstream errors can carry a whole response body; a log line
		// needs only its start.
		s += " (" + clip(e.cause.Error(), 300) + ")"
	}
	return s
}

// Unwrap gives errors.Is and errors.As access to the cause, such as
// context.DeadlineExceeded or a *net.OpError.
func (e *Error) Unwrap() error { return e.cause }

func newError(code string, status int, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...), cause: cause}
}

// FieldError is one problem with one field of a brief, worded for the form
// that shows it beside the field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors lets Generate return every problem with a brief at once as a
// single error; the app unpacks it with errors.As to fill in the form.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Message
	}
	return "variants: invalid brief: " + strings.Join(parts, "; ")
}
