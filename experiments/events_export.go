package experiments

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StoredEvent is one event as the raw export gives it (GET
// /api/v1/experiments/{id}/events), for teams that join experiment data
// with their own: what POST /e stored, with what the server added (the
// time it came, the visitor's segment values), and how the results treat
// it now. The last is read from the visitor's row (experiment_visitors)
// beside the event rather than from what was stored with it: a visitor
// taken out of the results after their event was stored (they saw a
// second variant, or a later event showed a bot) keeps that event's
// stored reason "" (ingest does not go back to rewrite stored events), yet
// the results no longer count it. From these fields alone, a person gets
// the results' numbers: a variant's visitors are its exposures with First
// (the distinct Visitors of its counted exposures), its conversions its
// counted conversions.
type StoredEvent struct {
	Seq  int64    // the table's rowid: rises in the order events were stored
	ID   [16]byte // the sender's event id (a UUID)
	Type string   // EventExposure or EventConversion
	// Visitor is the visitor id the sender gave.
	Visitor string
	// Variant is the variant's key the event is credited to: an
	// exposure's, as sent; a conversion's is its visitor's (that of their
	// first exposure, which the results credit a conversion to), or what
	// the sender wrote when the visitor has no variant.
	Variant string
	// SentVariant is the variant's key the sender wrote: an exposure's
	// Variant; a conversion's is often "" (a backend need not know it),
	// and may even name another variant than its visitor's.
	SentVariant string
	Goal        string // conversions: click, pageview or the custom event's name; "" for exposures
	URL         string
	ReceivedAt  time.Time           // server time, whole milliseconds
	ClientTS    sql.Null[time.Time] // the sender's clock (ts), when it sent one
	Matched     sql.Null[bool]      // exposures: false when the page matched but the element was missing; null for conversions
	SwapMS      sql.Null[int64]     // exposures: ms from the start of the page view to the swap, when the tag sent it; null for conversions
	// Bot: the visitor is taken for a bot, by this event (a "bot": true
	// body, or an exposure with a tool's user agent) or by any other.
	Bot bool
	// The segment values, set on exposures only (segments.go): country,
	// device, browser, the referring host and utm_source.
	Country   string
	Device    string
	Browser   string
	RefDomain string
	UTMSource string
	// Ignored is why the event is not counted (ReasonBot and the other
	// Reason codes), "" when it is, as the results treat it now: the
	// reason stored with it, except that every event of a visitor the
	// results leave out whole (ReasonMultipleVariants, ReasonBot) that
	// was stored as counted, or with the other of those two reasons, has
	// the visitor's reason. The reasons that are the event's own
	// (ReasonAlreadyConverted, ReasonNotRunning, …) stay.
	Ignored string
	// First marks the exposure a counted visitor is counted by (their
	// experiment_visitors row's first_seq): one per visitor in a
	// variant's visitors. Later page views are counted too, so a visitor
	// has any number of counted exposures.
	First bool
}

// EventQuery selects a page of an experiment's stored events.
type EventQuery struct {
	Experiment string
	After      int64  // only events with a larger seq: where the previous page ended
	Type       string // EventExposure or EventConversion; "" for both
	Limit      int    // at most this many; at least 1
}

// Events appends to dst the events of q.Experiment after seq q.After,
// oldest first, at most q.Limit of them, and returns the extended slice.
//
// It reads from the read-only pool, one page per query: the events
// export walks an experiment of millions of events a page at a time
// (where experiment_id = ? and seq > ?, which the events_experiment index
// answers in seq order, since an index holds the rowid), so that no page
// holds a read transaction open while a slow client takes its time, and
// the writer's checkpoints are never held back by a download. seq only
// grows (one writer appends), so the next page starts where this one
// ended, whatever was stored in between.
//
// Each event is read with its visitor's row, by the row's primary key,
// in the same statement, so that a page's events and the visitor states
// they are judged by are of one moment (see StoredEvent). A visitor the
// writer takes out of the results between two pages can still be
// counted on the earlier page: the export of a running experiment is as
// of each page. Once the experiment is stopped, no row changes but by a
// recount, which runs with copylab stopped.
func (s *Store) Events(ctx context.Context, q EventQuery, dst []StoredEvent) ([]StoredEvent, error) {
	// The type is read as a flag, and given as this package's constant:
	// a string read from the driver costs two allocations an event. For
	// the same reason the visitor's row is read as what judge needs, in
	// values the driver hands over without allocating: the state (null
	// without a row), whether this event is the row's first_seq, and the
	// visitor's variant only for a conversion that was sent another one.
	query := `/* Store.Events */ select e.seq, e.id, e.type = 'exposure', e.visitor, e.variant, e.goal, e.url, e.received_at,
		e.client_ts, e.matched, e.swap_ms, e.bot, e.country, e.device, e.browser, e.ref_domain, e.utm_source, e.ignored,
		v.state, v.first_seq = e.seq,
		case when e.type = 'conversion' and v.variant not in ('', e.variant) then v.variant end
		from events e left join experiment_visitors v on v.experiment_id = e.experiment_id and v.visitor = e.visitor
		where e.experiment_id = ? and e.seq > ?`
	args := []any{q.Experiment, q.After}
	if q.Type != "" {
		query += ` and e.type = ?`
		args = append(args, q.Type)
	}
	query += ` order by e.seq limit ?`
	args = append(args, max(q.Limit, 1))
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return dst, fmt.Errorf("experiments: events of %s: %w", q.Experiment, err)
	}
	defer rows.Close()
	var (
		id       sql.RawBytes
		exposure bool
		received int64
		clientTS sql.Null[int64]
		matched  sql.Null[int64]
		visitor  visitorNow
	)
	for rows.Next() {
		dst = append(dst, StoredEvent{})
		ev := &dst[len(dst)-1]
		if err := rows.Scan(&ev.Seq, &id, &exposure, &ev.Visitor, &ev.SentVariant, &ev.Goal, &ev.URL, &received, &clientTS, &matched,
			&ev.SwapMS, &ev.Bot, &ev.Country, &ev.Device, &ev.Browser, &ev.RefDomain, &ev.UTMSource, &ev.Ignored,
			&visitor.state, &visitor.atFirst, &visitor.variant); err != nil {
			return dst, fmt.Errorf("experiments: events of %s: %w", q.Experiment, err)
		}
		copy(ev.ID[:], id)
		ev.Type = EventConversion
		if exposure {
			ev.Type = EventExposure
		}
		ev.Variant = ev.SentVariant
		ev.ReceivedAt = time.UnixMilli(received)
		ev.ClientTS = sql.Null[time.Time]{V: time.UnixMilli(clientTS.V), Valid: clientTS.Valid}
		ev.Matched = sql.Null[bool]{V: matched.V != 0, Valid: matched.Valid}
		visitor.judge(ev)
	}
	if err := rows.Err(); err != nil {
		return dst, fmt.Errorf("experiments: events of %s: %w", q.Experiment, err)
	}
	return dst, nil
}

// visitorNow is what Events reads of an event's visitor's
// experiment_visitors row: its state (null when they have none: a
// conversion without an exposure, or an event of a pause), whether the
// event is the row's first_seq, and, for a conversion sent with another
// variant than the visitor's, the visitor's (null otherwise, and while a
// bot's row has none).
type visitorNow struct {
	state   sql.Null[int64]
	atFirst sql.Null[bool]
	variant sql.Null[string]
}

// judge sets what ev's visitor's row says of it now (StoredEvent): its
// credited variant, whether it is a bot's, why it is not counted, and
// whether it is the exposure that counts the visitor. The counting rules
// (batch.go) keep this exact: a counted visitor's row holds the variant
// and first_seq of the exposure that counted them, and they have at most
// one counted conversion; a visitor who leaves the counts (moveOut) is
// multiple or a bot for good, so their row says so.
func (v *visitorNow) judge(ev *StoredEvent) {
	if !v.state.Valid {
		return
	}
	if v.variant.Valid {
		ev.Variant = v.variant.V
	}
	switch v.state.V {
	case visitorCounted:
		ev.First = ev.Type == EventExposure && v.atFirst.V && ev.Ignored == ""
	case visitorMultiple, visitorBot:
		reason := ReasonMultipleVariants
		if v.state.V == visitorBot {
			reason = ReasonBot
			ev.Bot = true
		}
		switch ev.Ignored {
		case "", ReasonMultipleVariants, ReasonBot:
			ev.Ignored = reason
		}
	}
}
