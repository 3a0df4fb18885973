package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// The raw events export: GET /api/v1/experiments/{id}/events (NDJSON,
// one object a line) and …/events.csv (the same rows, with a header), for
// a team that joins experiment data with its own warehouse (revenue,
// retention), as PostHog's and GrowthBook's exports allow. The results
// and their CSVs are aggregates; these are the events themselves, oldest
// first, as the store keeps them, with how the results treat each now
// (experiments.StoredEvent), so that the export alone gives the results'
// numbers: a variant's visitors are its lines with first (the distinct
// visitors of its counted exposures), its conversions its counted
// conversions.
//
// Each line has these fields, in this order; the CSV's columns are the
// same names, with an empty cell for null:
//
//   - seq: the event's place in the store, rising in the order events
//     were stored. ?after=SEQ resumes after it, so a script that lost its
//     connection asks again from the last line it has.
//   - id: the event id the sender gave (a UUID, in lower case).
//   - type: exposure or conversion.
//   - visitor: the visitor id the sender gave.
//   - variant: the variant's key, as in the results document's variants,
//     that the event is credited to: an exposure's, as sent; a
//     conversion's is its visitor's (the variant of their first
//     exposure, as the results credit it), or what was sent when the
//     visitor has none (a conversion without an exposure).
//   - sent_variant: the variant the sender wrote: an exposure's variant;
//     for a conversion often "" (a backend need not know it), or even
//     another variant than its visitor's, which is worth a look at the
//     code that sends it.
//   - goal: a conversion's goal (click, pageview or the custom event's
//     name); "" for an exposure.
//   - url: the page the event came from, as sent (at most 2,048 bytes).
//   - received_at: when copylab received it, in the API's time format
//     (apiTimeLayout: UTC, milliseconds always written).
//   - client_ts: the sender's clock (the event's ts), in the same format;
//     null when it sent none. Kept, never used for counting.
//   - matched: an exposure's matched (false when the page matched but
//     the element was missing); null for a conversion.
//   - swap_ms: an exposure's swap time, the ms the tag sent: whole
//     milliseconds from the start of the page view (navigation start, or
//     a client-side navigation) to the swap; null when it sent none or
//     one past an hour (kept without it), and for a conversion.
//   - bot: the visitor is taken for a bot, by this event (the tag said
//     so, or an exposure came with a tool's user agent) or by another,
//     earlier or later.
//   - counted: the event counts in the results (ignored is "").
//   - first: the exposure that counts its visitor in its variant, one
//     per counted visitor; every later page view's exposure is counted
//     too, so count distinct visitors, or these.
//   - ignored: why it does not count, one of the codes POST /e's
//     X-Copylab header names (bot, multiple_variants, no_exposure, …);
//     "" when it counts. As the results treat the event now, which is
//     not always what POST /e answered: when a visitor is taken out of
//     the results (a second variant, a bot), all their events are, with
//     that code, the ones stored before it too.
//   - country, device, browser, referrer, utm_source: the segment values
//     of an exposure, named as the results document's segments name their
//     dimensions (referrer is the referring host, utm_source the
//     campaign's); "" when not known, and always "" on a conversion,
//     whose visitor's segment is that of their first exposure.
//
// The body is streamed: copylab reads a page of events (eventsExportPage)
// from the store's read-only pool, writes it as one chunk, and reads the
// next only once that one is sent, so an experiment of millions of events
// never sits in memory, no read transaction stays open while a slow
// client reads, and ingest, on the writer, never waits for it. A client
// that goes away ends the export at the next chunk: the write fails and
// the stream's context is cancelled (Close). A failure after the first
// chunk can no longer change the status: the connection is closed before
// the chunked body's end, so the client sees a cut body, never a short
// one that looks whole, and resumes with ?after.

// eventsExportPage is how many events the export reads and sends at a
// time: about 300 KB of NDJSON for ordinary events, at most some MB with
// the longest URLs. A variable so that tests can make pages small.
var eventsExportPage = 1000

// apiEventsParams are the query parameters of GET …/events and
// …/events.csv (apiQueryParams).
var apiEventsParams = []string{"after", "limit", "type"}

// eventsColumns are the CSV's header, and the NDJSON's field names.
var eventsColumns = []string{"seq", "id", "type", "visitor", "variant", "sent_variant", "goal", "url", "received_at",
	"client_ts", "matched", "swap_ms", "bot", "counted", "first", "ignored", "country", "device", "browser", "referrer",
	"utm_source"}

// apiEventsExport answers GET /api/v1/experiments/:id/events[?after=&
// limit=&type=] with NDJSON.
func (a *App) apiEventsExport(c *fiber.Ctx) error {
	return a.eventsExport(c, "application/x-ndjson", "", appendEventsNDJSON)
}

// eventsCSV answers GET /experiments/:id/events.csv, the results page's
// download, and GET /api/v1/experiments/:id/events.csv, the same file for
// a token (with the API's JSON errors, as results.csv).
func (a *App) eventsCSV(c *fiber.Ctx) error {
	return a.eventsExport(c, "text/csv; charset=utf-8", "events", appendEventsCSV)
}

// eventsExport checks the query and the experiment, reads the first page
// (so that a failure then is answered as any other), and streams the
// rest. csvKind names the CSV file ("" for NDJSON, sent without a file
// name, as the API's other answers are).
func (a *App) eventsExport(c *fiber.Ctx, contentType, csvKind string, encode eventsEncoder) error {
	q, limit, err := eventsQueryOf(c)
	if err != nil {
		return err
	}
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	q.Experiment = e.ID
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if csvKind != "" {
		c.Set(fiber.HeaderContentDisposition, csvDisposition(e, csvKind))
	}
	if c.Method() == fiber.MethodHead {
		return nil
	}
	fctx := c.Context()
	ctx, cancel := context.WithCancel(context.WithoutCancel(c.UserContext()))
	s := &eventsStream{ctx: ctx, cancel: cancel, store: a.store, q: q, left: limit, encode: encode,
		header: csvKind != "", requestID: requestIDOf(c), log: a.log,
		// Each chunk has the server's write timeout to go out, rather
		// than the whole body: a download of millions of events takes
		// longer than 30 s, and a client that stops reading is still let
		// go of after that time.
		deadline: func() { _ = fctx.SetWriteDeadline(time.Now().Add(writeTimeout)) }}
	if err := s.fill(); err != nil && err != io.EOF {
		cancel()
		return err
	}
	if s.finished {
		// All of it in one page (or none: an empty body, or the CSV's
		// header alone): sent whole, with its length.
		cancel()
		return c.Send(s.buf)
	}
	c.Context().SetBodyStream(s, -1)
	return nil
}

// eventsQueryOf reads the export's query: after (a seq, 0 for the
// start), limit (at most that many lines; -1 when not given, for all)
// and type. apiQuery has refused other parameters and repeated ones.
func eventsQueryOf(c *fiber.Ctx) (q experiments.EventQuery, limit int64, err error) {
	limit = -1
	if v := c.Query("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return q, 0, errBadRequest("invalid_after", "after", "Set after to the seq of the last event you have, a whole number from 0; leave it out to start from the first event.")
		}
		q.After = n
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return q, 0, errBadRequest("invalid_limit", "limit", "Set limit to a whole number from 1, or leave it out for every event.")
		}
		limit = n
	}
	switch t := c.Query("type"); t {
	case "", experiments.EventExposure, experiments.EventConversion:
		q.Type = t
	default:
		return q, 0, errBadRequest("invalid_type", "type", "Set type to exposure or conversion, or leave it out for both.")
	}
	return q, limit, nil
}

// eventsEncoder appends a page of events to buf, in the format of the
// export; header asks for the CSV's header row first.
type eventsEncoder func(buf []byte, page []experiments.StoredEvent, header bool) []byte

// eventsStream is the body of an export: fasthttp reads it (WriteTo,
// or Read) while it writes the answer, after the handler has returned,
// and closes it at the end or when the client has gone.
type eventsStream struct {
	ctx       context.Context
	cancel    context.CancelFunc
	store     *experiments.Store
	q         experiments.EventQuery // q.After moves on with each page
	left      int64                  // lines still to send; -1 for all
	encode    eventsEncoder
	header    bool // the CSV's header is still to write
	deadline  func()
	requestID string
	log       *slog.Logger

	page     []experiments.StoredEvent // reused from page to page
	buf      []byte                    // the encoded page being sent
	off      int                       // how much of buf Read has given
	finished bool                      // no page after buf
}

// fill reads and encodes the next page into buf; io.EOF once there is
// none. The last page is the one shorter than asked: no query is made
// to learn that nothing follows it.
func (s *eventsStream) fill() error {
	s.buf, s.off = s.buf[:0], 0
	if s.finished {
		return io.EOF
	}
	n := int64(eventsExportPage)
	if s.left >= 0 {
		n = min(n, s.left)
	}
	var err error
	if n > 0 {
		s.q.Limit = int(n)
		s.page, err = s.store.Events(s.ctx, s.q, s.page[:0])
		if err != nil {
			s.finished = true
			return err
		}
	}
	if len(s.page) > 0 {
		s.q.After = s.page[len(s.page)-1].Seq
	}
	if s.left >= 0 {
		s.left -= int64(len(s.page))
	}
	s.finished = n == 0 || int64(len(s.page)) < n || s.left == 0
	if n == 0 {
		s.page = s.page[:0]
	}
	s.buf = s.encode(s.buf, s.page, s.header)
	s.header = false
	if len(s.buf) == 0 && s.finished {
		return io.EOF
	}
	return nil
}

// WriteTo writes the rest of the export to w, one page a write: fasthttp
// sends each as a chunk and flushes it.
func (s *eventsStream) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if s.off < len(s.buf) {
			if s.deadline != nil {
				s.deadline()
			}
			n, err := w.Write(s.buf[s.off:])
			total += int64(n)
			s.off += n
			if err != nil {
				// The client has gone (or stopped reading past the write
				// timeout): read nothing more. Not a failure of copylab's,
				// so only a debug line, with where it stopped.
				s.cancel()
				if s.log != nil {
					s.log.Debug("events export: the client went away", "request_id", s.requestID,
						"experiment", s.q.Experiment, "read_to_seq", s.q.After, "error", err)
				}
				return total, err
			}
		}
		if err := s.fill(); err == io.EOF {
			return total, nil
		} else if err != nil {
			return total, s.failed(err)
		}
	}
}

// failed logs a read that failed after the answer had begun (the first
// page's failure is answered, and logged, as any handler's error) and
// returns err, which makes fasthttp close the connection before the
// body's end.
func (s *eventsStream) failed(err error) error {
	if s.log != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("events export: read failed; the answer was cut off", "request_id", s.requestID,
			"experiment", s.q.Experiment, "read_to_seq", s.q.After, "error", err)
	}
	return err
}

// SupportsBodyWriteTo tells fasthttp that WriteTo gives what Read would
// (fasthttp.BodyWriterTo), so that it writes each page as one chunk.
func (s *eventsStream) SupportsBodyWriteTo() bool { return true }

// Read is WriteTo for readers that copy in small buffers.
func (s *eventsStream) Read(p []byte) (int, error) {
	for s.off == len(s.buf) {
		if err := s.fill(); err == io.EOF {
			return 0, err
		} else if err != nil {
			return 0, s.failed(err)
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// Close ends the export's reads: fasthttp calls it when the body has
// been sent, or could not be.
func (s *eventsStream) Close() error {
	s.cancel()
	return nil
}

// appendEventsNDJSON appends each event as a JSON object and a newline,
// with the fields of eventsColumns. The strings are the store's, which
// POST /e checked; any invalid UTF-8 would be written as U+FFFD.
func appendEventsNDJSON(buf []byte, page []experiments.StoredEvent, _ bool) []byte {
	for i := range page {
		ev := &page[i]
		buf = append(buf, `{"seq":`...)
		buf = strconv.AppendInt(buf, ev.Seq, 10)
		buf = append(buf, `,"id":"`...)
		buf = appendUUID(buf, ev.ID)
		buf = append(buf, `","type":`...)
		buf = appendJSONString(buf, ev.Type)
		buf = append(buf, `,"visitor":`...)
		buf = appendJSONString(buf, ev.Visitor)
		buf = append(buf, `,"variant":`...)
		buf = appendJSONString(buf, ev.Variant)
		buf = append(buf, `,"sent_variant":`...)
		buf = appendJSONString(buf, ev.SentVariant)
		buf = append(buf, `,"goal":`...)
		buf = appendJSONString(buf, ev.Goal)
		buf = append(buf, `,"url":`...)
		buf = appendJSONString(buf, ev.URL)
		buf = append(buf, `,"received_at":"`...)
		buf = appendAPITime(buf, ev.ReceivedAt)
		buf = append(buf, `","client_ts":`...)
		if ev.ClientTS.Valid {
			buf = append(buf, '"')
			buf = appendAPITime(buf, ev.ClientTS.V)
			buf = append(buf, '"')
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"matched":`...)
		if ev.Matched.Valid {
			buf = strconv.AppendBool(buf, ev.Matched.V)
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"swap_ms":`...)
		if ev.SwapMS.Valid {
			buf = strconv.AppendInt(buf, ev.SwapMS.V, 10)
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"bot":`...)
		buf = strconv.AppendBool(buf, ev.Bot)
		buf = append(buf, `,"counted":`...)
		buf = strconv.AppendBool(buf, ev.Ignored == "")
		buf = append(buf, `,"first":`...)
		buf = strconv.AppendBool(buf, ev.First)
		buf = append(buf, `,"ignored":`...)
		buf = appendJSONString(buf, ev.Ignored)
		buf = append(buf, `,"country":`...)
		buf = appendJSONString(buf, ev.Country)
		buf = append(buf, `,"device":`...)
		buf = appendJSONString(buf, ev.Device)
		buf = append(buf, `,"browser":`...)
		buf = appendJSONString(buf, ev.Browser)
		buf = append(buf, `,"referrer":`...)
		buf = appendJSONString(buf, ev.RefDomain)
		buf = append(buf, `,"utm_source":`...)
		buf = appendJSONString(buf, ev.UTMSource)
		buf = append(buf, "}\n"...)
	}
	return buf
}

// appendEventsCSV appends each event as a CSV row (RFC 4180, as
// encoding/csv writes it), after the header row when asked. Text cells
// that a spreadsheet would run as a formula (a visitor id or URL that
// starts with =, or with spaces before it) are neutralised by csvText, as
// in the other exports; numbers, times (UTC, with their Z) and booleans
// are this code's own. Null is an empty cell.
func appendEventsCSV(buf []byte, page []experiments.StoredEvent, header bool) []byte {
	b := bytes.NewBuffer(buf)
	w := csv.NewWriter(b)
	if header {
		_ = w.Write(eventsColumns)
	}
	row := make([]string, len(eventsColumns))
	var scratch []byte
	for i := range page {
		ev := &page[i]
		// The times share one scratch buffer, turned to strings once each.
		scratch = appendAPITime(scratch[:0], ev.ReceivedAt)
		received := string(scratch)
		clientTS := ""
		if ev.ClientTS.Valid {
			scratch = appendAPITime(scratch[:0], ev.ClientTS.V)
			clientTS = string(scratch)
		}
		matched, swapMS := "", ""
		if ev.Matched.Valid {
			matched = strconv.FormatBool(ev.Matched.V)
		}
		if ev.SwapMS.Valid {
			swapMS = strconv.FormatInt(ev.SwapMS.V, 10)
		}
		row = append(row[:0], strconv.FormatInt(ev.Seq, 10), string(appendUUID(scratch[:0], ev.ID)), csvText(ev.Type),
			csvText(ev.Visitor), csvText(ev.Variant), csvText(ev.SentVariant), csvText(ev.Goal), csvText(ev.URL), received,
			clientTS, matched, swapMS, strconv.FormatBool(ev.Bot), strconv.FormatBool(ev.Ignored == ""),
			strconv.FormatBool(ev.First), csvText(ev.Ignored), csvText(ev.Country), csvText(ev.Device), csvText(ev.Browser),
			csvText(ev.RefDomain), csvText(ev.UTMSource))
		_ = w.Write(row)
	}
	w.Flush() // writes to a bytes.Buffer, which does not fail
	return b.Bytes()
}

// appendAPITime appends t as the API writes every time (apiTimeLayout).
func appendAPITime(buf []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(buf, apiTimeLayout)
}

// appendUUID appends id in the canonical form, lower case with dashes.
func appendUUID(buf []byte, id [16]byte) []byte {
	var out [36]byte
	hex.Encode(out[0:8], id[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], id[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], id[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], id[8:10])
	out[23] = '-'
	hex.Encode(out[24:], id[10:])
	return append(buf, out[:]...)
}

// appendJSONString appends s as a JSON string. Text that is not valid
// UTF-8 is written with U+FFFD in place of the bad bytes (the error only
// says so), as encoding/json writes it.
func appendJSONString(buf []byte, s string) []byte {
	buf, _ = jsontext.AppendQuote(buf, s)
	return buf
}
