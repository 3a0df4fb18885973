package app

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// httpError is an error the handler chose the answer of: a status, a
// machine code, a sentence for a person and, when one field is at fault,
// its name. Handlers return it; handleError renders it.
type httpError struct {
	Status     int
	Code       string
	Message    string
	Field      string
	RetryAfter time.Duration // sent as Retry-After (whole seconds) when set
	// Extra adds members beside "error" to a JSON answer, such as the
	// drafts a generation dropped, so that a client can act on them
	// without a second request. Pages do not show them.
	Extra map[string]any
	// Plain answers in plain text, "code: message", whatever the path's
	// audience: for a machine client outside the API, such as a scraper
	// refused /metrics, whose error and curl show the body as it is.
	Plain bool
}

func (e *httpError) Error() string { return e.Code + ": " + e.Message }

func newHTTPError(status int, code, message string) *httpError {
	return &httpError{Status: status, Code: code, Message: message}
}

func errBadRequest(code, field, message string) error {
	return &httpError{Status: http.StatusBadRequest, Code: code, Field: field, Message: message}
}

// errNotFound is the common 404.
var errNotFound = newHTTPError(http.StatusNotFound, "not_found", "There is nothing here. The link may be old, or the thing it pointed to was deleted.")

// errStorageFull answers a write that failed for lack of space
// (experiments.IsStorageFull): 503, as POST /e answers such a batch
// (experiments.CodeStorageFull), with a sentence that says what is wrong
// and whose it is to fix, where an anonymous 500 left the person to guess
// and retry.
var errStorageFull = &httpError{Status: http.StatusServiceUnavailable, Code: "storage_full", RetryAfter: time.Minute,
	Message: "copylab's disk is full: nothing new can be saved until someone who runs copylab makes room on its server. Please try again later."}

// apiErrorBody is one error in the JSON error format of DESIGN.md.
type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// answer is what an error becomes: the status and the parts every
// audience renders in its own format.
type answer struct {
	status     int
	body       apiErrorBody
	all        []apiErrorBody // every field error of a validation error
	retryAfter int            // seconds; 0 for none
	extra      map[string]any // httpError.Extra
	plain      bool           // httpError.Plain
}

// classify maps an error to its answer. It is the one place errors become
// HTTP statuses.
func classify(err error) answer {
	var (
		he   *httpError
		fe   *fiber.Error
		ve   experiments.ValidationError
		se   *experiments.StateError
		ie   *experiments.IngestError
		le   *variants.Error
		sn   *shareNotStartedError
		errs []apiErrorBody
	)
	switch {
	case errors.As(err, &he):
		return answer{status: he.Status, body: apiErrorBody{Code: he.Code, Message: he.Message, Field: he.Field},
			retryAfter: ceilSeconds(he.RetryAfter), extra: he.Extra, plain: he.Plain}
	case errors.As(err, &le):
		return llmAnswer(le) // generate.go
	case errors.As(err, &ie):
		a := answer{status: ie.Status, body: apiErrorBody{Code: ie.Code, Message: ie.Message, Field: ie.Field}}
		if ie.RetryAfter > 0 {
			a.retryAfter = ceilSeconds(ie.RetryAfter)
		}
		if a.status < 400 || a.status > 599 {
			a.status = http.StatusBadRequest
		}
		return a
	case experiments.IsStorageFull(err):
		return classify(errStorageFull)
	case errors.As(err, &ve) && len(ve) > 0:
		for _, f := range ve {
			errs = append(errs, apiErrorBody{Code: f.Code, Message: f.Message, Field: f.Field})
		}
		return answer{status: http.StatusUnprocessableEntity, body: errs[0], all: errs}
	case errors.As(err, &se):
		return answer{status: http.StatusConflict, body: apiErrorBody{Code: se.Code, Message: stateWords(se)}}
	case errors.As(err, &sn):
		return answer{status: http.StatusConflict, body: apiErrorBody{Code: "not_started",
			Message: "This test has not started yet: its results can be read once it has."}}
	case errors.Is(err, experiments.ErrNotFound):
		return answer{status: http.StatusNotFound, body: apiErrorBody{Code: "not_found", Message: errNotFound.Message}}
	case errors.Is(err, experiments.ErrChanged):
		// The Edit form answers it itself (experiment_update.go), with the
		// change beside what was typed; any other route says what to do.
		return answer{status: http.StatusConflict, body: apiErrorBody{Code: "changed",
			Message: "It was changed by someone else after you opened it; reload to see the change, then try again."}}
	case errors.Is(err, experiments.ErrConflict):
		return answer{status: http.StatusConflict, body: apiErrorBody{Code: "conflict", Message: "That conflicts with something that already exists."}}
	case errors.As(err, &fe):
		return answer{status: fe.Code, body: fiberErrorBody(fe)}
	}
	return answer{status: http.StatusInternalServerError, body: apiErrorBody{Code: "internal", Message: "Something went wrong on our side. It has been logged; please try again."}}
}

// stateWords is what a refusal of the store says to people: its own
// message, but for another threshold of a started test, which the store
// refuses whoever asks (experiments.ErrThresholdFixed) and which copylab
// words as the handlers' own check does (thresholdFixed), so that a
// change that passed that check only because the test started meanwhile
// reads the same.
func stateWords(se *experiments.StateError) string {
	if errors.Is(se, experiments.ErrThresholdFixed) {
		return views.ThresholdFixedWords
	}
	return se.Message
}

// fiberErrorBody turns Fiber's own errors (unknown route, body too large)
// into our codes and sentences; 5xx texts are never shown.
func fiberErrorBody(fe *fiber.Error) apiErrorBody {
	switch fe.Code {
	case http.StatusNotFound:
		return apiErrorBody{Code: "not_found", Message: errNotFound.Message}
	case http.StatusMethodNotAllowed:
		return apiErrorBody{Code: "method_not_allowed", Message: "This address does not accept that method."}
	case http.StatusRequestEntityTooLarge:
		return apiErrorBody{Code: "too_large", Message: bodyTooLargeMessage} // api.go: names the limit
	case http.StatusRequestTimeout:
		return apiErrorBody{Code: "timeout", Message: "The request took too long to arrive."}
	case http.StatusRequestHeaderFieldsTooLarge:
		return apiErrorBody{Code: "header_too_large", Message: "The request's headers are over 16 KiB, usually because of large cookies. Clear this site's cookies, or send smaller headers."}
	case http.StatusBadRequest:
		// The server could not parse the request (a broken chunked body,
		// a malformed header): Fiber's message is fasthttp's own text,
		// such as "cannot find crlf at the end of chunk".
		return apiErrorBody{Code: "bad_request", Message: "The request could not be read: its start line, headers or body are malformed."}
	}
	if fe.Code >= 500 {
		return apiErrorBody{Code: "internal", Message: "Something went wrong on our side. Please try again."}
	}
	code := strings.ReplaceAll(strings.ToLower(http.StatusText(fe.Code)), " ", "_")
	if code == "" {
		code = "error"
	}
	return apiErrorBody{Code: code, Message: fe.Message}
}

// audience is who reads a path's answers, which decides their format.
type audience int

const (
	forPages audience = iota
	forAPI
	forEvents
	forSnippet
)

// isPublicPath tells whether path is one of the public group's routes
// (routes.go): the tag, its JSON config and events. audienceOf sorts the
// JSON config with the API, whose error format it shares.
func isPublicPath(path string) bool {
	path = oneLeadingSlash(path)
	return routedPath(path) == "/e" || strings.HasPrefix(path, "/s/")
}

func audienceOf(path string) audience {
	path = oneLeadingSlash(path)
	routed := routedPath(path)
	switch {
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		return forAPI
	case routed == "/e":
		return forEvents
	case strings.HasPrefix(path, "/s/") && strings.HasSuffix(routed, ".json"):
		return forAPI
	case strings.HasPrefix(path, "/s/"):
		return forSnippet
	}
	return forPages
}

// oneLeadingSlash is path with its leading slashes made one. The router
// does not match //e or //s/KEY.js (a base URL with a trailing slash,
// joined to "/e"), and they are not routed to /e or the tag; but their 404
// comes in the format of the path they meant, so that a site's script can
// read it and the X-Copylab reason says what happened.
func oneLeadingSlash(path string) string {
	for len(path) > 1 && path[0] == '/' && path[1] == '/' {
		path = path[1:]
	}
	return path
}

// routedPath is path as the router matches it. With StrictRouting off,
// Fiber strips every trailing slash first, so /e/ reaches the events
// handler and /s/KEY.json/ the tag's config: their answers, refusals
// included, must be those of the route that took them.
func routedPath(path string) string {
	for len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	return path
}

// handleError is the Fiber ErrorHandler, and logRequests calls it for every
// error a handler returns: it logs server errors (only those, with the
// request id), resets whatever was half written, and answers in the format
// of the path's audience — HTML pages, JSON for the API and events, a
// JavaScript comment for the snippet, plain text for an error that asks
// for it (httpError.Plain). It never shows an error's internals.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	ans := classify(err)
	if fe := (*fiber.Error)(nil); errors.As(err, &fe) && fe.Code == http.StatusRequestEntityTooLarge && audienceOf(c.Path()) == forEvents {
		// The HTTP server's own limit refused the body (a chunked one over
		// the app's BodyLimit, or one over /e's that asked for 100
		// Continue, middleware.go): /e answers with its own limit.
		ans = classify(errEventsTooLarge)
	}
	// A write that failed for lack of space makes /healthz say so (ops.go)
	// until one succeeds; other errors leave it as it is.
	a.store.NoteWrite(err)
	rid := requestIDOf(c)
	// A full disk is logged once, when it fills (logStorage, ops.go), not
	// for each request it refuses.
	if ans.status >= 500 && ans.body.Code != experiments.CodeStorageFull {
		a.log.LogAttrs(c.UserContext(), slog.LevelError, "request failed",
			slog.String("request_id", rid), slog.String("method", c.Method()), slog.String("path", logPath(c.Path())),
			slog.Int("status", ans.status), slog.String("error", err.Error()))
	}
	c.Response().ResetBody()
	c.Response().Header.Del(fiber.HeaderContentEncoding)
	c.Response().Header.Del(fiber.HeaderETag)
	c.Status(ans.status)
	if ans.retryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ans.retryAfter))
	}
	if requestIDOf(c) == "" {
		// The HTTP server itself refused the request (a body over the
		// BodyLimit, a header over the ReadBufferSize, one it could not
		// parse), and Fiber hands that to this handler with a fresh
		// context: no middleware ran, requestID (the first) included, so
		// nothing set the headers every other answer on this path carries.
		a.setSecurityHeaders(&c.Response().Header, c.Path())
	}
	if isPublicPath(c.Path()) {
		// The HTTP server (a body over the app's BodyLimit) and the router
		// (a method the path does not take) answer before the public
		// routes' publicHeaders runs; without its CORS headers the site's
		// code could not read why it was refused.
		setAll(&c.Response().Header, publicOnlyHeaders)
	}
	if ans.plain {
		// A refused scrape (metrics.go): the code first, as the docs name
		// it, then the sentence; X-Copylab carries the code, as on the
		// tag's refusals.
		c.Set("X-Copylab", headerText(ans.body.Code))
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.SendString(ans.body.Code + ": " + ans.body.Message + "\n")
	}
	switch audienceOf(c.Path()) {
	case forAPI, forEvents:
		if audienceOf(c.Path()) == forEvents && ans.status >= 400 {
			// Like GoatCounter's X-Goatcounter: the reason, readable in the
			// network panel of the site that sent the events.
			c.Set("X-Copylab", headerText("rejected: "+ans.body.Code+": "+ans.body.Message))
		} else if isPublicPath(c.Path()) {
			// The tag's JSON config (/s/KEY.json): the code, as the tag's
			// own refusals give it.
			c.Set("X-Copylab", headerText(ans.body.Code))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		out := fiber.Map{}
		for k, v := range ans.extra {
			out[k] = v
		}
		out["error"] = ans.body
		if len(ans.all) == 0 && ans.status == http.StatusUnprocessableEntity && audienceOf(c.Path()) == forAPI {
			// Every 422 of the API lists its problems, as the README
			// promises, also when a handler found a single one (ship's
			// missing variant): a client reads "errors" whatever the call.
			ans.all = []apiErrorBody{ans.body}
		}
		if len(ans.all) > 0 {
			out["errors"] = ans.all
		}
		return c.JSON(out)
	case forSnippet:
		c.Set("X-Copylab", headerText(ans.body.Code))
		c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8") // as the tag's other answers
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.SendString("/* copylab: " + ans.body.Code + " */\n")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isSharePath(c.Path()) {
		// Public pages, with nothing to sign in to or navigate to.
		var sn *shareNotStartedError
		switch {
		case ans.status == http.StatusNotFound:
			return a.shareGone(c) // share_show.go: the same for every token
		case errors.As(err, &sn):
			return a.shareNotStarted(c, sn.exp, ans.body.Code) // export_csv.go: the draft's share page
		case ans.status == http.StatusTooManyRequests:
			return a.shareBusy(c, ans.body.Code, ans.body.Message) // share_show.go: limitShare's answer
		}
	}
	if m := c.Method(); ans.status == http.StatusMethodNotAllowed && (m == http.MethodGet || m == http.MethodHead) {
		if to, ok := a.formPageAbove(c.Path()); ok {
			return c.Redirect(to, http.StatusSeeOther) // form_address.go
		}
	}
	if sessionOf(c) == nil && ans.status < 500 {
		// Unknown paths skip the session middleware; a signed-in person
		// should still get the page with the navigation.
		a.peekSession(c)
	}
	page := a.page(c, "")
	page.Title = http.StatusText(ans.status)
	ep := views.ErrorPage{Page: page, Status: ans.status, Heading: errorHeading(ans.status), Message: ans.body.Message}
	if ans.status >= 500 {
		ep.RequestID = rid
	}
	if rerr := render(c, views.Error(ep)); rerr != nil {
		c.Response().ResetBody()
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.SendString(ans.body.Message)
	}
	return nil
}

// headerText is s as an ASCII header value. Browsers read a header's
// bytes as Latin-1, so the "…" of a value cut short, or a site key in
// another script echoed by a refusal, showed garbled in the network panel:
// "…" becomes "...", and any other character outside printable ASCII is
// written \uXXXX (two of them past U+FFFF, as JSON does). The JSON body
// keeps the text as it is. Plain ASCII, nearly every value, is returned
// as it is, without allocating.
func headerText(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == '…':
			b.WriteString("...")
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func errorHeading(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusConflict:
		return "That cannot be done now"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusRequestEntityTooLarge, http.StatusRequestHeaderFieldsTooLarge:
		return "Too large"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "That did not work"
}

// ceilSeconds is d in whole seconds, rounded up: what a Retry-After
// header or a "try again in N s" sentence says.
func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }
