package variants

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"copylab/variants/netguard"
)

// Defaults for Config.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultModel      = "gpt-4o-mini"
	DefaultTimeout    = 45 * time.Second
	DefaultMaxRetries = 2
)

const (
	// maxRetryWait caps how long one retry waits. A server that asks for
	// longer gets an llm_rate_limited answer at once, carrying its
	// Retry-After, instead of a page that hangs for a minute.
	maxRetryWait = 10 * time.Second
	// maxResponseBytes bounds a completion body; ten variants fit in a
	// few kilobytes.
	maxResponseBytes = 4 << 20
)

// Config says which model to use. With neither APIKey nor BaseURL the
// generator is offline; with only an APIKey it talks to OpenAI; with a
// BaseURL it talks to any OpenAI-compatible server (Ollama at
// http://localhost:11434/v1, LM Studio, vLLM), with or without a key.
type Config struct {
	BaseURL string
	Model   string
	APIKey  string
	// Timeout is the deadline of one HTTP call; a generation can make a
	// few calls. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxRetries bounds retries after a 429 or 5xx answer. Zero means
	// DefaultMaxRetries; a negative value turns retries off.
	MaxRetries int
}

// Loopback and private addresses are always permitted, because a model on
// localhost or on the office network (Ollama, vLLM, LM Studio) is a
// first-class setup. Link-local and cloud metadata addresses are always
// refused, directly or through the environment's proxy: see package
// netguard.

// Settings describes the generator for the settings page. KeyHint shows
// enough of the key to recognise it and never the key itself.
type Settings struct {
	Mode    string // "openai-compatible" or "offline"
	BaseURL string
	Model   string
	KeyHint string
	Timeout time.Duration // how long one answer may take; 0 for the offline generator
}

// Modes reported in Settings.Mode.
const (
	ModeOpenAI  = "openai-compatible"
	ModeOffline = "offline"
)

// Generator writes copy variants, with a model or offline. It is safe for
// concurrent use; build one at start-up and share it.
type Generator struct {
	offline    bool
	baseURL    string
	model      string
	keyHint    string
	apiKey     string // only to take it out of what servers echo (redact)
	timeout    time.Duration
	maxRetries int
	client     *openai.Client

	// schemaUnsupported is set once a server has rejected response_format
	// and accepted the same request without it, so later calls skip the
	// wasted round trip.
	schemaUnsupported atomic.Bool
	// askAfter is, for each kind of call, when the model service said
	// copylab may ask again (the Retry-After of a 429 that ended a call
	// of that kind), in Unix nanoseconds; 0 when it asked no wait. A rate
	// limit is the key's, so it holds for the whole process (see
	// complete); but a set of drafts is a far larger request than one
	// rewrite, and a service that limits tokens can refuse the one and
	// take the other, so each kind keeps its own. callTest's stays 0: a
	// connection test always asks.
	askAfter [callTest + 1]atomic.Int64

	// Seams for tests.
	now     func() time.Time
	backoff func(attempt int) time.Duration
}

// New checks cfg and builds a Generator. A base URL that points at a
// link-local or cloud metadata address is refused here with
// llm_blocked_address, before any connection; the dialer refuses the same
// addresses again at connect time, so a host name that later resolves to
// one (DNS rebinding) is caught too. Through a proxy (HTTPS_PROXY), the
// host is looked up and judged before each request instead.
func New(cfg Config) (*Generator, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.Model = strings.TrimSpace(cfg.Model)
	cfg.APIKey = strings.TrimSpace(cfg.APIKey)

	g := &Generator{
		now:     time.Now,
		backoff: defaultBackoff,
	}
	if cfg.APIKey == "" && cfg.BaseURL == "" {
		g.offline = true
		g.model = OfflineModel
		return g, nil
	}

	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := checkBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	g.baseURL = base
	g.model = cfg.Model
	if g.model == "" {
		g.model = DefaultModel
	}
	g.keyHint, g.apiKey = keyHint(cfg.APIKey), cfg.APIKey
	g.timeout = cfg.Timeout
	if g.timeout <= 0 {
		g.timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		g.maxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		g.maxRetries = 0
	default:
		g.maxRetries = cfg.MaxRetries
	}

	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = base
	oc.HTTPClient = &guardedDoer{client: netguard.NewClient(g.timeout)}
	g.client = openai.NewClientWithConfig(oc)
	return g, nil
}

// Offline reports whether the generator writes copy from templates
// because no model is configured; the UI says so.
func (g *Generator) Offline() bool { return g.offline }

// Describe reports the settings in force, for the settings page.
func (g *Generator) Describe() Settings {
	if g.offline {
		return Settings{Mode: ModeOffline, Model: OfflineModel}
	}
	return Settings{Mode: ModeOpenAI, BaseURL: g.baseURL, Model: g.model, KeyHint: g.keyHint, Timeout: g.timeout}
}

// keyHint shows the key's "sk-" prefix and last four characters, and only
// when the key is long enough that four characters give nothing away.
func keyHint(key string) string {
	if key == "" {
		return ""
	}
	prefix := ""
	if strings.HasPrefix(key, "sk-") {
		prefix = "sk-"
	}
	r := []rune(key)
	if len(r) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + string(r[len(r)-4:])
}

// checkBaseURL accepts http and https URLs without credentials, query or
// fragment (go-openai appends the endpoint path to the string as is), and
// refuses hosts that are blocked by name or by literal address.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", newError(CodeBadRequest, http.StatusBadRequest, err,
			"The model base URL must be a full http:// or https:// address, such as http://localhost:11434/v1.")
	}
	if u.User != nil {
		return "", newError(CodeBadRequest, http.StatusBadRequest, nil,
			"The model base URL must not contain a user name or password; put the key in the API key setting.")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", newError(CodeBadRequest, http.StatusBadRequest, nil,
			"The model base URL must not contain a query (?…) or a fragment (#…).")
	}
	if err := checkHost(u.Hostname()); err != nil {
		return "", err
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func checkHost(host string) error {
	if err := netguard.CheckHost(host); err != nil {
		return newError(CodeBlockedAddress, http.StatusBadRequest, err,
			"The model base URL points at a link-local or cloud metadata address, which copylab never connects to.")
	}
	return nil
}

// callInfo carries what go-openai does not pass up from a failed
// response: the status and the Retry-After headers. One lives in each
// call's context, so concurrent calls never share one.
type callInfo struct {
	status     int
	retryAfter time.Duration
	// body is what a 2xx answer's body held, as go-openai read it: the
	// completion type has no field for Ollama's "reasoning", which tells
	// a model that only thought from one that wrote nothing.
	body bytes.Buffer
}

type callInfoKey struct{}

// redirectError reports a 3xx answer. go-openai would otherwise try to
// decode the redirect's body as a completion.
type redirectError struct {
	status   int
	location string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("variants: endpoint answered %d, redirecting to %q", e.status, e.location)
}

var errResponseTooLarge = errors.New("variants: model response larger than 4 MiB")

// errStreamed is a 2xx answer sent as server-sent events though copylab
// asked for no stream: a server or proxy set to stream every answer.
// go-openai would fail to decode it as JSON ("invalid character 'd'"),
// which reads like a wrong base URL.
var errStreamed = errors.New("variants: the model server answered with server-sent events, though the request asked for no stream")

// guardedDoer sits between go-openai and the HTTP client: it records the
// status and Retry-After of each answer, turns redirects and streamed
// answers into errors, and caps the size of the body go-openai reads.
type guardedDoer struct{ client *http.Client }

func (d *guardedDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	if info, ok := req.Context().Value(callInfoKey{}).(*callInfo); ok {
		info.status = resp.StatusCode
		info.retryAfter, _ = parseRetryAfter(resp.Header, time.Now())
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		resp.Body.Close()
		return nil, &redirectError{status: resp.StatusCode, location: resp.Header.Get("Location")}
	}
	limited := &limitedBody{rc: resp.Body, left: maxResponseBytes}
	resp.Body = limited
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		br := bufio.NewReaderSize(limited, 512)
		if streamed(resp.Header.Get("Content-Type"), br) {
			resp.Body.Close()
			return nil, errStreamed
		}
		var r io.Reader = br
		if info, ok := req.Context().Value(callInfoKey{}).(*callInfo); ok {
			r = io.TeeReader(br, &info.body)
		}
		resp.Body = struct {
			io.Reader
			io.Closer
		}{r, limited}
	}
	return resp, nil
}

// streamed tells whether an answer is server-sent events: its body starts
// with an event's field (data:, event:) or a comment line (":", which
// proxies send to keep a stream open), or its type is text/event-stream
// and its body is no JSON object. A JSON completion merely labelled as a
// stream is decoded as before. It reads only as much of the body's start
// as has come and tells the two apart, so that a stream that sends one
// keep-alive line and then waits is named at once; what it read stays in
// br for the decoder.
func streamed(contentType string, br *bufio.Reader) bool {
	marks := [][]byte{[]byte("data:"), []byte("event:"), []byte(":")}
	var start []byte
	for n := 1; ; n = br.Buffered() + 1 {
		got, err := br.Peek(n) // waits for one byte more than has come
		if more := min(br.Buffered(), 64); more > len(got) {
			got, _ = br.Peek(more)
		}
		start = bytes.TrimLeft(got, "\ufeff \t\r\n")
		undecided := len(start) == 0
		for _, m := range marks {
			if bytes.HasPrefix(start, m) {
				return true
			}
			undecided = undecided || bytes.HasPrefix(m, start)
		}
		if !undecided || err != nil || len(got) >= 64 {
			break
		}
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "text/event-stream" && !bytes.HasPrefix(start, []byte("{"))
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, errResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// parseRetryAfter reads OpenAI's retry-after-ms header, or the standard
// Retry-After in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(min(s, 86400)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func defaultBackoff(attempt int) time.Duration {
	return min(500*time.Millisecond<<attempt, maxRetryWait)
}

// callKind is what a model call is for: the advice in its failure
// sentences depends on it (asking for fewer drafts helps a set of
// drafts, not a rewrite of one).
type callKind int

const (
	callDrafts  callKind = iota // Generate: a set of drafts, and its follow-up
	callRewrite                 // Regenerate: one draft
	callTest                    // TestConnection: one word
)

// durationText says d the way the drafting page says a wait
// (views.WaitText): "a second", "45 seconds", "3 minutes". It is worded
// here again because variants may not import views (app/imports_test.go),
// and the timeout is part of the library's own sentence. A part of a
// second counts as a whole one, as the page rounds a Retry-After up.
func durationText(d time.Duration) string {
	switch s := int((d + time.Second - 1) / time.Second); {
	case s <= 1:
		return "a second"
	case s < 90:
		return strconv.Itoa(s) + " seconds"
	default:
		return strconv.Itoa((s+59)/60) + " minutes"
	}
}

// Retry is a model call about to be made again, after the model service
// answered with Code (CodeRateLimited or CodeUnavailable): copylab waits
// Wait, then makes try number Try (2 for the first retry).
type Retry struct {
	Code string
	Wait time.Duration
	Try  int
}

// noticeKey is the context key of a func(T) that WithRetryNotice or
// WithCallNotice set; one key type per T.
type noticeKey[T any] struct{}

// notice calls the func(T) that ctx carries, if any, with v.
func notice[T any](ctx context.Context, v T) {
	if fn, ok := ctx.Value(noticeKey[T]{}).(func(T)); ok && fn != nil {
		fn(v)
	}
}

// WithRetryNotice returns a context that carries fn: Generate and
// Regenerate call it before each wait to try a model call again, so that
// a page can say why the drafts take longer instead of only that they
// are being written. fn must return quickly.
func WithRetryNotice(ctx context.Context, fn func(Retry)) context.Context {
	return context.WithValue(ctx, noticeKey[Retry]{}, fn)
}

// Call is one request to the model endpoint, as WithCallNotice reports
// it: each try of a call is one, and so is the follow-up that asks for
// missing drafts.
type Call struct {
	// Err is nil when copylab used the answer the request brought: a
	// draft of it was kept, or, for a connection test, it passed. Else
	// it is why the request brought no usable answer: an *Error, whose
	// Code says what went wrong (for an answer copylab read and could
	// not use, the code its caller gets: llm_bad_output for no text,
	// only thinking, or no draft that could be read or kept;
	// llm_truncated for one the output limit cut off before anything
	// whole; llm_refused), or an error wrapping context.Canceled when
	// the caller gave up while it was under way.
	Err error
	// HeldBack is a request copylab did not send: the model service had
	// asked it to wait (Retry-After) and the wait has not passed
	// (complete). Err is then the llm_rate_limited it answered at once.
	HeldBack bool
}

// WithCallNotice returns a context that carries fn: Generate, Regenerate
// and TestConnection call it once for each request they send to the
// model endpoint, when its answer is in and they know whether they could
// use it, and for each they hold back, so that a caller can count what
// reached the service and what it brought. fn must return quickly.
func WithCallNotice(ctx context.Context, fn func(Call)) context.Context {
	return context.WithValue(ctx, noticeKey[Call]{}, fn)
}

// withTries says in e's sentence that copylab asked tries times before it
// gave up, so that nobody wonders whether asking again would have helped:
// "…(HTTP 503), and copylab tried 3 times; try again later." One try
// needs no word.
func withTries(e *Error, tries int) *Error {
	if tries < 2 {
		return e
	}
	said := fmt.Sprintf(", and copylab tried %d times", tries)
	if i := strings.Index(e.Message, ";"); i >= 0 {
		e.Message = e.Message[:i] + said + e.Message[i:]
	} else {
		e.Message = strings.TrimSuffix(e.Message, ".") + said + "."
	}
	return e
}

// completion is the part of a chat completion the generator uses.
type completion struct {
	content string
	model   string
	// cutOff is an answer to a call for drafts that the output limit
	// ended part way (finish_reason "length"): the whole drafts before
	// the cut are worth keeping (Generate).
	cutOff bool
	// answered is a request the endpoint answered with a completion,
	// usable or not. complete reports every other request it sent
	// (WithCallNotice); this one is its caller's to report, once it
	// knows whether it could use the answer (report).
	answered bool
}

// report tells the call notice that the request c came from brought an
// answer copylab used (err nil) or could not use (err, the error the
// answer met). A request complete already reported, or never sent,
// reports nothing.
func (c completion) report(ctx context.Context, err error) {
	if c.answered {
		notice(ctx, Call{Err: err})
	}
}

// complete makes one chat completion, retrying 429 and 5xx answers a
// bounded number of times, and returns its text, without the thinking a
// reasoning model wrote before it (checkResponse), or an *Error worded
// for kind. It reports each request it sends to the call notice
// (WithCallNotice), except the one the endpoint answered with a
// completion: the caller reports that one (completion.report), since
// whether its answer was usable shows only once it is read. A
// completion without text (an *Error from checkResponse) comes back
// marked answered too.
//
// A call that ends rate limited, with a wait the service asked for
// (Retry-After), keeps that wait for the calls of its kind after it:
// until it is over, they send nothing and answer llm_rate_limited at
// once, with the time left, in the same sentence ("wait 2 minutes and
// try again"). So the sentence holds: a Try again pressed at once, or
// an API client that does not honour Retry-After, is told how long is
// left rather than sent to a service that would only refuse again and
// may count the refusal against the key.
func (g *Generator) complete(ctx context.Context, kind callKind, msgs []openai.ChatCompletionMessage, schema bool) (_ completion, err error) {
	if kind != callTest {
		if left := time.Duration(g.askAfter[kind].Load() - g.now().UnixNano()); left > 0 {
			e := rateLimited(left)
			notice(ctx, Call{Err: e, HeldBack: true})
			return completion{}, e
		}
		defer func() {
			if e, ok := err.(*Error); ok && e.Code == CodeRateLimited && e.RetryAfter > 0 {
				g.holdOff(kind, g.now().Add(e.RetryAfter))
			}
		}()
	}
	schema = schema && !g.schemaUnsupported.Load()
	droppedSchema := false
	for attempt := 0; ; attempt++ {
		req := openai.ChatCompletionRequest{Model: g.model, Messages: msgs}
		if schema {
			req.ResponseFormat = responseFormat()
		}
		info := &callInfo{}
		// A caller that has already given up sends nothing: no request
		// to report.
		sent := ctx.Err() == nil
		cctx, cancel := context.WithTimeout(context.WithValue(ctx, callInfoKey{}, info), g.timeout)
		resp, err := g.client.CreateChatCompletion(cctx, req)
		cancel()
		if err == nil {
			if droppedSchema {
				g.schemaUnsupported.Store(true)
			}
			c, err := checkResponse(resp, info.body.Bytes(), g.model, kind)
			c.answered = true
			return c, err
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			err := fmt.Errorf("variants: %w", ctx.Err())
			if sent {
				notice(ctx, Call{Err: err})
			}
			return completion{}, err
		}
		e := g.classify(ctx, kind, err, info)
		if sent {
			notice(ctx, Call{Err: e})
		}
		// Some OpenAI-compatible servers reject response_format outright
		// instead of ignoring it. The parser does not need it, so ask
		// again without it; this does not count as a retry.
		if schema && e.Code == CodeBadRequest && (info.status == http.StatusBadRequest || info.status == http.StatusUnprocessableEntity) {
			schema, droppedSchema = false, true
			attempt--
			continue
		}
		if e.Code != CodeRateLimited && e.Code != CodeUnavailable {
			return completion{}, e
		}
		if attempt >= g.maxRetries {
			return completion{}, withTries(e, attempt+1)
		}
		wait := g.backoff(attempt)
		if e.RetryAfter > 0 {
			if e.RetryAfter > maxRetryWait {
				return completion{}, withTries(e, attempt+1)
			}
			wait = e.RetryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return completion{}, withTries(e, attempt+1)
		}
		notice(ctx, Retry{Code: e.Code, Wait: wait, Try: attempt + 2})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.Canceled) {
				return completion{}, fmt.Errorf("variants: %w", ctx.Err())
			}
			return completion{}, withTries(e, attempt+1)
		case <-t.C:
		}
	}
}

// holdOff keeps calls of kind from being made before until, or before a
// later time already kept: two calls refused at once keep the longer
// wait.
func (g *Generator) holdOff(kind callKind, until time.Time) {
	n := until.UnixNano()
	for {
		was := g.askAfter[kind].Load()
		if was >= n || g.askAfter[kind].CompareAndSwap(was, n) {
			return
		}
	}
}

// rateLimited is llm_rate_limited with the wait the service asked for,
// or the time left of it (complete). The wait, when the service said
// one, is the sentence's own: "a moment" beside a Retry-After of minutes
// reads as a contradiction. A second is a moment.
func rateLimited(wait time.Duration) *Error {
	words := "a moment"
	if wait > time.Second {
		words = durationText(wait)
	}
	e := newError(CodeRateLimited, http.StatusTooManyRequests, nil,
		"The model service is rate limiting requests; wait %s and try again.", words)
	e.RetryAfter = wait
	return e
}

// maxModelName is the longest model name kept from a server's answer, in
// characters; model names run to some 60.
const maxModelName = 100

// checkResponse turns a successful HTTP answer into text, or into the
// error its finish reason or refusal means, worded for kind. body is the
// answer as the server sent it, for what the completion type leaves out.
// The thinking a reasoning model writes before its answer is taken off
// (withoutThinking), so that neither the parser, the refusal check, the
// follow-up request nor the connection test takes it for the answer;
// thinking with no answer after it is no answer, for every kind.
func checkResponse(resp openai.ChatCompletionResponse, body []byte, model string, kind callKind) (completion, error) {
	// The model's name as the server gives it goes with every draft to
	// the pages and the API: held to a short line of text, as the notes
	// are, since the server may be anyone's.
	if m := tidyNote(resp.Model, maxModelName); m != "" {
		model = m
	}
	if len(resp.Choices) == 0 {
		if resp.ID == "" && resp.Object == "" {
			// Not a completion at all: another service's JSON at the
			// URL ({"status":"ok"}), which decodes into an empty one.
			return completion{}, newError(CodeBadOutput, http.StatusBadGateway, errNotACompletion, notOpenAIText)
		}
		return completion{}, noAnswer(kind)
	}
	ch := resp.Choices[0]
	if ch.Message.Refusal != "" || ch.FinishReason == openai.FinishReasonContentFilter {
		return completion{}, newError(CodeRefused, http.StatusUnprocessableEntity, errors.New(clip(ch.Message.Refusal, 200)),
			"The model declined to write this copy; rephrase the brief and try again.")
	}
	content := ch.Message.Content
	if content == "" {
		var parts []string
		for _, p := range ch.Message.MultiContent {
			if p.Type == openai.ChatMessagePartTypeText {
				parts = append(parts, p.Text)
			}
		}
		content = strings.Join(parts, "\n")
	}
	empty := strings.TrimSpace(content) == ""
	answer, thinking := withoutThinking(content)
	if ch.FinishReason == openai.FinishReasonLength {
		switch {
		case empty && thoughtOnly(resp, body):
			return completion{}, thinkingOnly(kind)
		case empty && kind == callTest:
			return completion{}, noAnswer(kind)
		case thinking:
			// The limit ran out inside the thinking in the content
			// (<think> with no end), or right after it: no draft, and
			// no word, was written.
			return completion{}, thinkingOnly(kind)
		case kind != callDrafts:
			// One draft or one word cut off has nothing whole to keep.
			return completion{}, newError(CodeTruncated, http.StatusBadGateway, nil,
				"The model's answer was cut off before it was complete; try again.")
		case empty:
			return completion{}, truncatedDrafts()
		}
		// A list of drafts cut off keeps the drafts written whole before
		// the cut (the parser reads them); Generate says it was cut off,
		// or fails with truncatedDrafts when none was whole.
		return completion{content: answer, model: model, cutOff: true}, nil
	}
	switch {
	case empty && sentThinking(resp, body), thinking:
		// The model ended its answer (finish_reason "stop") with only
		// its thinking: in a field beside an empty content, or in the
		// content with nothing after it, or never closed.
		return completion{}, thinkingNoAnswer(kind)
	case empty:
		return completion{}, noAnswer(kind)
	}
	return completion{content: answer, model: model}, nil
}

// truncatedDrafts is llm_truncated for a set of drafts cut off by the
// output limit before one of them was whole.
func truncatedDrafts() *Error {
	return newError(CodeTruncated, http.StatusBadGateway, nil,
		"The model's answer was cut off before it was complete; ask for fewer drafts or shorter copy.")
}

// errNoAnswer is the cause of a completion that holds no text: the
// server answered, the model said nothing. Test connection fails on it
// (TestConnection), since drafting with such a model fails too.
var errNoAnswer = errors.New("the model's answer held no text")

// errThinkingOnly is errNoAnswer from a model that thought and ran out
// of room before it answered.
var errThinkingOnly = fmt.Errorf("%w, only its thinking, cut off by the output limit", errNoAnswer)

// errThoughtNoAnswer is errNoAnswer from a model that thought and then
// ended its answer without one.
var errThoughtNoAnswer = fmt.Errorf("%w, only its thinking", errNoAnswer)

// thinkingAdvice is what helps a model that spends its whole answer
// thinking. copylab sets no output limit of its own (no max_tokens), so
// the limit that ran out is the server's. Turning a model's thinking
// off is not said: over the OpenAI-compatible API that copylab speaks,
// servers differ in the switch, and some (Ollama, for Qwen3) ignore the
// /no_think a prompt could carry
// (https://github.com/ollama/ollama/issues/17969).
const thinkingAdvice = "raise the model server's output limit (its maximum tokens or context length), " +
	"or set --llm-model (COPYLAB_LLM_MODEL) to a model that does not think before it answers"

// thinkingOnly is llm_truncated for a reasoning model whose thinking used
// the whole answer: asking for fewer drafts or shorter copy does not
// help, since no copy was written. On the drafting page the advice is
// for whoever runs copylab, and the setting goes to the log; Test
// connection is that person's, so it says the setting.
func thinkingOnly(kind callKind) *Error {
	switch kind {
	case callTest:
		return newError(CodeTruncated, http.StatusBadGateway, errThinkingOnly,
			"copylab reached the model server, but the model gave no answer: it spent its whole answer thinking. "+
				"Raise the model server's output limit (its maximum tokens or context length), "+
				"or choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL).")
	case callRewrite:
		e := newError(CodeTruncated, http.StatusBadGateway, errThinkingOnly,
			"The model spent its whole answer thinking and wrote no draft. "+
				"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers.")
		e.operator = thinkingAdvice
		return e
	}
	e := newError(CodeTruncated, http.StatusBadGateway, errThinkingOnly,
		"The model spent its whole answer thinking and wrote no drafts. "+
			"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers.")
	e.operator = thinkingAdvice
	return e
}

// thinkingNoAnswer is llm_bad_output for a model that ended its answer
// (finish_reason "stop", not the output limit) with only its thinking
// in it. Asking again may bring an answer; a model that does so each
// time is no use to copylab, which Test connection, whoever sets
// copylab up, is told.
func thinkingNoAnswer(kind callKind) *Error {
	if kind == callTest {
		return newError(CodeBadOutput, http.StatusBadGateway, errThoughtNoAnswer,
			"copylab reached the model server, but the model gave no answer: it sent only its thinking, and no answer after it. "+
				"Test again; if it answers so again, choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL).")
	}
	return newError(CodeBadOutput, http.StatusBadGateway, errThoughtNoAnswer,
		"The model sent only its thinking, and no answer after it; try again.")
}

// noAnswer is llm_bad_output for a completion without text. Drafting
// says it as it always has; Test connection says the server was reached,
// so that nobody looks for a wrong base URL or key.
func noAnswer(kind callKind) *Error {
	if kind == callTest {
		return newError(CodeBadOutput, http.StatusBadGateway, errNoAnswer,
			"copylab reached the model server, but the model gave no answer: its reply held no text. "+
				"Test again; if the reply stays empty, check the model server's log, or choose another model.")
	}
	return newError(CodeBadOutput, http.StatusBadGateway, errNoAnswer,
		"The model sent an empty answer; try again.")
}

// thoughtOnly tells whether a model whose answer has no text thought
// instead: it sent its thinking (sentThinking), or the usage counts
// reasoning tokens (OpenAI's reasoning models, whose thinking is not
// sent).
func thoughtOnly(resp openai.ChatCompletionResponse, body []byte) bool {
	if d := resp.Usage.CompletionTokensDetails; d != nil && d.ReasoningTokens > 0 {
		return true
	}
	return sentThinking(resp, body)
}

// sentThinking tells whether a model's message carries its thinking in
// a field of its own: reasoning_content (vLLM, LM Studio, DeepSeek) or
// reasoning (Ollama).
func sentThinking(resp openai.ChatCompletionResponse, body []byte) bool {
	if strings.TrimSpace(resp.Choices[0].Message.ReasoningContent) != "" {
		return true
	}
	var raw struct {
		Choices []struct {
			Message struct {
				Reasoning json.RawMessage `json:"reasoning"`
			} `json:"message"`
		} `json:"choices"`
	}
	if json.Unmarshal(body, &raw) != nil || len(raw.Choices) == 0 {
		return false
	}
	var s string
	r := raw.Choices[0].Message.Reasoning
	// Usually a string; any other non-empty value is thinking too.
	if json.Unmarshal(r, &s) == nil {
		return strings.TrimSpace(s) != ""
	}
	return len(r) > 0 && string(r) != "null"
}

// notOpenAIText is the failure of an answer that is not an OpenAI-style
// completion: a web page, or another service's JSON.
const notOpenAIText = "The endpoint did not answer like an OpenAI-compatible API; check the base URL (it usually ends in /v1)."

// streamedText is the failure of an answer sent as a stream
// (errStreamed).
const streamedText = "The model server answered with a stream (server-sent events), though copylab asked for none; " +
	"turn streaming off on the server, or on the proxy in front of it."

// errNotACompletion is the cause of an answer that decoded but holds no
// completion (no id, object or choices).
var errNotACompletion = errors.New("the answer holds no completion")

// classify maps a failed call to the error the marketer sees, worded for
// kind. ctx is the caller's context, to tell our own deadline from a
// server that is slow.
func (g *Generator) classify(ctx context.Context, kind callKind, err error, info *callInfo) *Error {
	var (
		blocked   *netguard.BlockedError
		unchecked *netguard.UncheckedError
		redirect  *redirectError
		apiErr    *openai.APIError
		reqErr    *openai.RequestError
		netErr    net.Error
		dnsErr    *net.DNSError
		opErr     *net.OpError
	)
	status := info.status
	upstream := ""
	// A server may quote the request back, Authorization header included:
	// nothing it says reaches a page, the API or a log with the key in it.
	err = redactedError{err, g.redact}
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
		upstream = g.redact(apiErr.Message)
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}

	switch {
	case errors.As(err, &blocked):
		return newError(CodeBlockedAddress, http.StatusBadRequest, err,
			"The model base URL leads to a link-local or cloud metadata address, which copylab never connects to.")
	case errors.As(err, &unchecked):
		return newError(CodeUnreachable, http.StatusBadGateway, err,
			"copylab cannot check %s before sending a request through the proxy; write the base URL's name in its xn-- form.", unchecked.Host)
	case errors.As(err, &redirect):
		return newError(CodeUnreachable, http.StatusBadGateway, err,
			"The model endpoint answered with a redirect; copylab does not follow redirects, so set the base URL to the final address.")
	case errors.Is(err, errStreamed):
		// The base URL is right: the server answered, in the wrong form.
		// Not retried: it streams every answer.
		return newError(CodeBadOutput, http.StatusBadGateway, err, streamedText)
	case (status == http.StatusUnauthorized || status == http.StatusForbidden) && g.apiKey == "":
		// OPENAI_API_KEY is not sent to another endpoint: a proxy that
		// wants a key needs COPYLAB_LLM_API_KEY.
		return newError(CodeAuth, http.StatusBadGateway, err,
			"The model service wants an API key, and copylab has none for it: set COPYLAB_LLM_API_KEY (or --llm-api-key) and restart copylab.")
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return newError(CodeAuth, http.StatusBadGateway, err,
			"The model service refused the API key; check COPYLAB_LLM_API_KEY (or --llm-api-key) and restart copylab.")
	case status == http.StatusTooManyRequests && apiErr != nil && (apiErr.Type == "insufficient_quota" || apiErr.Code == "insufficient_quota"):
		return newError(CodeQuota, http.StatusPaymentRequired, err,
			"The model service says the account is out of credit or over its spending limit; check its billing, then try again.")
	case status == http.StatusTooManyRequests:
		e := rateLimited(info.retryAfter)
		e.cause = err
		return e
	case status == http.StatusNotFound:
		return newError(CodeNotFound, http.StatusBadGateway, err,
			"The model endpoint answered “not found”; check the base URL (it usually ends in /v1) and the model name%s.", upstreamDetail(upstream))
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return newError(CodeTimeout, http.StatusGatewayTimeout, err,
			"The model service took too long to answer; try again.")
	case status >= 500:
		return newError(CodeUnavailable, http.StatusBadGateway, err,
			"The model service is failing right now (HTTP %d); try again later.", status)
	case status >= 400:
		return newError(CodeBadRequest, http.StatusBadGateway, err,
			"The model service rejected the request (HTTP %d)%s.", status, upstreamDetail(upstream))
	case (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()) && kind == callTest:
		// Settings' connection test: whoever tests the connection is
		// setting copylab up, and the setting is theirs. The test waits
		// as long as drafting does for one answer (app.llmTestLimit), so
		// the limit said is the setting.
		return newError(CodeTimeout, http.StatusGatewayTimeout, err,
			"The model did not answer within %s, the time copylab waits for each answer. "+
				"A local model may still be loading; try again in a minute. "+
				"For a model that is slow to answer, start copylab with a longer --llm-timeout (COPYLAB_LLM_TIMEOUT).",
			durationText(g.timeout))
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		// A marketer reads this on the drafting page: the server's
		// setting is no use to them, so it goes to the log (operator).
		// One draft is no quicker as fewer drafts.
		advice := "try again"
		if kind == callDrafts {
			advice = "try again, or ask for fewer drafts, which a slow model writes sooner"
		}
		e := newError(CodeTimeout, http.StatusGatewayTimeout, err,
			"The model did not answer within %s; %s. Whoever runs copylab can let it wait longer.", durationText(g.timeout), advice)
		e.operator = fmt.Sprintf("start copylab with a longer --llm-timeout (COPYLAB_LLM_TIMEOUT, now %s) to wait longer for a slow model", g.timeout)
		return e
	case untrustedCertificate(err):
		// Not a passing failure: asking again meets the same certificate.
		return newError(CodeUnreachable, http.StatusBadGateway, err,
			"copylab does not trust the TLS certificate of the model endpoint at %s; check the base URL's host name, or give the server a certificate this machine trusts.", g.baseURL)
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial", errors.Is(err, syscall.ECONNREFUSED):
		return newError(CodeUnreachable, http.StatusBadGateway, err,
			"copylab could not reach the model endpoint at %s; check the base URL and that the server is running.", g.baseURL)
	case errors.As(err, &opErr):
		// The connection broke after it was made: a crashing or
		// restarting server, worth a retry like a 5xx.
		return newError(CodeUnavailable, http.StatusBadGateway, err,
			"The connection to the model service broke off; try again.")
	case errors.Is(err, errResponseTooLarge):
		return newError(CodeBadOutput, http.StatusBadGateway, err,
			"The model endpoint sent a far larger answer than expected.")
	case cutOff(err):
		// The answer started as JSON and ended part way: a server that
		// fell over while it wrote, or a proxy that dropped the rest.
		// Worth a retry, like a connection that broke off; the base URL
		// is not to blame.
		return newError(CodeUnavailable, http.StatusBadGateway, err,
			"The model service's answer broke off before it was complete; try again.")
	case isDecodeError(err):
		return newError(CodeBadOutput, http.StatusBadGateway, err, notOpenAIText)
	case ctx.Err() != nil:
		return newError(CodeTimeout, http.StatusGatewayTimeout, err,
			"The model did not answer in time; try again.")
	case errors.Is(err, openai.ErrChatCompletionInvalidModel):
		return newError(CodeBadRequest, http.StatusBadGateway, err,
			"The model %q cannot be used for chat; choose a chat model in the settings.", g.model)
	default:
		return newError(CodeUnavailable, http.StatusBadGateway, err,
			"The model service failed unexpectedly; try again later.")
	}
}

// untrustedCertificate tells whether err is a TLS certificate the client
// refused: unknown authority, wrong host name, expired or otherwise
// invalid.
func untrustedCertificate(err error) bool {
	var (
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

// bearerRe finds credentials in text a server sent back: a bearer token,
// or an OpenAI-style secret key.
var bearerRe = regexp.MustCompile(`(?i)\bbearer\s+\S+|\bsk-[A-Za-z0-9_-]{8,}`)

// redact takes the configured API key, and anything that looks like one,
// out of text a server sent back, leaving the key's hint.
func (g *Generator) redact(s string) string {
	if g.apiKey != "" {
		s = strings.ReplaceAll(s, g.apiKey, g.keyHint)
	}
	return bearerRe.ReplaceAllString(s, "[credentials removed]")
}

// redactedError is an error whose text is redacted; errors.As and
// errors.Is still reach the original.
type redactedError struct {
	err    error
	redact func(string) string
}

func (e redactedError) Error() string { return e.redact(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

// upstreamDetail quotes the server's own explanation, which names the
// unknown model or the rejected parameter, tidied into one short clause.
func upstreamDetail(msg string) string {
	msg = strings.TrimRight(tidyNote(msg, 160), ".")
	if msg == "" {
		return ""
	}
	return ": “" + msg + "”"
}

// cutOff tells whether err is an answer that ended in the middle: the
// JSON decoder, or the body's reader, met its end too soon. An empty
// body (io.EOF) is not one: it is no answer at all.
func cutOff(err error) bool {
	var syn *json.SyntaxError
	return errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end of JSON input")
}

func isDecodeError(err error) bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syn) || errors.As(err, &typ) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// TestConnection sends the smallest useful chat completion, so a wrong
// key, model name or base URL shows up on the settings page rather than
// at the first generation. Offline generators have nothing to test and
// return nil.
func (g *Generator) TestConnection(ctx context.Context) error {
	if g.offline {
		return nil
	}
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: "This is a connection test. Reply with the single word OK."},
		{Role: openai.ChatMessageRoleUser, Content: "Connection test."},
	}
	c, err := g.complete(ctx, callTest, msgs, false)
	var e *Error
	if errors.As(err, &e) && (e.Code == CodeTruncated || e.Code == CodeRefused) && !errors.Is(err, errNoAnswer) {
		// The model answered, though not in full or not as asked; what
		// it said does not matter here. An answer with no text, or with
		// only thinking, fails the test (errNoAnswer): drafting would
		// fail with it.
		err = nil
	}
	// The request counts as the test's verdict says.
	c.report(ctx, err)
	return err
}
