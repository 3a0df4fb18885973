package experiments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits on one event request (DESIGN.md, "Events: POST /e").
const (
	DefaultMaxBody   = 64 << 10 // bytes of one request body
	DefaultMaxEvents = 100      // events in one request
	MaxVisitorLen    = 128      // characters of a visitor id
	MaxEventURLLen   = 2048     // bytes of an event's url and ref (kept; longer ones are cut)
	MaxGoalLen       = 64       // characters of a conversion's goal
	MaxUTMLen        = 128      // bytes of utm_source (kept; longer ones are cut)
	maxSwapMS        = 3_600_000
	maxClientTS      = 100_000_000_000_000 // far beyond any real clock, in ms
)

// Codes of rejected event requests, with the status each is answered with.
// Every malformed body is a 4xx; only the 503 codes ask the sender to retry.
const (
	CodeInvalidJSON          = "invalid_json"           // 400: not a JSON object of the documented shape
	CodeRequired             = "required"               // 400: Field is missing
	CodeInvalidVisitor       = "invalid_visitor"        // 400: visitor is not 1..128 printable characters
	CodeInvalidID            = "invalid_id"             // 400: an event id is not a UUID
	CodeDuplicateID          = "duplicate_id"           // 422: two different events of one body have the same id
	CodeInvalidType          = "invalid_type"           // 400: type is not exposure, conversion or recording
	CodeInvalidGoal          = "invalid_goal"           // 400: goal has characters other than letters, digits, _ . : -
	CodeInvalidValue         = "invalid_value"          // 400: a string with control characters
	CodeTooLong              = "too_long"               // 400: a field over its limit
	CodeOutOfRange           = "out_of_range"           // 400: ts is negative or absurd, or ms negative
	CodeBodyTooLarge         = "too_large"              // 413, as the HTTP layer's own body limit
	CodeTooManyEvents        = "too_many_events"        // 413
	CodeUnknownSite          = "unknown_site"           // 404
	CodeUnknownExperiment    = "unknown_experiment"     // 404: no such experiment on this site
	CodeUnknownVariant       = "unknown_variant"        // 422: the experiment has no such variant
	CodeExperimentNotRunning = "experiment_not_running" // 422: the experiment is a draft
	CodeQueueFull            = "queue_full"             // 503: too many events waiting for the disk
	CodeWriteFailed          = "write_failed"           // 503: the batch could not be committed
	CodeStorageFull          = "storage_full"           // 503: the batch could not be committed for lack of space (IsStorageFull)
	CodeTimeout              = "timeout"                // 503: the caller's context ended first
	CodeShuttingDown         = "shutting_down"          // 503
	CodeLookupFailed         = "lookup_failed"          // 503: the site or experiment could not be read
)

// SkipUnknownExperiment is the Skip reason of an event for an experiment
// the site does not have, sent with events for ones it has (a test deleted
// since the page loaded): left out, the rest kept.
const SkipUnknownExperiment = CodeUnknownExperiment

// Reasons why a stored event was not counted (IngestResult.Reasons and the
// events.ignored column).
const (
	ReasonNotRunning       = "experiment_not_running" // paused or stopped: stored, never counted
	ReasonBot              = "bot"
	ReasonNotMatched       = "not_matched" // matched:false exposures are health telemetry only
	ReasonMultipleVariants = "multiple_variants"
	ReasonGoalMismatch     = "goal_mismatch"
	ReasonNoExposure       = "no_exposure"
	ReasonBeforeExposure   = "before_exposure"
	ReasonAlreadyConverted = "already_converted"
	ReasonDeleted          = "experiment_deleted" // deleted while the event waited; not stored
)

// wireBody is the JSON of a POST /e body. Unknown fields are allowed so that
// newer snippets keep working with an older server.
type wireBody struct {
	Site    string      `json:"site"`
	Visitor string      `json:"visitor"`
	Bot     bool        `json:"bot"`
	Events  []wireEvent `json:"events"`
}

// wireEvent is one event of a body. A field added here is compared by
// sameWireEvent too (TestSameWireEventEveryField).
type wireEvent struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	Experiment string   `json:"experiment"`
	Variant    string   `json:"variant"`
	Goal       string   `json:"goal"`
	URL        string   `json:"url"`
	TS         *float64 `json:"ts"`
	Matched    *bool    `json:"matched"`
	MS         *float64 `json:"ms"`
	Ref        string   `json:"ref"`
	UTM        string   `json:"utm"`
	// "recording" events (recordings.go). The session and replay are the
	// recorder's, from the page: any JSON value is taken (wire.go).
	Recorder string     `json:"recorder"`
	Session  pageString `json:"session"`
	Replay   pageString `json:"replay"`
}

// event is one validated event, ready for the writer.
type event struct {
	id         [16]byte
	exposure   bool
	experiment string
	variant    string
	goal       string
	url        string
	clientTS   int64 // -1 when not sent
	matched    bool
	swapMS     int64 // -1 when not sent
	refDomain  string
	utm        string
	rec        *recordingEvent // set for "recording" events (recordings.go)
}

// request is one validated POST /e body and what the HTTP layer told about
// its sender.
type request struct {
	siteID   string
	visitor  string
	bot      bool  // sent "bot": true
	uaBot    bool  // the user agent is a bot's (applies to exposures)
	at       int64 // server time, ms
	country  string
	device   string
	browser  string
	events   []event
	skipped  []string // Skip reasons of the events left out, in body order
	ctx      context.Context
	enqueued time.Time
	done     chan outcome
}

type outcome struct {
	res IngestResult
	err error
}

func reject(status int, code, field, format string, args ...any) *IngestError {
	return &IngestError{Status: status, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func badRequest(code, field, format string, args ...any) *IngestError {
	return reject(http.StatusBadRequest, code, field, format, args...)
}

// parse validates a body completely before anything is queued: one bad
// event rejects the whole request with the first problem found, in the
// order of the fields and events in the body. A "recording" event whose
// session or replay cannot be used is not a bad event: it is left out of
// r.events, its reason in r.skipped (parseRecording). Nor is an event for
// an experiment the site does not have, beside events for ones it has:
// a tag that loaded before the experiment was deleted (a tab left open,
// a cached tag) sends one visitor's events for every test on the page
// together, and drops a batch the server refuses, so refusing the
// request would lose the other tests' events too. Such an event is left
// out with SkipUnknownExperiment; a request with none but those is
// refused as before (404 unknown_experiment).
func (in *Ingester) parse(ctx context.Context, body []byte, meta RequestMeta) (*request, *IngestError) {
	if len(body) > in.o.MaxBody {
		return nil, reject(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "", "The body is %d bytes; the limit is %d.", len(body), in.o.MaxBody)
	}
	var w wireBody
	if ierr := decodeWire(body, &w); ierr != nil {
		return nil, ierr
	}
	if w.Site == "" {
		return nil, badRequest(CodeRequired, "site", "Send the site key as \"site\".")
	}
	if n := utf8.RuneCountInString(w.Visitor); w.Visitor == "" || n > MaxVisitorLen || !visitorID(w.Visitor) {
		return nil, badRequest(CodeInvalidVisitor, "visitor", "The visitor id must be 1 to %d printable characters.", MaxVisitorLen)
	}
	if len(w.Events) == 0 {
		return nil, badRequest(CodeRequired, "events", "Send at least one event in \"events\".")
	}
	if len(w.Events) > in.o.MaxEvents {
		return nil, reject(http.StatusRequestEntityTooLarge, CodeTooManyEvents, "events", "Send at most %d events per request (this has %d).", in.o.MaxEvents, len(w.Events))
	}
	site, ok, err := in.refs.site(ctx, w.Site)
	if err != nil {
		return nil, in.lookupFailed(err)
	}
	if !ok {
		return nil, reject(http.StatusNotFound, CodeUnknownSite, "site", "No site has the key %q.", clip(w.Site, 40))
	}
	if meta.Admit != nil {
		if ierr := meta.Admit(site.ID); ierr != nil {
			return nil, ierr
		}
	}
	r := &request{siteID: site.ID, visitor: w.Visitor, bot: w.Bot, events: make([]event, len(w.Events))}
	anyExposure := false
	n := 0
	var unknown *IngestError // the first event's for an experiment the site does not have
	// The id of every event so far, skipped ones too, in body order (on
	// the stack for the default MaxEvents: nothing allocated per request).
	// While they ascend, as a sender's UUIDv7s nearly always do (they
	// begin with the time), an id greater than the last repeats none and
	// needs no search (sameID).
	var idBuf [DefaultMaxEvents]uuid.UUID
	ids, ascending := idBuf[:0], true
	for i := range w.Events {
		e := &r.events[n]
		ierr := in.parseEvent(ctx, site.ID, &w.Events[i], e, eventField(i))
		if ierr != nil && ierr.Code != CodeUnknownExperiment {
			return nil, ierr
		}
		// An event left out (below) has a valid id too: parseEvent reads
		// the id first.
		if !ascending || len(ids) > 0 && bytes.Compare(ids[len(ids)-1][:], e.id[:]) >= 0 {
			ascending = false
			if ierr := sameID(ids, w.Events, i, e.id); ierr != nil {
				return nil, ierr
			}
		}
		ids = append(ids, e.id)
		if ierr != nil {
			if unknown == nil {
				unknown = ierr
			}
			r.skipped = append(r.skipped, SkipUnknownExperiment)
			*e = event{}
			continue
		}
		if e.rec != nil && e.rec.skip != "" {
			r.skipped = append(r.skipped, e.rec.skip)
			*e = event{} // the next event is parsed into this one
			continue
		}
		anyExposure = anyExposure || e.exposure || e.rec != nil
		n++
	}
	r.events = r.events[:n]
	if unknown != nil && n == 0 {
		return nil, unknown
	}
	at := meta.ReceivedAt
	if at.IsZero() {
		at = time.Now()
	}
	r.at = at.UnixMilli()
	// The request's metadata describes the visitor's browser only when it
	// sent exposures (the snippet does). Server-side conversions come from a
	// site's backend, whose user agent says nothing about the visitor.
	if anyExposure {
		ua := in.uas.lookup(meta.UserAgent, in.o.BotChecker)
		r.uaBot, r.device, r.browser = ua.bot, ua.device, ua.browser
		r.country = normalizeCountry(meta.Country)
	}
	return r, nil
}

// sameID refuses event i of ws, whose id is id, when an earlier event
// has its id but is not the same event. ids are the ids of ws[:i].
//
// Dedupe is by (site, id) across requests (DESIGN.md): a resend is
// harmless. So the same event twice in one body is too, and is stored
// once. But two events that differ under one id are the sender's mistake
// (ids derived from an order number, say, for the conversions of two
// tests): stored as one, the other would be lost without a word. The
// body is refused instead, naming both events.
//
// The search is a scan of 16-byte ids, allocating nothing. parse calls
// it only once the ids stop ascending, so a backend's batch of UUIDv7s
// costs no search at all; a body out of order costs at most
// MaxEvents²/2 compares (4,950 for the default 100), too few to tell
// from the noise of decoding it (BenchmarkIngestParse/100-descending).
func sameID(ids []uuid.UUID, ws []wireEvent, i int, id uuid.UUID) *IngestError {
	for j := range ids {
		if ids[j] == id && !sameWireEvent(&ws[j], &ws[i]) {
			return reject(http.StatusUnprocessableEntity, CodeDuplicateID, eventField(i)+"id",
				"events[%d] has the id of events[%d] but is another event; give every event its own id.", i, j)
		}
	}
	return nil
}

// sameWireEvent tells whether a and b are the same event as sent: every
// field equal, but for the id's spelling (upper or lower case), which
// sameID has compared as a UUID.
func sameWireEvent(a, b *wireEvent) bool {
	return a.Type == b.Type && a.Experiment == b.Experiment && a.Variant == b.Variant && a.Goal == b.Goal &&
		a.URL == b.URL && a.Ref == b.Ref && a.UTM == b.UTM && a.Recorder == b.Recorder &&
		a.Session == b.Session && a.Replay == b.Replay &&
		samePtr(a.TS, b.TS) && samePtr(a.Matched, b.Matched) && samePtr(a.MS, b.MS)
}

// samePtr tells whether two optional values are both absent, or both
// present and equal.
func samePtr[T comparable](a, b *T) bool {
	return a == b || a != nil && b != nil && *a == *b
}

// eventFields are the prefixes of the fields of the first events, made
// once: most requests carry one or two events, and errors name fields.
var eventFields = func() (f [DefaultMaxEvents]string) {
	for i := range f {
		f[i] = fmt.Sprintf("events[%d].", i)
	}
	return f
}()

func eventField(i int) string {
	if i < len(eventFields) {
		return eventFields[i]
	}
	return fmt.Sprintf("events[%d].", i)
}

func (in *Ingester) parseEvent(ctx context.Context, siteID string, w *wireEvent, e *event, field string) *IngestError {
	if w.ID == "" {
		return badRequest(CodeRequired, field+"id", "Give every event an id (a UUID).")
	}
	id, err := uuid.Parse(w.ID)
	if err != nil || len(w.ID) != 36 {
		// uuid.Parse also takes braces, urn: prefixes and bare hex; only the
		// canonical 36-character form is accepted so that one event has one
		// spelling.
		return badRequest(CodeInvalidID, field+"id", "The event id must be a UUID such as 0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b.")
	}
	e.id = id
	switch w.Type {
	case EventExposure:
		e.exposure = true
	case EventConversion:
	case EventRecording:
		e.rec = &recordingEvent{} // filled by parseRecording, below
	case "":
		return badRequest(CodeRequired, field+"type", "Give every event a type: exposure or conversion.")
	default:
		return badRequest(CodeInvalidType, field+"type", "The event type must be exposure, conversion or recording.")
	}
	if w.Experiment == "" {
		return badRequest(CodeRequired, field+"experiment", "Name the experiment of every event.")
	}
	exp, ok, err := in.refs.experiment(ctx, w.Experiment)
	if err != nil {
		return in.lookupFailed(err)
	}
	if !ok || exp.SiteID != siteID {
		return reject(http.StatusNotFound, CodeUnknownExperiment, field+"experiment", "This site has no experiment %q.", clip(w.Experiment, 40))
	}
	if exp.Status == StatusDraft {
		return reject(http.StatusUnprocessableEntity, CodeExperimentNotRunning, field+"experiment", "The experiment %q has not started.", exp.ID)
	}
	e.experiment = exp.ID
	switch {
	case w.Variant == "" && (e.exposure || e.rec != nil):
		return badRequest(CodeRequired, field+"variant", "Name the variant the visitor saw.")
	case w.Variant != "":
		if _, ok := exp.Variant(w.Variant); !ok {
			return reject(http.StatusUnprocessableEntity, CodeUnknownVariant, field+"variant", "The experiment has no variant %q.", clip(w.Variant, 40))
		}
	}
	e.variant = w.Variant
	if !e.exposure && e.rec == nil {
		switch {
		case w.Goal == "":
			return badRequest(CodeRequired, field+"goal", "Name the goal of a conversion (click, pageview or the custom event's name).")
		case utf8.RuneCountInString(w.Goal) > MaxGoalLen:
			return badRequest(CodeTooLong, field+"goal", "Keep the goal to at most %d characters.", MaxGoalLen)
		case !eventNameRe.MatchString(w.Goal):
			return badRequest(CodeInvalidGoal, field+"goal", "Goals use letters, digits, dots, colons, dashes and underscores.")
		}
		e.goal = w.Goal
	}
	// Not the fragment: sign-in callbacks carry tokens there
	// (#access_token=…), and nothing here reads it.
	url, _, _ := strings.Cut(w.URL, "#")
	e.url = clipMeta(url, MaxEventURLLen)
	e.clientTS = -1
	if w.TS != nil {
		if v := *w.TS; math.IsNaN(v) || v < 0 || v > maxClientTS {
			return badRequest(CodeOutOfRange, field+"ts", "ts is the sender's clock in Unix milliseconds.")
		}
		e.clientTS = int64(*w.TS)
	}
	e.matched = w.Matched == nil || *w.Matched
	e.swapMS = -1
	if w.MS != nil {
		if v := *w.MS; math.IsNaN(v) || v < 0 {
			return badRequest(CodeOutOfRange, field+"ms", "ms is the time from the start of the page view to the swap, 0 or more.")
		}
		// Past an hour it is no swap time: a tag that a tag manager added
		// long after the page opened counts from the page's start. The
		// exposure is kept, without it (it is only metadata).
		if e.exposure && *w.MS <= maxSwapMS {
			e.swapMS = int64(math.Round(*w.MS))
		}
	}
	if e.exposure {
		e.refDomain = RefDomain(clipMeta(w.Ref, MaxEventURLLen))
		e.utm = strings.TrimSpace(clipMeta(w.UTM, MaxUTMLen))
	}
	if e.rec != nil {
		return parseRecording(w, e, field)
	}
	return nil
}

// clipMeta makes a page's own words fit: url, ref and utm come from the
// visitor's address bar and whatever linked to it, which the sender does
// not choose, and refusing them would refuse the event with them (the tag
// drops a refused batch). Invalid UTF-8 and control characters become
// U+FFFD, and the text is cut to at most max bytes, at a character.
func clipMeta(s string, max int) string {
	if len(s) <= max && printable(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func (in *Ingester) lookupFailed(err error) *IngestError {
	in.log.Error("ingest: lookup", "err", err)
	return &IngestError{Status: http.StatusServiceUnavailable, Code: CodeLookupFailed, RetryAfter: time.Second,
		Message: "The server could not read its configuration; try again."}
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// visitorID reports whether s is printable characters as a visitor id
// must be: something besides spaces (or the blank Braille pattern, which
// prints as one), and none of the characters that print nothing yet
// change what the text around them looks like (format characters:
// zero-width spaces and joiners, direction marks, overrides and isolates,
// the byte-order mark, the soft hyphen), nor line or paragraph
// separators, nor the letters Unicode says to ignore when shown (its
// Other_Default_Ignorable_Code_Point: the Hangul fillers, the combining
// grapheme joiner). With them, one id can look like another, or like
// none, wherever ids are shown, logged or exported.
//
// Ids are nearly always ASCII (the tag's are UUIDs), which is checked
// byte by byte without the Unicode tables.
func visitorID(s string) bool {
	blank := true
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r < 0x20 || r == 0x7f {
				return false
			}
			if r != ' ' {
				blank = false
			}
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp,
			unicode.Other_Default_Ignorable_Code_Point) {
			return false
		}
		if !unicode.IsSpace(r) && r != '\u2800' {
			blank = false
		}
	}
	return !blank
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	default:
		return "number"
	}
}

// refCache remembers sites and experiments for a moment so that validating
// a request costs no query in the common case. It can only be stale in the
// accepting direction that matters little: what it has not seen, or saw as a
// draft, it reads again (at most every refRecheck), so a just-created site or
// just-started experiment works at once. The writer reads each experiment's
// status again inside its transaction before counting anything.
type refCache struct {
	s     *Store
	now   func() time.Time
	mu    sync.Mutex
	sites map[string]siteRef
	exps  map[string]expRef
}

const (
	refTTL     = 2 * time.Second
	refRecheck = 200 * time.Millisecond
	refMax     = 10_000 // entries per map before it is emptied
)

type siteRef struct {
	site   Site
	ok     bool
	loaded time.Time
}

type expRef struct {
	exp    Experiment
	ok     bool
	loaded time.Time
}

func (c *refCache) site(ctx context.Context, key string) (Site, bool, error) {
	now := c.now()
	c.mu.Lock()
	r, hit := c.sites[key]
	c.mu.Unlock()
	if hit && (now.Sub(r.loaded) < refRecheck || (r.ok && now.Sub(r.loaded) < refTTL)) {
		return r.site, r.ok, nil
	}
	if len(key) > 64 {
		return Site{}, false, nil
	}
	site, err := c.s.SiteByKey(ctx, key)
	r = siteRef{site: site, ok: err == nil, loaded: now}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Site{}, false, err
	}
	c.mu.Lock()
	if len(c.sites) >= refMax {
		clear(c.sites)
	}
	c.sites[key] = r
	c.mu.Unlock()
	return r.site, r.ok, nil
}

func (c *refCache) experiment(ctx context.Context, id string) (Experiment, bool, error) {
	now := c.now()
	c.mu.Lock()
	r, hit := c.exps[id]
	c.mu.Unlock()
	fresh := r.ok && r.exp.Status != StatusDraft && now.Sub(r.loaded) < refTTL
	if hit && (fresh || now.Sub(r.loaded) < refRecheck) {
		return r.exp, r.ok, nil
	}
	if len(id) > 64 {
		return Experiment{}, false, nil
	}
	exp, err := c.s.Experiment(ctx, id)
	r = expRef{exp: exp, ok: err == nil, loaded: now}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Experiment{}, false, err
	}
	c.mu.Lock()
	if len(c.exps) >= refMax {
		clear(c.exps)
	}
	c.exps[id] = r
	c.mu.Unlock()
	return r.exp, r.ok, nil
}
