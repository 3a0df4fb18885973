package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// The JSON API's wire types. Field names follow DESIGN.md; times are
// apiTime, null when not set.

// apiTimeLayout is how the API writes a time: RFC 3339 in UTC with the
// milliseconds always written, so every time has the same width
// ("…31.950Z", not "…31.95Z" beside "…50.039Z") and sorts as text. The
// store keeps milliseconds, so nothing is lost.
const apiTimeLayout = "2006-01-02T15:04:05.000Z"

// apiTime is a time as the API answers it (apiTimeLayout). Every time
// in an answer of the API has this type, rather than time.Time, whose
// JSON drops trailing zeros of the fraction.
type apiTime time.Time

// MarshalJSON writes t in UTC as apiTimeLayout.
func (t apiTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(apiTimeLayout) + `"`), nil
}

type apiSite struct {
	ID         string  `json:"id"`
	Key        string  `json:"key"`
	Name       string  `json:"name"`
	Domain     string  `json:"domain"`
	Snippet    string  `json:"snippet"`
	SnippetURL string  `json:"snippet_url"`
	CreatedAt  apiTime `json:"created_at"`
}

type apiVariant struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	WeightBP  int    `json:"weight_bp"`
	Source    string `json:"source"`
	Model     string `json:"model,omitempty"`
	Angle     string `json:"angle,omitempty"`
	Rationale string `json:"rationale,omitempty"`
	Edited    bool   `json:"edited"`
}

type apiExperiment struct {
	ID       string `json:"id"`
	SiteID   string `json:"site_id"`
	Name     string `json:"name"`
	Page     string `json:"page"`
	Selector string `json:"selector"`
	// Goal is null, and page and selector "", while a draft saved to
	// draft copy for has none yet (experiments.Experiment.Unset): start
	// answers 422 for each until they are set.
	Goal      *experiments.Goal `json:"goal"`
	TrafficBP int               `json:"traffic_bp"`
	Threshold float64           `json:"threshold"`
	Status    string            `json:"status"`
	Brief     json.RawMessage   `json:"brief"`     // null without one, as other unset values
	ShareURL  *string           `json:"share_url"` // apiShareURL: null for a draft or a link turned off
	CreatedAt apiTime           `json:"created_at"`
	UpdatedAt apiTime           `json:"updated_at"`
	StartedAt *apiTime          `json:"started_at"`
	EndedAt   *apiTime          `json:"ended_at"`
	// StopsAt is the planned end (null: none): from then on copylab stops
	// the test by itself, as POST …/stop would (Store.StopDue). POST and
	// PATCH take a time (RFC 3339) or a day ("2026-12-12", its 00:00
	// UTC); null in a PATCH removes it (parsePlanTime).
	StopsAt *apiTime `json:"stops_at"`
	// StartsAt is a draft's planned start (null: none, and always once
	// started): from then on copylab starts it by itself, as POST …/start
	// would, with the same checks (Store.StartDue). Taken as stops_at is.
	StartsAt *apiTime `json:"starts_at"`
	// VisibleOnly: the tag counts a visitor only once the element was on
	// screen, not as soon as the page has it (the experiment form's box).
	VisibleOnly bool `json:"visible_only"`
	// ShippedVariant is the variant the tag shows every visitor ("" for
	// none), since ShippedAt: POST …/ship and …/unship.
	ShippedVariant string   `json:"shipped_variant"`
	ShippedAt      *apiTime `json:"shipped_at"`
	// SplitChangedAt is when the weights last changed after the start
	// (null: never); the split check counts visitors from the next day.
	SplitChangedAt *apiTime `json:"split_changed_at"`
	// Follows is the id of the test this one follows up (POST
	// …/duplicate {"from_shipped": true}, or a duplicate of such a
	// follow-up), whose copy, and that of the tests it follows, its drafts
	// leave out; null for any other experiment, and once that test is
	// deleted.
	Follows    *string      `json:"follows"`
	Variants   []apiVariant `json:"variants"`
	ResultsURL string       `json:"results_url"`
	// Warnings, in the answer of a PATCH or a create only: what the change
	// stopped (a started test at 0%), or what a create made of a page
	// pasted as a whole address (pastedNotes), saved all the same.
	Warnings []apiWarning `json:"warnings,omitempty"`
}

// apiWarning is a change that was made but deserves a second look: a code
// and a sentence, as errors have.
type apiWarning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (a *App) apiSiteOf(s experiments.Site) apiSite {
	return apiSite{ID: s.ID, Key: s.Key, Name: s.Name, Domain: s.Domain, Snippet: a.snippetTag(s.Key),
		SnippetURL: a.snippetURL(s.Key), CreatedAt: apiTime(s.CreatedAt)}
}

// optTime is t as the API writes it, or nil (null) when it is not set.
func optTime(t time.Time) *apiTime {
	if t.IsZero() {
		return nil
	}
	u := apiTime(t)
	return &u
}

// optGoal is an experiment's goal, or nil (null) while it has none: a
// draft's goal type alone, with nothing to click, visit or send, is not
// a goal yet.
func optGoal(g experiments.Goal) *experiments.Goal {
	if strings.TrimSpace(g.Value()) == "" {
		return nil
	}
	return &g
}

// apiShareURL is an experiment's share_url: its read-only results link
// once the test has started, and nil (null) for a draft or while the link
// is turned off (DELETE …/share-link; POST makes a new one). The pages offer
// the link only then, a draft's opens nothing but "not started yet", and
// one turned off opens nothing at all. The field stays, null as started_at
// is, so clients that read it keep working.
func (a *App) apiShareURL(e experiments.Experiment) *string {
	if e.Status == experiments.StatusDraft || e.ShareOff {
		return nil
	}
	u := a.shareURL(e)
	return &u
}

func (a *App) apiExperimentOf(e experiments.Experiment) apiExperiment {
	out := apiExperiment{
		ID: e.ID, SiteID: e.SiteID, Name: e.Name, Page: e.Page, Selector: e.Selector, Goal: optGoal(e.Goal), VisibleOnly: e.VisibleOnly,
		TrafficBP: e.CoverageBP, Threshold: e.Threshold, Status: string(e.Status), ShareURL: a.apiShareURL(e),
		CreatedAt: apiTime(e.CreatedAt), UpdatedAt: apiTime(e.UpdatedAt), StartedAt: optTime(e.StartedAt), EndedAt: optTime(e.EndedAt),
		StopsAt:        optTime(e.StopsAt),
		StartsAt:       optTime(e.StartsAt),
		ShippedVariant: e.ShippedVariant, ShippedAt: optTime(e.ShippedAt),
		SplitChangedAt: optTime(e.SplitChangedAt),
		Follows:        optString(e.FollowsID),
		Variants:       make([]apiVariant, len(e.Variants)),
		ResultsURL:     a.cfg.PublicURL + "/api/v1/experiments/" + e.ID + "/results",
	}
	if b := strings.TrimSpace(e.Brief); b != "" && b != "{}" && json.Valid([]byte(b)) {
		out.Brief = json.RawMessage(b)
	}
	for i, v := range e.Variants {
		out.Variants[i] = apiVariant{Key: v.Key, Text: v.Text, WeightBP: v.WeightBP, Source: v.Source,
			Model: v.Model, Angle: v.Angle, Rationale: v.Rationale, Edited: v.Edited}
	}
	return out
}

// decodeJSON reads a JSON request body into v, strictly: one object, no
// unknown fields (a typo should fail loudly, not be ignored). It decodes
// as POST /e does (experiments/wire.go), with go-json-experiment/json:
// names match exactly, and a name given twice or invalid UTF-8 is
// invalid_json rather than the last value or U+FFFD. Errors name the value
// by its path, as in brief.goal or variants[1].text. A leading byte-order
// mark is dropped (jsonBody).
func decodeJSON(c *fiber.Ctx, v any) error {
	if ct := c.Get(fiber.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &httpError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "Send a JSON body with Content-Type: application/json."}
		}
	}
	body := jsonBody(c)
	start := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(start) == 0:
		return errBadRequest("invalid_json", "", "The body is empty; send a JSON object.")
	case !utf8.Valid(body):
		// jsontext reports it too, but with no error value to tell it by.
		return errBadRequest("invalid_json", "", fmt.Sprintf("The body is not valid UTF-8 (at byte %d); send JSON text in UTF-8.", invalidUTF8At(body)))
	case start[0] != '{':
		return errBadRequest("invalid_json", "", "The body must be a JSON object, {…}.")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	if err := jsonv2.UnmarshalDecode(dec, v, apiJSONOptions); err != nil {
		return jsonError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return errBadRequest("invalid_json", "", "Send exactly one JSON object.")
	}
	return nil
}

// apiJSONOptions are how the API reads a body: a name the call does not
// take is an error (unknown_field), and a whole number may be written
// with an exponent or a fraction of zeros (wholeNumber).
var apiJSONOptions = jsonv2.JoinOptions(jsonv2.RejectUnknownMembers(true), jsonv2.WithUnmarshalers(jsonv2.UnmarshalFromFunc(wholeNumber)))

// wholeNumber reads a JSON number into an int also when it is a whole
// number written with an exponent or a fraction (5e3, 5000.0), as some
// JSON encoders write numbers and JSON says the same number: the
// decoder's own refuses anything but digits. Up to 2^53, where a float64
// holds every whole number, which is past every limit the API has; a
// number beyond is too large, and one that is not whole is left to the
// decoder's own error (must be a whole number).
func wholeNumber(dec *jsontext.Decoder, v *int) error {
	if dec.PeekKind() != '0' {
		return jsonv2.SkipFunc
	}
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if !bytes.ContainsAny(val, ".eE") {
		return jsonv2.Unmarshal(val, v)
	}
	f, err := strconv.ParseFloat(string(val), 64) // ±Inf past float64's range, which is whole
	switch {
	case f != math.Trunc(f) || err != nil && !math.IsInf(f, 0):
		return jsonv2.Unmarshal(val, v)
	case math.Abs(f) > 1<<53:
		return &jsonv2.SemanticError{JSONKind: '0', JSONValue: val, GoType: reflect.TypeFor[int](), Err: strconv.ErrRange}
	}
	*v = int(f)
	return nil
}

// bodyTooLargeMessage is the sentence of a body over the server's limit
// (bodyLimit), which the HTTP server refuses before any route runs
// (fiberErrorBody): it names the limit, as POST /e's names its own
// (errEventsTooLarge), so that the sender knows how much to cut.
var bodyTooLargeMessage = "The request body is larger than " + sizeWords(bodyLimit) + "; send a smaller one."

// sizeWords is a limit in bytes as a sentence names it: "1 MiB",
// "64 KiB", or "1500 bytes" when it is neither.
func sizeWords(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
}

// utf8BOM is the byte-order mark some clients write before UTF-8 text:
// Windows PowerShell (Invoke-RestMethod with a body read from a file, or
// encoded with [Text.Encoding]::UTF8), .NET's Encoding.UTF8. It says
// nothing about the JSON after it, and RFC 8259 (section 8.1) lets a
// parser ignore it.
var utf8BOM = []byte("\xEF\xBB\xBF")

// jsonBody is the request's raw body without a leading byte-order mark,
// which it takes off the request itself, so that the handlers that read
// the raw body again after decodeJSON (to tell a member sent as null
// from one left out) read the same JSON. The raw body: Ctx.Body would
// inflate a compressed one without a limit (refuseEncodedBodies refuses
// those first).
func jsonBody(c *fiber.Ctx) []byte {
	body := c.Request().Body()
	if !bytes.HasPrefix(body, utf8BOM) {
		return body
	}
	// A copy: SetBody may reuse the buffer body is in.
	c.Request().SetBody(bytes.Clone(body[len(utf8BOM):]))
	return c.Request().Body()
}

// noBody checks the body of a call that takes none (start, unship, the
// DELETEs, …): none, or an empty object, is fine; a name in it is
// unknown_field, as for any call that does not take it, rather than
// silently ignored.
func noBody(c *fiber.Ctx) error {
	if len(bytes.TrimSpace(jsonBody(c))) == 0 {
		return nil
	}
	return decodeJSON(c, &struct{}{})
}

// jsonError says what is wrong with a body jsonv2 refused, naming the value
// at fault.
func jsonError(err error) error {
	var se *jsonv2.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &syn):
		field := experiments.FieldPath(syn.JSONPointer)
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			return errBadRequest("invalid_json", field, fmt.Sprintf("The field %q is given twice; send it once.", field))
		}
		return errBadRequest("invalid_json", "", fmt.Sprintf("The body is not valid JSON (at byte %d: %v).", syn.ByteOffset, syn.Err))
	case errors.As(err, &se):
		field := experiments.FieldPath(se.JSONPointer)
		switch {
		case errors.Is(se.Err, jsonv2.ErrUnknownName):
			msg := fmt.Sprintf("The field %q is not part of this API (names are matched exactly).", field)
			if names := jsonNames(se.GoType); len(names) > 0 {
				msg = fmt.Sprintf("The field %q is not part of this API (names are matched exactly); here it takes %s.", field, orList(names))
			} else if isEmptyStruct(se.GoType) {
				// noBody's struct{}: the call reads no body at all.
				msg = fmt.Sprintf("The field %q is not part of this API: this call takes no body (send none, or {}).", field)
			}
			return errBadRequest("unknown_field", field, msg)
		case field == "":
			return errBadRequest("invalid_json", "", "The body must be a JSON object, {…}.")
		case se.JSONKind == '0' && errors.Is(se.Err, strconv.ErrRange):
			return errBadRequest("invalid_json", field, fmt.Sprintf("The number in the field %q is too large.", field))
		case se.JSONKind == '0' && errors.Is(se.Err, strconv.ErrSyntax):
			// A fraction or an exponent where a whole number goes.
			return errBadRequest("invalid_json", field, fmt.Sprintf("The field %q must be a whole number, such as 5000.", field))
		case se.GoType != nil:
			return errBadRequest("invalid_json", field, fmt.Sprintf("The field %q must be %s.", field, jsonTypeName(se.GoType.Kind())))
		}
		return errBadRequest("invalid_json", field, fmt.Sprintf("The field %q is not valid.", field))
	}
	return errBadRequest("invalid_json", "", "The body is not valid JSON.")
}

// jsonNames are the JSON names of a struct type's fields, in order (none
// for another type): what an object in its place may hold.
func jsonNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// isEmptyStruct tells whether t is a struct type without fields, as
// noBody decodes into.
func isEmptyStruct(t reflect.Type) bool {
	return t != nil && t.Kind() == reflect.Struct && t.NumField() == 0
}

// invalidUTF8At is the offset of the first byte of b that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func jsonTypeName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

// apiIDPaths are the API's paths whose next segment is the id copylab
// made for an experiment or a site (experiments.NewID: a UUID, in lower
// case).
var apiIDPaths = []string{"/api/v1/experiments/", "/api/v1/sites/"}

// apiLowerIDs lets the API's paths name an experiment or a site in any
// case, as the tag's preview links do (canonicalQA): some clients write
// every UUID in capitals. It runs before the API's routes are matched
// (routes.go), and puts the id in the path in lower case, as the store
// keeps it, so that c.Params("id") reads it so in every handler, present
// and future, with nothing for each to remember. The rest of the path
// (a variant's key) is left as sent. A path whose id is in lower case
// already, nearly every one, is left alone: one scan of the id.
func (a *App) apiLowerIDs(c *fiber.Ctx) error {
	path := c.Path()
	for _, p := range apiIDPaths {
		rest, ok := strings.CutPrefix(path, p)
		if !ok {
			continue
		}
		id, _, _ := strings.Cut(rest, "/")
		if lower := asciiLower(id); lower != id {
			c.Path(p + lower + rest[len(id):])
		}
		break
	}
	return c.Next()
}

// asciiLower is s with its ASCII capitals in lower case; s itself, not a
// copy, when it has none. Other letters are left as they are: an id is
// ASCII, and anything else in its place is not found in any case.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if 'A' <= b[j] && b[j] <= 'Z' {
			b[j] += 'a' - 'A'
		}
	}
	return string(b)
}

// apiNotFound is the last middleware of the API's routes (routes.go): a
// store's not found (experiments.ErrNotFound) that reaches it says, in
// the API's words, what is not there, rather than the pages' sentence
// about old links. The route tells what its :id names; the calls that can
// miss something else (a variant) say so themselves.
func (a *App) apiNotFound(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil || !errors.Is(err, experiments.ErrNotFound) {
		return err
	}
	switch route := c.Route().Path; {
	case strings.HasPrefix(route, "/api/v1/experiments/:id"):
		return newHTTPError(http.StatusNotFound, "not_found", "No experiment has this id.")
	case strings.HasPrefix(route, "/api/v1/sites/:id"):
		return newHTTPError(http.StatusNotFound, "not_found", "No site has this id.")
	}
	return err
}

// apiQueryParams are the query parameters of the API's calls that take
// any, by method and route ("GET /api/v1/experiments"): every other call,
// and every POST, PATCH and DELETE, takes none.
var apiQueryParams = map[string][]string{
	fiber.MethodGet + " /api/v1/experiments":                apiListParams,
	fiber.MethodGet + " /api/v1/experiments/:id/events":     apiEventsParams,
	fiber.MethodGet + " /api/v1/experiments/:id/events.csv": apiEventsParams,
	fiber.MethodGet + " /api/v1/experiments/:id/recordings": apiRecordingsParams,
}

// apiQuery checks the query of every call of the API, before its handler
// runs (routes.go): a parameter the call does not take (apiQueryParams) is
// 400 unknown_parameter, and one given twice 400 repeated_parameter
// (checkQuery). Ignored, a parameter misleads whoever sent it:
// …/results?variant=b answered every variant, ?offset=2 answered page one
// again, DELETE …?dry_run=1 deleted, and POST …/ship?variant=b shipped
// nothing it was asked to (the variant goes in the body). It is one check
// keyed by method and route, so that a call added later is held to it
// with nothing to remember. A HEAD is its GET's: Fiber answers it with
// the GET's handler.
func (a *App) apiQuery(c *fiber.Ctx) error {
	m := c.Method()
	if m == fiber.MethodHead {
		m = fiber.MethodGet
	}
	if err := checkQuery(c, apiQueryParams[m+" "+c.Route().Path]...); err != nil {
		return err
	}
	return c.Next()
}

// checkQuery refuses, with 400, a query parameter the call does not take
// (unknown_parameter, naming those it takes, or saying it takes none),
// and one given twice (repeated_parameter): of status=stopped&
// status=running one was silently used. Names are matched exactly, as
// the members of a body are; field is the parameter's name.
func checkQuery(c *fiber.Ctx, takes ...string) error {
	var err error
	seen := map[string]bool{}
	c.Request().URI().QueryArgs().VisitAll(func(k, _ []byte) {
		name := clip(strings.ToValidUTF8(string(k), "\uFFFD"), 40)
		switch {
		case err != nil:
		case !slices.Contains(takes, string(k)) && len(takes) == 0:
			err = errBadRequest("unknown_parameter", name, fmt.Sprintf("The query parameter %q is not one this call takes; it takes none.", name))
		case !slices.Contains(takes, string(k)):
			quoted := make([]string, len(takes))
			for i, t := range takes {
				quoted[i] = strconv.Quote(t)
			}
			err = errBadRequest("unknown_parameter", name, fmt.Sprintf("The query parameter %q is not one this call takes "+
				"(names are matched exactly); it takes %s.", name, orList(quoted)))
		case seen[string(k)]:
			err = errBadRequest("repeated_parameter", name, fmt.Sprintf("The query parameter %q is given more than once; send it once.", name))
		}
		seen[string(k)] = true
	})
	return err
}

// apiWords puts a validation error of the store in the API's words: the
// API's names for its fields (apiExperimentFields: traffic_bp, not the
// store's coverage_bp), and bounds and sums in the unit the field is sent
// in, basis points or a fraction, with the percentage the pages use
// beside them. The store's checks decide what is wrong; only the sentence
// of a field and code changes here, and any other stays the store's.
// weights are the weight_bp values the request sent, for the sum a
// weights_sum error names (nil when it sent none).
func apiWords(err error, weights []int) error {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := make(experiments.ValidationError, len(ve))
	for i, f := range ve {
		if to, ok := apiExperimentFields[f.Field]; ok {
			f.Field = to
		}
		switch {
		case f.Code == "out_of_range" && (f.Field == "traffic_bp" || f.Field == "weight_bp" || strings.HasSuffix(f.Field, ".weight_bp")):
			f.Message = f.Field + " must be between 0 and 10000 (0% to 100%)."
		case f.Code == "out_of_range" && f.Field == "threshold":
			f.Message = "threshold must be between 0.005 and 1 (0.5% to 100%)."
		case f.Code == "weights_sum" && weights != nil:
			sum := 0
			for _, w := range weights {
				sum += w
			}
			f.Message = fmt.Sprintf("The variants' weight_bp must add up to 10000 (100%%); they add up to %d (%s%%).",
				sum, strconv.FormatFloat(float64(sum)/100, 'f', -1, 64))
		case f.Code == "weights_sum":
			f.Message = "The variants' weight_bp must add up to 10000 (100%)."
		}
		out[i] = f
	}
	return out
}

// apiRoute is one path of the JSON API and the methods it takes.
type apiRoute struct {
	segments []string // ":name" matches any one segment
	methods  []string // sorted, HEAD included where Fiber adds it to GET
}

// apiRoutesOf reads the API's paths and methods from the routes registered
// so far (routes.go calls it after the API group), so the 405 answers and
// their Allow headers follow the route table by construction. The API's
// paths are plain segments and :params; a wildcard path is left out.
func apiRoutesOf(rs []fiber.Route) []apiRoute {
	byPath := map[string][]string{}
	var order []string
	for _, r := range rs {
		if !strings.HasPrefix(r.Path, "/api/") || strings.Contains(r.Path, "*") {
			continue
		}
		if _, ok := byPath[r.Path]; !ok {
			order = append(order, r.Path)
		}
		if !slices.Contains(byPath[r.Path], r.Method) {
			byPath[r.Path] = append(byPath[r.Path], r.Method)
		}
	}
	out := make([]apiRoute, 0, len(order))
	for _, p := range order {
		slices.Sort(byPath[p])
		out = append(out, apiRoute{segments: strings.Split(strings.TrimSuffix(p, "/"), "/"), methods: byPath[p]})
	}
	return out
}

// methodsFor returns the methods of the route path matches, or nil. Like
// the app's router (app.go), it is case-sensitive and ignores one trailing
// slash.
func methodsFor(routes []apiRoute, path string) []string {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	segs := strings.Split(path, "/")
	for _, r := range routes {
		if len(r.segments) != len(segs) {
			continue
		}
		match := true
		for i, s := range r.segments {
			if strings.HasPrefix(s, ":") && segs[i] != "" || s == segs[i] {
				continue
			}
			match = false
			break
		}
		if match {
			return r.methods
		}
	}
	return nil
}

// apiNoRoute returns the handler of /api paths that no route took: a path
// of the API asked with another method answers 405 with an Allow header
// and the methods it takes, as Fiber answers for the other routes; any
// other path answers 404. Neither needs a token: the route table is the
// README's.
func apiNoRoute(routes []apiRoute) fiber.Handler {
	return func(c *fiber.Ctx) error {
		methods := methodsFor(routes, c.Path())
		if len(methods) == 0 {
			return newHTTPError(http.StatusNotFound, "not_found", "There is no such API route. See the HTTP section of the README.")
		}
		c.Set(fiber.HeaderAllow, strings.Join(methods, ", "))
		// The sentence names what Allow lists, HEAD too: a client that
		// reads one should not find the other disagree.
		return newHTTPError(http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s does not take %s; it takes %s. See the HTTP section of the README.", c.Path(), c.Method(), orList(methods)))
	}
}

// orList joins words as a sentence does: "GET", "GET or POST", "DELETE,
// GET or PATCH".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
