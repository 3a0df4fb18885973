package app

import (
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// maxEventBody caps POST /e below the app's BodyLimit: a page view sends a
// few hundred bytes, a backend batch a few kilobytes.
const maxEventBody = 64 << 10

// eventsPreflight answers CORS preflights for POST /e. The snippet sends
// text/plain to avoid them, but a site's own code posting application/json
// triggers one.
func (a *App) eventsPreflight(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowMethods, "POST, OPTIONS")
	c.Set(fiber.HeaderAccessControlAllowHeaders, "Content-Type")
	c.Set(fiber.HeaderAccessControlMaxAge, "86400")
	return c.SendStatus(http.StatusNoContent)
}

// eventsPost answers POST /e: it hands the body to the ingester and
// answers 204 only once every event is committed. Rejections carry the
// reason in an X-Copylab header as well as in the JSON body (see
// handleError), and are cheap: the declared length and the media type are
// checked before the body is looked at, and the ingester caches sites and
// experiments (unknown ones too) so that a rejected body costs no query.
func (a *App) eventsPost(c *fiber.Ctx) error {
	res, err := a.ingestEvents(c)
	a.metrics.events(res, err)
	if err != nil {
		return err
	}
	if h := storedHeader(res); h != "" {
		c.Set("X-Copylab", headerText(h)) // reasons are codes, but never raw UTF-8 in a header
	}
	return c.SendStatus(http.StatusNoContent)
}

// storedHeader is the X-Copylab header of an accepted request, or "" when
// every event was stored and counted, which is nearly every request: it
// then allocates nothing. Otherwise it names each part: the events of a
// test deleted while they waited (experiments.ReasonDeleted), which are
// not stored; how many were stored but not counted and why; how many
// were received before; how many were skipped and why (a recorder's
// session copylab cannot link to, which is the page's doing, not the
// sender's: the rest of the request is stored all the same); and how many
// recordings were kept without the replay URL or the session id they
// came with, and why.
//
// It starts "nothing stored" when no event of the request is in the
// database: all were skipped, or were for a deleted test. Events received
// before are stored, by the earlier request.
func storedHeader(res experiments.IngestResult) string {
	if res.Ignored == 0 && res.Duplicates == 0 && len(res.Skipped) == 0 && len(res.ReplaysDropped) == 0 &&
		len(res.SessionsDropped) == 0 {
		return ""
	}
	h := ""
	if res.Ignored > 0 {
		h = ignoredClauses(res)
	}
	if res.Duplicates > 0 {
		h += "; " + strconv.Itoa(res.Duplicates) + " already received"
	}
	h += reasonsClause(res.Skipped, "skipped") + reasonsClause(res.ReplaysDropped, "kept without replay") +
		reasonsClause(res.SessionsDropped, "kept without session")
	if res.Stored == 0 && res.Duplicates == 0 {
		return "nothing stored" + h
	}
	return "stored" + h
}

// ignoredClauses is "; N not stored: experiment_deleted" for the events
// of a test deleted while they waited, which are not written, and "; N
// not counted: REASON, …" for the ones stored and not counted.
func ignoredClauses(res experiments.IngestResult) string {
	h, counted, n := "", res.Reasons, res.Ignored
	if i := slices.Index(res.Reasons, experiments.ReasonDeleted); i >= 0 {
		h = "; " + strconv.Itoa(res.ReasonCounts[i]) + " not stored: " + experiments.ReasonDeleted
		counted, n = slices.Delete(slices.Clone(counted), i, i+1), n-res.ReasonCounts[i]
	}
	if n > 0 {
		h += "; " + strconv.Itoa(n) + " not counted: " + strings.Join(counted, ", ")
	}
	return h
}

// reasonsClause is "; N what: REASON, …" with the distinct reasons,
// sorted, or "" when there are none.
func reasonsClause(reasons []string, what string) string {
	if len(reasons) == 0 {
		return ""
	}
	distinct := slices.Clone(reasons)
	slices.Sort(distinct)
	return "; " + strconv.Itoa(len(reasons)) + " " + what + ": " + strings.Join(slices.Compact(distinct), ", ")
}

var errEventsTooLarge = &httpError{Status: http.StatusRequestEntityTooLarge, Code: experiments.CodeBodyTooLarge,
	Message: "The body is larger than " + sizeWords(maxEventBody) + "; send fewer events per request."}

func (a *App) ingestEvents(c *fiber.Ctx) (experiments.IngestResult, error) {
	if c.Request().Header.ContentLength() > maxEventBody {
		return experiments.IngestResult{}, errEventsTooLarge
	}
	if ct := c.Request().Header.ContentType(); len(ct) > 0 && !plainOrJSON(ct) {
		return experiments.IngestResult{}, &httpError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "Send the events as JSON, with Content-Type text/plain or application/json."}
	}
	// The raw body: refuseEncodedBodies let no compressed one through, and
	// Ctx.Body would copy it (the app is Immutable) for nothing. Ingest
	// reads it only before it returns (it keeps decoded copies of what it
	// needs), so fasthttp may reuse the buffer afterwards.
	body := c.Request().Body()
	if len(body) > maxEventBody { // chunked bodies declare no length
		return experiments.IngestResult{}, errEventsTooLarge
	}
	meta := experiments.RequestMeta{
		UserAgent: c.Get(fiber.HeaderUserAgent), // a copy: the app is Immutable
		IP:        a.clientIP(c),
		Country:   a.visitorCountry(c), // geo_country.go
		Clock:     a.now,               // read when the request joins the writer's queue
	}
	if a.rateSite != nil {
		meta.Admit = a.admitSite
	}
	return a.ing.Ingest(c.UserContext(), body, meta)
}

// plainOrJSON tells whether a Content-Type is text/plain or
// application/json, with any parameters. The common spellings are matched
// without allocating.
func plainOrJSON(ct []byte) bool {
	switch string(ct) {
	case "text/plain;charset=UTF-8", "text/plain", "application/json", "text/plain; charset=utf-8", "application/json; charset=utf-8":
		return true
	}
	mt, _, err := mime.ParseMediaType(string(ct))
	return err == nil && (mt == "text/plain" || mt == "application/json")
}
