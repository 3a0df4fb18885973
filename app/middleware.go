package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Keys of values middleware leaves in the request's locals.
const (
	localRequestID = "copylab.rid"
	localClientIP  = "copylab.ip"
	localSession   = "copylab.session"
	localAPIUser   = "copylab.apiuser"
)

// requestID gives every request an id, taken from a sane X-Request-Id
// header (a proxy's) or made up, and echoes it in the answer.
func (a *App) requestID(c *fiber.Ctx) error {
	rid := c.Get(fiber.HeaderXRequestID)
	if !saneRequestID(rid) {
		rid = hex.EncodeToString(randomBytes(8))
	}
	c.Locals(localRequestID, rid)
	c.Set(fiber.HeaderXRequestID, rid)
	return c.Next()
}

func saneRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func requestIDOf(c *fiber.Ctx) string {
	rid, _ := c.Locals(localRequestID).(string)
	return rid
}

// logRequests writes one structured line per request. It also hands any
// error of the chain to handleError right away, so that the line carries
// the status the client really gets. Public traffic (the snippet and events,
// one request per visitor page view) logs at debug level unless the server
// failed (5xx). Its rejections (4xx) too: a misconfigured site or a flood of
// made-up events would otherwise write a line per request, which tripled
// the CPU of a rejection to a discarded text log; /metrics counts them by
// code, and the answer's body tells the sender why.
func (a *App) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := a.handleError(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if aud := audienceOf(c.Path()); (aud == forSnippet || aud == forEvents || strings.HasPrefix(c.Path(), "/static/")) && status < 500 {
		level = slog.LevelDebug
	}
	if !a.log.Enabled(c.UserContext(), level) {
		return nil // the attributes below cost more than the check
	}
	a.log.LogAttrs(c.UserContext(), level, "http",
		slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Method()),
		slog.String("path", logPath(c.Path())), // an invite link's token cut off (invites.go)
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("ip", a.clientIP(c)))
	return nil
}

// recoverPanics turns a panic in a handler into a 500 with the stack in the log.
func (a *App) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("panic", "request_id", requestIDOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("app: panic: %v", r)
		}
	}()
	return c.Next()
}

// The Content Security Policy of the app's pages: only our own scripts and
// styles, no inline ones, no framing.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

// securityHeaders sets the headers every answer carries, and those of the
// app's own pages and API; publicHeaders adds what the snippet and events
// need for cross-site use.
func (a *App) securityHeaders(c *fiber.Ctx) error {
	a.setSecurityHeaders(&c.Response().Header, c.Path())
	return c.Next()
}

// setSecurityHeaders sets securityHeaders' headers for an answer on path.
// handleError calls it too, for the answers the HTTP server gives before
// any middleware runs. The headers are set with SetCanonical from names
// already in canonical form: Ctx.Set would copy and normalise each name on
// every request, and every snippet load and event request pays for these.
func (a *App) setSecurityHeaders(h *fasthttp.ResponseHeader, path string) {
	switch {
	case audienceOf(path) == forEvents:
		// A 204, or a short JSON error, read by the snippet's fetch: no
		// document or script for a policy to govern. Every page view sends
		// one, and each header here is bytes written and parsed per view.
		h.SetCanonical(commonHeaders[0][0], commonHeaders[0][1]) // nosniff, for the JSON errors
	case isPublicPath(path): // the tag and its JSON config
		setAll(h, commonHeaders)
	default:
		setAll(h, commonHeaders)
		setAll(h, ownHeaders)
	}
	if a.public.Scheme == "https" {
		h.SetCanonical(headerHSTS[0], headerHSTS[1])
	}
}

// publicHeaders opens the snippet and events endpoints to every site:
// any origin, no credentials (so no cookies are ever sent with them), and a
// resource policy that lets other origins load the script.
func (a *App) publicHeaders(c *fiber.Ctx) error {
	setAll(&c.Response().Header, publicOnlyHeaders)
	return c.Next()
}

// headerPair is a header name in canonical form and its value.
type headerPair [2][]byte

func setAll(h *fasthttp.ResponseHeader, pairs []headerPair) {
	for _, p := range pairs {
		h.SetCanonical(p[0], p[1])
	}
}

var (
	// commonHeaders go on every answer but those of POST /e, which carry
	// only the first.
	commonHeaders = []headerPair{
		{[]byte(fiber.HeaderXContentTypeOptions), []byte("nosniff")},
		{[]byte(fiber.HeaderReferrerPolicy), []byte("same-origin")},
		{[]byte(fiber.HeaderContentSecurityPolicy), []byte(pageCSP)},
	}
	// ownHeaders go on the app's pages and API, which no other site may
	// frame, load or open.
	ownHeaders = []headerPair{
		{[]byte(fiber.HeaderXFrameOptions), []byte("DENY")},
		{[]byte("Cross-Origin-Resource-Policy"), []byte("same-origin")},
		{[]byte("Cross-Origin-Opener-Policy"), []byte("same-origin")},
	}
	publicOnlyHeaders = []headerPair{
		{[]byte(fiber.HeaderAccessControlAllowOrigin), []byte("*")},
		{[]byte(fiber.HeaderAccessControlExposeHeaders), []byte("X-Copylab, Retry-After, X-Request-Id")},
		{[]byte("Cross-Origin-Resource-Policy"), []byte("cross-origin")},
	}
	headerHSTS = headerPair{[]byte(fiber.HeaderStrictTransportSecurity), []byte("max-age=31536000")}
)

// country is the visitor's country from the configured header, read only
// from a trusted proxy, and only when it looks like an ISO code.
func (a *App) country(c *fiber.Ctx) string {
	if a.cfg.CountryHeader == "" || !a.fromTrustedProxy(c) {
		return ""
	}
	v := strings.ToUpper(strings.TrimSpace(c.Get(a.cfg.CountryHeader)))
	if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
		return ""
	}
	return v
}

// keepBodyTargets makes the HTTP server's refusal of a chunked body it
// could not read answer in the format of the path the body was sent to:
// JSON with the CORS headers and X-Copylab reason on POST /e, JSON on the
// API. fasthttp resets the whole request when reading its body fails
// (Request.ReadBody: a chunked body found over the BodyLimit only once
// read, or one whose chunks are malformed), so handleError would see the
// path "/" and answer a site's script with an error page it cannot read.
// A body with a Content-Length over the limit is refused before that
// reset and keeps its request line, and one that breaks off has no reader
// left for the answer; the tag always sends a length, so the events path
// takes no lock and makes no allocation here.
//
// So the server keeps the method and path of each chunked request until
// its body is read, under the request header fasthttp reuses for every
// request of a pooled context, and puts them back on a request it refuses
// for its body. Only such a refusal (ErrBodyTooLarge or ErrBrokenChunk, on
// a request that was reset) reads them: a line left by a client that hung
// up before its body is never read for a later connection's malformed
// headers or timeout, which fail before their own line could be kept. A
// line is kept under the header's address, not a pointer to it, so that
// it does not keep the context (some 38 KB) alive, and holds at most the
// path's first 256 bytes, which is all the format depends on.
//
// keepBodyTargets wraps srv's HeaderReceived, Handler and ErrorHandler:
// call it once, after those are set and before serving.
func keepBodyTargets(srv *fasthttp.Server) {
	bt := &bodyTargets{}
	handler, onError := srv.Handler, srv.ErrorHandler
	srv.HeaderReceived = bt.headerReceived
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		// A chunked body that was read (an empty one reads as length 0).
		// A request with a length kept nothing: no lock for it.
		if ctx.Request.Header.ContentLength() <= 0 {
			bt.take(&ctx.Request.Header)
		}
		handler(ctx)
	}
	srv.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		if refusedBody(ctx, err) {
			if line, ok := bt.take(&ctx.Request.Header); ok {
				ctx.Request.Header.SetMethod(line.method)
				ctx.Request.SetRequestURI(line.path)
			}
		}
		onError(ctx, err)
	}
}

// refusedBody tells whether err refused a chunked request's body after
// fasthttp reset the request (its length reads 0 then; a Content-Length
// body over the limit is refused with its length and line intact).
func refusedBody(ctx *fasthttp.RequestCtx, err error) bool {
	var broken fasthttp.ErrBrokenChunk
	return ctx.Request.Header.ContentLength() == 0 &&
		(errors.Is(err, fasthttp.ErrBodyTooLarge) || errors.As(err, &broken))
}

// bodyTargets is keepBodyTargets' memory: a request line per request
// header's address.
type bodyTargets struct {
	n  atomic.Int32 // len(m), read without the lock when nothing is kept
	mu sync.Mutex
	m  map[uintptr]requestLine
}

type requestLine struct{ method, path string }

// maxBodyTargets bounds the lines that clients who hang up in the middle
// of a body leave behind (no handler runs to take them): at most some
// 300 bytes each.
const maxBodyTargets = 4096

// maxKeptPath is how much of a path a kept line holds.
const maxKeptPath = 256

// headerReceived runs once a request's headers are read, before its body.
func (bt *bodyTargets) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if h.ContentLength() == -1 { // chunked
		path := h.RequestURI()
		if i := bytes.IndexAny(path, "?#"); i >= 0 {
			path = path[:i]
		}
		if len(path) > maxKeptPath {
			path = path[:maxKeptPath]
		}
		line := requestLine{string(h.Method()), string(path)}
		bt.mu.Lock()
		if bt.m == nil || len(bt.m) >= maxBodyTargets {
			bt.m = map[uintptr]requestLine{}
		}
		bt.m[uintptr(unsafe.Pointer(h))] = line
		bt.n.Store(int32(len(bt.m)))
		bt.mu.Unlock()
	}
	return fasthttp.RequestConfig{} // the server's own limits and timeouts
}

// take returns and forgets h's request line, if one is kept.
func (bt *bodyTargets) take(h *fasthttp.RequestHeader) (requestLine, bool) {
	if bt.n.Load() == 0 {
		return requestLine{}, false
	}
	k := uintptr(unsafe.Pointer(h))
	bt.mu.Lock()
	defer bt.mu.Unlock()
	line, ok := bt.m[k]
	if ok {
		delete(bt.m, k)
		bt.n.Store(int32(len(bt.m)))
	}
	return line, ok
}
