package experiments

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StoredEvent is one row of the events table as it is kept: what POST /e
// stored, with what the server added (the time it came, the visitor's
// segment values, and why it was not counted). It is the raw export's row
// (GET /api/v1/experiments/{id}/events), for teams that join experiment
// data with their own.
type StoredEvent struct {
	Seq        int64    // the table's rowid: rises in the order events were stored
	ID         [16]byte // the sender's event id (a UUID)
	Type       string   // EventExposure or EventConversion
	Visitor    string
	Variant    string // the variant's key
	Goal       string // conversions: click, pageview or the custom event's name; "" for exposures
	URL        string
	ReceivedAt time.Time           // server time, whole milliseconds
	ClientTS   sql.Null[time.Time] // the sender's clock (ts), when it sent one
	Matched    sql.Null[bool]      // exposures: false when the page matched but the element was missing; null for conversions
	SwapMS     sql.Null[int64]     // exposures: ms from the start of the page view to the swap, when the tag sent it; null for conversions
	Bot        bool
	// The segment values, set on exposures only (segments.go): country,
	// device, browser, the referring host and utm_source.
	Country   string
	Device    string
	Browser   string
	RefDomain string
	UTMSource string
	// Ignored is why the event is not counted (ReasonBot and the other
	// Reason codes), "" when it is: as the last write or recount left it.
	Ignored string
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
func (s *Store) Events(ctx context.Context, q EventQuery, dst []StoredEvent) ([]StoredEvent, error) {
	// The type is read as a flag, and given as this package's constant:
	// a string read from the driver costs two allocations an event.
	query := `/* Store.Events */ select seq, id, type = 'exposure', visitor, variant, goal, url, received_at, client_ts, matched, swap_ms, bot,
		country, device, browser, ref_domain, utm_source, ignored
		from events where experiment_id = ? and seq > ?`
	args := []any{q.Experiment, q.After}
	if q.Type != "" {
		query += ` and type = ?`
		args = append(args, q.Type)
	}
	query += ` order by seq limit ?`
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
	)
	for rows.Next() {
		dst = append(dst, StoredEvent{})
		ev := &dst[len(dst)-1]
		if err := rows.Scan(&ev.Seq, &id, &exposure, &ev.Visitor, &ev.Variant, &ev.Goal, &ev.URL, &received, &clientTS, &matched,
			&ev.SwapMS, &ev.Bot, &ev.Country, &ev.Device, &ev.Browser, &ev.RefDomain, &ev.UTMSource, &ev.Ignored); err != nil {
			return dst, fmt.Errorf("experiments: events of %s: %w", q.Experiment, err)
		}
		copy(ev.ID[:], id)
		ev.Type = EventConversion
		if exposure {
			ev.Type = EventExposure
		}
		ev.ReceivedAt = time.UnixMilli(received)
		ev.ClientTS = sql.Null[time.Time]{V: time.UnixMilli(clientTS.V), Valid: clientTS.Valid}
		ev.Matched = sql.Null[bool]{V: matched.V != 0, Valid: matched.Valid}
	}
	if err := rows.Err(); err != nil {
		return dst, fmt.Errorf("experiments: events of %s: %w", q.Experiment, err)
	}
	return dst, nil
}
