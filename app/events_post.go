package app

import (
	"bytes"
	"mime"
	"net/http"
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
// handleError).
func (a *App) eventsPost(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if ct := c.Get(fiber.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/plain" && mt != "application/json") {
			return &httpError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
				Message: "Send the events as JSON, with Content-Type text/plain or application/json."}
		}
	}
	body := c.Body()
	if len(body) > maxEventBody {
		return &httpError{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: "The body is larger than " + strconv.Itoa(maxEventBody>>10) + " KiB; send fewer events per request."}
	}
	meta := experiments.RequestMeta{
		UserAgent:  c.Get(fiber.HeaderUserAgent), // a copy: the app is Immutable
		IP:         a.clientIP(c),
		Country:    a.country(c),
		ReceivedAt: a.now(),
	}
	// The ingester may still hold the body after a cancelled request
	// returns; fasthttp reuses its buffer, so hand over a copy.
	res, err := a.ing.Ingest(c.UserContext(), bytes.Clone(body), meta)
	if err != nil {
		return err
	}
	if res.Ignored > 0 {
		c.Set("X-Copylab", "stored; "+strconv.Itoa(res.Ignored)+" not counted: "+strings.Join(res.Reasons, ", "))
	} else if res.Duplicates > 0 {
		c.Set("X-Copylab", "stored; "+strconv.Itoa(res.Duplicates)+" already received")
	}
	return c.SendStatus(http.StatusNoContent)
}
