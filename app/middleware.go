package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
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
	localLogAttrs  = "copylab.logattrs"
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
// failed (a 5xx other than 503, whose cause is logged where it arises). Its rejections (4xx) too: a misconfigured site or a flood of
// made-up events would otherwise write a line per request, which tripled
// the CPU of a rejection to a discarded text log; /metrics counts them by
// code, and the answer's body tells the sender why. /healthz and /metrics
// log at debug level too when they answer 2xx (isProbePath).
func (a *App) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := a.handleError(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	switch aud := audienceOf(c.Path()); {
	case (aud == forSnippet || aud == forEvents || strings.HasPrefix(c.Path(), "/static/")) &&
		(status < 500 || status == fiber.StatusServiceUnavailable):
		// A 503 asks the tag to retry later (a full disk or queue, a
		// batch that failed, a shutdown): its cause is logged once where
		// it arises, and /metrics counts each refusal by code.
		level = slog.LevelDebug
	case isProbePath(c.Path()) && status >= 200 && status < 300:
		// A monitor asks every few seconds, a scraper every 15: a line
		// each filled the log. A failing answer (503, a refused scrape)
		// is still logged.
		level = slog.LevelDebug
	}
	if !a.log.Enabled(c.UserContext(), level) {
		return nil // the attributes below cost more than the check
	}
	attrs := [...]slog.Attr{
		slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Method()),
		slog.String("path", logPath(c.Path())), // an invite link's token cut off (invites.go)
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("ip", a.clientIP(c)),
	}
	extra, _ := c.Locals(localLogAttrs).([]slog.Attr)
	a.log.LogAttrs(c.UserContext(), level, "http", append(attrs[:], extra...)...)
	return nil
}

// logAlso adds attrs to the request's line (logRequests): a refusal that
// the docs name by its code, such as a refused scrape's (refuseMetrics),
// says it there rather than in a line of its own, so that a request
// still writes one line.
func logAlso(c *fiber.Ctx, attrs ...slog.Attr) {
	prev, _ := c.Locals(localLogAttrs).([]slog.Attr)
	c.Locals(localLogAttrs, append(prev, attrs...))
}

// isProbePath tells whether path is /healthz or /metrics, which
// monitors and scrapers ask over and over.
func isProbePath(path string) bool {
	switch routedPath(path) {
	case "/healthz", "/metrics":
		return true
	}
	return false
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

// keepRequestLines makes the HTTP server's own refusals — headers it cannot
// parse or that overflow the read buffer, a body it cannot read or that is
// over the limit, a request that does not arrive in time — answer in the
// format of the path the request line named: JSON with the CORS headers
// and the X-Copylab reason on POST /e, JSON on the API, the tag's comment
// on /s/, the error page elsewhere. fasthttp resets the whole request
// before it hands such an error to its ErrorHandler (RequestHeader.Read on
// bad headers, Request.ReadBody on a bad or late body), so handleError
// would see "GET /" and answer a site's script with a page it cannot read.
//
// The line comes back from one of two places:
//   - Headers that fail: fasthttp's error quotes the start of the buffer
//     (its headerErrorMsg), and the request line is read back from it
//     when it is complete (requestLineOf). Should that text change, the
//     answer is the page it was before.
//   - A body that fails: the server keeps the method and path of every
//     request with a body (a length or chunks) from the moment its headers
//     are read (HeaderReceived) until its handler runs or it is refused.
//
// A line is kept under the address of the request header, which fasthttp
// reuses for every request of a pooled context: an address, not a
// pointer, so that it does not keep the context (some 38 KB) alive. It
// holds at most the path's first 256 bytes, which is all the format
// depends on, and the events path's own line ("POST /e") allocates
// nothing: a request with a body costs a lock when its headers are read
// and one when its handler runs, and every request one as it starts
// (ConnState, below).
//
// A kept line can outlive its request: a client that hangs up at a chunk
// boundary, or before it reads 100 Continue, ends the connection with no
// handler or refusal to take it, and the pooled context then serves
// another connection. Such a line is never read for that connection's
// request. Every request whose headers are read replaces or drops the line
// under its header, so once a request's headers are read only its own
// line can be there; headers that fail are answered from their own text;
// and the one refusal that comes before any header, a new connection that
// sends nothing in time (408), is told apart by the server's ConnState: a
// connection that never went active sent no request line.
//
// A POST /e over its 64 KiB that asks for 100 Continue is refused at once
// with /e's 413, instead of being told to send its body first.
//
// keepRequestLines wraps srv's HeaderReceived, ConnState, Handler and
// ErrorHandler: call it once, after those are set and before serving.
func keepRequestLines(srv *fasthttp.Server) {
	rl := &requestLines{active: map[net.Conn]struct{}{}}
	handler, onError, onState := srv.Handler, srv.ErrorHandler, srv.ConnState
	srv.HeaderReceived = rl.headerReceived
	srv.ConnState = func(c net.Conn, st fasthttp.ConnState) {
		rl.connState(c, st)
		if onState != nil {
			onState(c, st)
		}
	}
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		rl.take(&ctx.Request.Header) // its body was read: nothing left to refuse
		handler(ctx)
	}
	srv.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		if line, ok := rl.refused(ctx, err); ok {
			ctx.Request.Header.SetMethod(line.method)
			ctx.Request.SetRequestURI(line.path)
		}
		onError(ctx, err)
	}
}

// requestLines is keepRequestLines' memory: a request line per request
// header's address, and the connections that have sent a request.
type requestLines struct {
	n      atomic.Int32 // len(m), read without the lock when nothing is kept
	mu     sync.Mutex
	m      map[uintptr]requestLine
	active map[net.Conn]struct{}
}

type requestLine struct{ method, path string }

// maxKeptLines bounds the lines that clients who hang up in the middle of
// a body leave behind (no handler runs to take them): at most some 300
// bytes each. Past it the memory starts afresh, and a request whose line
// went with it is refused as a page.
const maxKeptLines = 4096

// maxKeptPath is how much of a path a kept line holds.
const maxKeptPath = 256

// headerReceived runs once a request's headers are read, before its body.
func (rl *requestLines) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if cl := h.ContentLength(); cl <= 0 && cl != -1 { // no body to read: nothing can fail now
		if rl.n.Load() > 0 {
			rl.take(h) // a line an earlier connection left here
		}
		return fasthttp.RequestConfig{}
	}
	line := lineOf(h)
	rl.mu.Lock()
	if rl.m == nil || len(rl.m) >= maxKeptLines {
		rl.m = map[uintptr]requestLine{}
	}
	rl.m[uintptr(unsafe.Pointer(h))] = line
	rl.n.Store(int32(len(rl.m)))
	rl.mu.Unlock()
	if h.ContentLength() > maxEventBody && routedPath(line.path) == "/e" && len(h.Peek(fasthttp.HeaderExpect)) > 0 {
		// Events over /e's own limit that wait for 100 Continue: refused
		// with /e's 413 before the body is read (ContinueReadBody checks
		// the length first), and without the 100 Continue that would ask
		// the client to send it, as RFC 9110 lets a server answer with the
		// final status instead. Without the expectation, the body is read
		// up to the app's limit and eventsPost refuses it the same way.
		h.Del(fasthttp.HeaderExpect)
		return fasthttp.RequestConfig{MaxRequestBodySize: maxEventBody}
	}
	return fasthttp.RequestConfig{} // the server's own limits and timeouts
}

// lineOf is h's method and path (its query left out, cut to maxKeptPath).
// The events path and the usual methods are constants: they allocate
// nothing.
func lineOf(h *fasthttp.RequestHeader) requestLine {
	var line requestLine
	switch m := h.Method(); string(m) {
	case fasthttp.MethodPost:
		line.method = fasthttp.MethodPost
	case fasthttp.MethodPut:
		line.method = fasthttp.MethodPut
	case fasthttp.MethodPatch:
		line.method = fasthttp.MethodPatch
	case fasthttp.MethodDelete:
		line.method = fasthttp.MethodDelete
	case fasthttp.MethodGet:
		line.method = fasthttp.MethodGet
	default:
		line.method = string(m)
	}
	path := h.RequestURI()
	if i := bytes.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if len(path) > maxKeptPath {
		path = path[:maxKeptPath]
	}
	if string(path) == "/e" {
		line.path = "/e"
	} else {
		line.path = string(path)
	}
	return line
}

// take returns and forgets h's request line, if one is kept.
func (rl *requestLines) take(h *fasthttp.RequestHeader) (requestLine, bool) {
	if rl.n.Load() == 0 {
		return requestLine{}, false
	}
	k := uintptr(unsafe.Pointer(h))
	rl.mu.Lock()
	defer rl.mu.Unlock()
	line, ok := rl.m[k]
	if ok {
		delete(rl.m, k)
		rl.n.Store(int32(len(rl.m)))
	}
	return line, ok
}

// connState notes the connections that have sent (the start of) a request.
func (rl *requestLines) connState(c net.Conn, st fasthttp.ConnState) {
	switch st {
	case fasthttp.StateActive:
		rl.mu.Lock()
		rl.active[c] = struct{}{}
		rl.mu.Unlock()
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		rl.mu.Lock()
		delete(rl.active, c)
		rl.mu.Unlock()
	}
}

// refused is the request line of a request the server refused with err,
// when the server reset the request and the line can be known: from the
// error's text when its headers failed, or as kept when its body did.
func (rl *requestLines) refused(ctx *fasthttp.RequestCtx, err error) (requestLine, bool) {
	kept, ok := rl.take(&ctx.Request.Header) // forgotten in every case
	if len(ctx.Request.Header.RawHeaders()) > 0 {
		// Not reset: the request still has its own line (a body whose
		// length is over the limit, a target the server could not parse).
		return requestLine{}, false
	}
	if headersFailed(err) {
		method, target := requestLineOf(err.Error())
		return requestLine{method, target}, target != ""
	}
	if !ok {
		return requestLine{}, false
	}
	rl.mu.Lock()
	_, sent := rl.active[ctx.Conn()]
	rl.mu.Unlock()
	return kept, sent // a new connection's 408 for sending nothing: an earlier connection's line
}

// headersFailed tells whether err is fasthttp's refusal of a request's
// headers (RequestHeader.Read), whose text quotes them.
func headersFailed(err error) bool {
	var small *fasthttp.ErrSmallBuffer
	return errors.As(err, &small) || strings.HasPrefix(err.Error(), "error when reading request headers")
}

// requestLineOf is the method and target of the request line quoted at
// the end of fasthttp's error msg (", contents: "GET /e HTTP/1.1\r\n…"),
// or "" and "" when msg quotes no complete one. A line is complete when
// its end is quoted, or when the quote itself was cut (a buffer over 400
// bytes is quoted as its first and last 200): a target cut short there is
// returned as far as it goes.
func requestLineOf(msg string) (method, target string) {
	_, quoted, ok := strings.Cut(msg, ", contents: ")
	if !ok {
		return "", ""
	}
	q, err := strconv.QuotedPrefix(quoted)
	if err != nil {
		return "", ""
	}
	start, err := strconv.Unquote(q)
	if err != nil {
		return "", ""
	}
	line, _, ended := strings.Cut(start, "\n")
	if !ended && !strings.HasPrefix(quoted[len(q):], "...") {
		return "", "" // the line had not all arrived
	}
	fields := strings.Fields(line)
	if len(fields) < 2 || !isToken(fields[0]) || !(strings.HasPrefix(fields[1], "/") || strings.HasPrefix(fields[1], "http")) {
		return "", ""
	}
	return fields[0], fields[1]
}

// isToken tells whether s is a plausible method: upper-case ASCII letters.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}
