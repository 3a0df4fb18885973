package experiments

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"copylab/experiments/recorders"
)

// Session recordings: the snippet tags each recording of a site's recorders
// (PostHog, Clarity, …) with the experiment and variant, and reports the
// recorder's session in a "recording" event (static/snippet/snippet.js).
// The writer stores each (experiment, visitor, recorder, session) once in
// the recordings table, in the same transaction as the events, and never
// counts it in results. The results link each variant to its recordings
// through experiments/recorders. copylab stores links, never recordings.

// EventRecording is the type of the events that report a recorded session.
const EventRecording = "recording"

// Limits of a "recording" event's fields.
const (
	MaxSessionLen = 200  // characters of a recorder's session id
	MaxReplayLen  = 2048 // bytes of a replay URL
)

// CodeInvalidRecorder rejects a body (400) whose "recording" event names
// no recorder the snippet knows. The tag writes the name itself, so a
// wrong one is a broken sender, not the page's data.
const CodeInvalidRecorder = "invalid_recorder"

// Reasons why a "recording" event was skipped (IngestResult.Skipped). The
// session id and replay URL come from the recorder's script on the host
// page, which neither the tag nor the site's developer chooses; refusing
// them would refuse the exposures and conversions sent with them (the
// tag drops a refused batch), so the event alone is left out, unstored.
// A replay URL that cannot be used, beside a session id that links to the
// recording by itself, leaves out only the URL: the event is kept, and
// its reason is in IngestResult.ReplaysDropped. The reverse too: a session
// id that cannot be used, beside a replay URL that links to the recording
// by itself (recorders.NeedsReplay), leaves out only the session, and its
// reason is in IngestResult.SessionsDropped.
const (
	SkipSessionTooLong = "recording_session_too_long" // over MaxSessionLen characters
	SkipSessionInvalid = "recording_session_invalid"  // control characters, or not a string
	SkipReplayTooLong  = "recording_replay_too_long"  // over MaxReplayLen bytes
	SkipReplayInvalid  = "recording_replay_invalid"   // not an http(s) URL with a host, or not a string
	SkipNoSession      = "recording_no_session"       // neither a session id nor a replay URL
)

// RecorderNames are the recorders a "recording" event may name, as the
// snippet and experiments/recorders spell them.
var RecorderNames = []string{recorders.PostHogName, recorders.ClarityName, recorders.FullStoryName,
	recorders.LogRocketName, recorders.HotjarName, recorders.CustomName}

// recordingEvent is what a validated "recording" event adds to an event.
type recordingEvent struct {
	recorder, session, replay string
	// key makes the session one for the dedupe: the session id, or the
	// replay URL without its query and fragment (FullStory and LogRocket
	// report only a URL, which may carry a time).
	key string
	// skip is why the event is left out of its request (a Skip reason),
	// or "" when it is to be stored.
	skip string
	// dropped is why the replay URL sent was left out (SkipReplayTooLong
	// or SkipReplayInvalid), or "".
	dropped string
	// sessionDropped is why the session id sent was left out
	// (SkipSessionTooLong or SkipSessionInvalid), or "".
	sessionDropped string
}

// parseRecording checks the fields of a "recording" event (after the
// common ones) and fills e.rec. A recorder it does not know rejects the
// body; a session or replay it cannot use sets e.rec.skip, and parse
// leaves the event out of the request, except a replay URL beside a
// session id that is enough for the recorder's link: the event is kept
// without the URL (e.rec.dropped), and a session id beside a replay URL
// that is enough: the event is kept without the session, keyed by the
// URL (e.rec.sessionDropped).
func parseRecording(w *wireEvent, e *event, field string) *IngestError {
	if !slices.Contains(RecorderNames, w.Recorder) {
		if w.Recorder == "" {
			return badRequest(CodeRequired, field+"recorder", "Name the recorder of a recording (%s).", strings.Join(RecorderNames, ", "))
		}
		return badRequest(CodeInvalidRecorder, field+"recorder", "The recorder must be one of %s.", strings.Join(RecorderNames, ", "))
	}
	skip, dropped, sessionDropped := recordingSkip(w)
	if skip != "" {
		e.rec = &recordingEvent{skip: skip}
		return nil
	}
	session, replay := w.Session.s, w.Replay.s
	if dropped != "" {
		replay = ""
	}
	if sessionDropped != "" {
		session = ""
	}
	key := session
	if key == "" {
		key, _, _ = strings.Cut(replay, "#")
		key, _, _ = strings.Cut(key, "?")
	}
	e.rec = &recordingEvent{recorder: w.Recorder, session: session, replay: replay, key: key, dropped: dropped,
		sessionDropped: sessionDropped}
	return nil
}

// recordingSkip returns why a recording cannot be used (skip, a Skip
// reason), or else why its replay URL cannot (dropped) or its session id
// cannot (sessionDropped), or "", "" and "". A bad session skips the
// event, before anything is said of the replay, unless the recorder's
// link needs the replay URL (recorders.NeedsReplay) and a good one came
// with it: that URL alone gives the link and the session key. A bad
// replay URL skips the event when there is no session, or when the
// recorder's link needs the URL.
func recordingSkip(w *wireEvent) (skip, dropped, sessionDropped string) {
	session, replay := w.Session.s, w.Replay.s
	badSession := ""
	switch {
	case utf8.RuneCountInString(session) > MaxSessionLen:
		badSession = SkipSessionTooLong
	case w.Session.wrong || !printable(session):
		badSession = SkipSessionInvalid
	}
	badReplay := ""
	switch {
	case len(replay) > MaxReplayLen:
		badReplay = SkipReplayTooLong
	case w.Replay.wrong || replay != "" && !replayURLOK(replay):
		badReplay = SkipReplayInvalid
	}
	needsReplay := recorders.NeedsReplay(w.Recorder)
	switch {
	case badSession != "" && needsReplay && replay != "" && badReplay == "":
		return "", "", badSession
	case badSession != "":
		return badSession, "", ""
	case badReplay != "" && (session == "" || needsReplay):
		return badReplay, "", ""
	case badReplay != "":
		return "", badReplay, ""
	case session == "" && replay == "":
		return SkipNoSession, "", ""
	}
	return "", "", ""
}

// replayURLOK accepts an absolute http(s) URL with a host, no user info,
// and no spaces, control characters or backslashes. The links built from
// it are checked again, per recorder, by recorders.SessionLink.
func replayURLOK(raw string) bool {
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' || r == utf8.RuneError }) {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && u.Opaque == ""
}

// The writer's statement for recordings, prepared with batchSQL.
const insertRecordingSQL = `/* Ingester.write */ insert into recordings (experiment_id, variant_key, visitor, recorder,
	session, replay, session_key, url, bot, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	on conflict (experiment_id, visitor, recorder, session_key) do nothing`

// fillReplaySQL gives a stored recording that has no replay URL the one
// of a later report of its session (batch.record).
const fillReplaySQL = `/* Ingester.write */ update recordings set replay = ?
	where experiment_id = ? and visitor = ? and recorder = ? and session_key = ? and replay = ''`

// recordingStmts are the prepared insert and replay fill on the writer
// connection.
type recordingStmts struct{ insert, fill *sql.Stmt }

func (st *recordingStmts) prepare(db *sql.DB) error {
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{{&st.insert, insertRecordingSQL}, {&st.fill, fillReplaySQL}} {
		s, err := db.Prepare(p.q)
		if err != nil {
			st.close()
			return fmt.Errorf("experiments: ingest: prepare: %w", err)
		}
		*p.dst = s
	}
	return nil
}

func (st *recordingStmts) close() error {
	var errs []error
	for _, s := range []**sql.Stmt{&st.insert, &st.fill} {
		if *s != nil {
			errs = append(errs, (*s).Close())
			*s = nil
		}
	}
	return errors.Join(errs...)
}

// recordingBatch is what one transaction uses of recordingStmts: the
// insert, bound at once, and the fill, bound the first time a repeat
// needs it (most batches have none).
type recordingBatch struct {
	st           *recordingStmts
	tx           *sql.Tx
	insert, fill *sql.Stmt
}

// bind returns the statements for one transaction.
func (st *recordingStmts) bind(tx *sql.Tx) recordingBatch {
	return recordingBatch{st: st, tx: tx, insert: tx.Stmt(st.insert)}
}

// fillStmt is the replay fill, bound to the transaction on first use.
func (rb *recordingBatch) fillStmt() *sql.Stmt {
	if rb.fill == nil {
		rb.fill = rb.tx.Stmt(rb.st.fill)
	}
	return rb.fill
}

// record stores a "recording" event, once per (experiment, visitor,
// recorder, session): a repeat counts as a duplicate, and the first
// report's row stands, except that a row without a replay URL takes the
// repeat's (the first report's URL was dropped, or its recorder had none
// yet). A bot's recording is stored flagged (the request said bot, or its
// user agent is a bot's).
func (b *batch) record(r *request, e *event, res *IngestResult) error {
	rec := e.rec
	if rec.dropped != "" {
		res.ReplaysDropped = append(res.ReplaysDropped, rec.dropped)
	}
	if rec.sessionDropped != "" {
		res.SessionsDropped = append(res.SessionsDropped, rec.sessionDropped)
	}
	out, err := b.recording.insert.ExecContext(b.ctx, e.experiment, e.variant, r.visitor, rec.recorder, rec.session, rec.replay,
		rec.key, e.url, r.bot || r.uaBot, r.at)
	if err != nil {
		return fmt.Errorf("experiments: ingest: insert recording: %w", err)
	}
	n, err := out.RowsAffected()
	if err != nil {
		return fmt.Errorf("experiments: ingest: insert recording: %w", err)
	}
	if n > 0 {
		res.Stored++
		return nil
	}
	res.Duplicates++
	if rec.replay != "" {
		// A separate statement, not an upsert: an upsert's update is a
		// change like an insert, and nothing tells the two apart to count
		// them. It runs for the repeats that carry a URL (PostHog's, from
		// a session's second page view on), so it is prepared: about 2 µs
		// here, against 6 µs unprepared.
		if _, err := b.recording.fillStmt().ExecContext(b.ctx, rec.replay, e.experiment, r.visitor, rec.recorder, rec.key); err != nil {
			return fmt.Errorf("experiments: ingest: fill recording replay: %w", err)
		}
	}
	return nil
}

// SiteRecorders returns a site's recorder setup (the zero Settings when it
// has none).
func (s *Store) SiteRecorders(ctx context.Context, siteID string) (recorders.Settings, error) {
	var stored string
	err := s.r.QueryRowContext(ctx, `/* Store.SiteRecorders */ select recorders from sites where id = ?`, siteID).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return recorders.Settings{}, fmt.Errorf("experiments: site recorders %s: %w", siteID, err)
	}
	set, err := recorders.Parse(stored)
	if err != nil {
		return recorders.Settings{}, fmt.Errorf("experiments: site recorders %s: %w", siteID, err)
	}
	return set, nil
}

// UpdateSiteRecorders cleans, validates and saves a site's recorder setup,
// and returns it as saved. Invalid settings are a ValidationError whose
// fields are the settings' JSON paths ("posthog.host", "custom").
func (s *Store) UpdateSiteRecorders(ctx context.Context, siteID string, set recorders.Settings) (recorders.Settings, error) {
	set = set.Clean()
	if errs := set.Validate(); len(errs) > 0 {
		v := make(ValidationError, len(errs))
		for i, fe := range errs {
			v[i] = FieldError{Field: fe.Field, Code: fe.Code, Message: fe.Message}
		}
		return recorders.Settings{}, v
	}
	stored := ""
	if set != (recorders.Settings{}) {
		j, err := json.Marshal(set)
		if err != nil {
			return recorders.Settings{}, fmt.Errorf("experiments: update site recorders: %w", err)
		}
		stored = string(j)
	}
	res, err := s.w.ExecContext(ctx, `/* Store.UpdateSiteRecorders */ update sites set recorders = ? where id = ?`, stored, siteID)
	if err != nil {
		return recorders.Settings{}, fmt.Errorf("experiments: update site recorders: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return recorders.Settings{}, fmt.Errorf("experiments: update site recorders %s: %w", siteID, ErrNotFound)
	}
	return set, nil
}

// RecordingQuery selects recorded sessions of an experiment, newest first.
type RecordingQuery struct {
	Experiment string
	// Variant keeps one variant's sessions; "" keeps every variant's.
	Variant string
	// Recorders keeps the sessions of these recorders only (those the site
	// uses now); with none, nothing is found.
	Recorders []string
	// Converted keeps converted visitors (true) or the others (false);
	// nil keeps both. A visitor converted when their conversion counted.
	Converted *bool
	// Segment keeps the visitors whose first exposure had these values,
	// by dimension (DimCountry, DimDevice, DimBrowser, DimReferrer,
	// DimUTMSource); "" is the unknown value.
	Segment map[string]string
	// Before keeps the sessions with a Seq below it: the next page after
	// one that ended with it. 0 starts at the newest.
	Before int64
	// Limit is the page size (default 20, at most 500).
	Limit int
	// ByVisitor lists visitors rather than recordings: one Recording per
	// visitor, their newest that q selects, with the visitor's other
	// recordings of the recorders in Also. A visitor recorded by two
	// recorders (PostHog and a custom one) is then one entry with a link
	// for each, not two that read as two people; Limit and Before count
	// and page visitors, by their newest recording.
	ByVisitor bool
}

// Recording is one recorded session of a visitor of a variant, with what
// the results know of the visitor.
type Recording struct {
	Seq                          int64
	Experiment, Variant, Visitor string
	Recorder, Session, Replay    string // as the snippet sent them: outside input
	URL                          string // the page of the session
	At                           time.Time
	// Converted is true when the visitor's conversion counted in results.
	Converted bool
	// The visitor's segment: their first exposure's values ("" unknown,
	// or no exposure counted yet).
	Country, Device, Browser, Referrer, UTMSource string
	// Also are the visitor's other recordings, newest first, when the
	// query lists visitors (RecordingQuery.ByVisitor): other recorders'
	// and earlier sessions. Each has the visitor's fields of this one.
	Also []Recording
}

// segmentColumns are the events columns of the segment dimensions.
var segmentColumns = map[string]string{
	DimCountry: "country", DimDevice: "device", DimBrowser: "browser", DimReferrer: "ref_domain", DimUTMSource: "utm_source",
}

// recordingFrom is what the listing and the counts share: the sessions of
// the site's recorders whose visitors the results count (state 0), in the
// variant they are counted in, with their first exposure. Left out: bots
// (flagged when stored, or since), visitors moved out for seeing a second
// variant, visitors never counted (their exposures came while the test
// was paused, say), and a recording that names another variant than the
// visitor's: the list shows the sessions behind each variant's numbers.
const recordingFrom = ` from recordings r
	join experiment_visitors v on v.experiment_id = r.experiment_id and v.visitor = r.visitor and v.variant = r.variant_key
	left join events e on e.seq = v.first_seq
	where r.experiment_id = ? and r.bot = 0 and v.state = 0`

// recordingConverted is 1 when the visitor's conversion counted.
const recordingConverted = `(v.converted_at is not null)`

// Recordings returns the recorded sessions q selects, newest first.
func (s *Store) Recordings(ctx context.Context, q RecordingQuery) ([]Recording, error) {
	if len(q.Recorders) == 0 {
		return nil, nil
	}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 500)
	var b strings.Builder
	b.WriteString(`/* Store.Recordings */ select r.seq, r.variant_key, r.visitor, r.recorder, r.session, r.replay, r.url, r.created_at, ` +
		recordingConverted + `, coalesce(e.country, ''), coalesce(e.device, ''), coalesce(e.browser, ''),
		coalesce(e.ref_domain, ''), coalesce(e.utm_source, '')` + recordingFrom)
	args := []any{q.Experiment}
	in := ` in (?` + strings.Repeat(", ?", len(q.Recorders)-1) + `)`
	b.WriteString(` and r.recorder` + in)
	for _, name := range q.Recorders {
		args = append(args, name)
	}
	if q.ByVisitor {
		// Each visitor once, at their newest recording: a later one of
		// the same visitor and variant, by a listed recorder, passes it
		// over. The visitor's filters (converted, segment) are theirs, so
		// they keep or drop all of a visitor's recordings alike.
		b.WriteString(` and not exists (select 1 from recordings n where n.experiment_id = r.experiment_id and n.visitor = r.visitor
			and n.variant_key = r.variant_key and n.bot = 0 and n.seq > r.seq and n.recorder` + in + `)`)
		for _, name := range q.Recorders {
			args = append(args, name)
		}
	}
	if q.Variant != "" {
		b.WriteString(` and r.variant_key = ?`)
		args = append(args, q.Variant)
	}
	if q.Before > 0 {
		b.WriteString(` and r.seq < ?`)
		args = append(args, q.Before)
	}
	if q.Converted != nil {
		b.WriteString(` and ` + recordingConverted + ` = ?`)
		args = append(args, *q.Converted)
	}
	for _, dim := range SegmentDimensions { // a fixed order: the same SQL for the same filters
		value, ok := q.Segment[dim]
		if !ok {
			continue
		}
		b.WriteString(` and coalesce(e.` + segmentColumns[dim] + `, '') = ?`)
		args = append(args, value)
	}
	b.WriteString(` order by r.seq desc limit ?`)
	args = append(args, q.Limit)

	rows, err := s.r.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
	}
	defer rows.Close()
	var out []Recording
	for rows.Next() {
		rec := Recording{Experiment: q.Experiment}
		var at int64
		if err := rows.Scan(&rec.Seq, &rec.Variant, &rec.Visitor, &rec.Recorder, &rec.Session, &rec.Replay, &rec.URL, &at,
			&rec.Converted, &rec.Country, &rec.Device, &rec.Browser, &rec.Referrer, &rec.UTMSource); err != nil {
			return nil, fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
		}
		rec.At = time.UnixMilli(at)
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
	}
	rows.Close()
	if q.ByVisitor && len(out) > 0 {
		if err := s.addOtherRecordings(ctx, q, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addOtherRecordings fills Also of each visitor's entry in list (their
// newest recording, from Recordings with ByVisitor) with the visitor's
// other recordings of q's recorders in the same variant, newest first.
func (s *Store) addOtherRecordings(ctx context.Context, q RecordingQuery, list []Recording) error {
	at := make(map[string]int, len(list)) // visitor → index in list
	args := []any{q.Experiment}
	for i, r := range list {
		at[r.Visitor] = i
		args = append(args, r.Visitor)
	}
	for _, name := range q.Recorders {
		args = append(args, name)
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.Recordings */ select r.seq, r.variant_key, r.visitor, r.recorder, r.session, r.replay, r.url, r.created_at
		from recordings r where r.experiment_id = ? and r.bot = 0
		and r.visitor in (?`+strings.Repeat(", ?", len(list)-1)+`)
		and r.recorder in (?`+strings.Repeat(", ?", len(q.Recorders)-1)+`)
		order by r.seq desc`, args...)
	if err != nil {
		return fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Recording
		var at64 int64
		if err := rows.Scan(&o.Seq, &o.Variant, &o.Visitor, &o.Recorder, &o.Session, &o.Replay, &o.URL, &at64); err != nil {
			return fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
		}
		top := &list[at[o.Visitor]]
		if o.Seq == top.Seq || o.Variant != top.Variant {
			continue // the entry itself, or a variant not the visitor's
		}
		o.Experiment, o.At, o.Converted = q.Experiment, time.UnixMilli(at64), top.Converted
		o.Country, o.Device, o.Browser, o.Referrer, o.UTMSource = top.Country, top.Device, top.Browser, top.Referrer, top.UTMSource
		top.Also = append(top.Also, o)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("experiments: recordings %s: %w", q.Experiment, err)
	}
	return nil
}

// RecordingCount is how much of a variant the recorders recorded: its
// visitors with a recording, and their recordings, several for a visitor
// recorded by two recorders or in two sessions.
type RecordingCount struct {
	Visitors, Recordings int64
}

// RecordingTallies returns, by variant key, how many visitors the
// recorders recorded and how many recordings they have (bots left out).
func (s *Store) RecordingTallies(ctx context.Context, experimentID string, names []string) (map[string]RecordingCount, error) {
	out := map[string]RecordingCount{}
	if len(names) == 0 {
		return out, nil
	}
	args := []any{experimentID}
	for _, n := range names {
		args = append(args, n)
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.RecordingTallies */ select r.variant_key, count(distinct r.visitor), count(*)`+recordingFrom+
		` and r.recorder in (?`+strings.Repeat(", ?", len(names)-1)+`) group by r.variant_key`, args...)
	if err != nil {
		return nil, fmt.Errorf("experiments: recording counts %s: %w", experimentID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var c RecordingCount
		if err := rows.Scan(&key, &c.Visitors, &c.Recordings); err != nil {
			return nil, fmt.Errorf("experiments: recording counts %s: %w", experimentID, err)
		}
		out[key] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: recording counts %s: %w", experimentID, err)
	}
	return out, nil
}

// RecordingCounts returns how many visitors of each variant the recorders
// recorded (bots left out), by variant key: people, not recordings, so
// that a visitor recorded by two recorders, or on two visits, counts
// once (RecordingTallies has both).
func (s *Store) RecordingCounts(ctx context.Context, experimentID string, names []string) (map[string]int64, error) {
	tallies, err := s.RecordingTallies(ctx, experimentID, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(tallies))
	for key, c := range tallies {
		out[key] = c.Visitors
	}
	return out, nil
}

// RecorderNamesOf returns the recorders whose recordings a site's settings
// can link to: every recorder set up, and "custom" whenever there is a
// template (Settings.Names leaves out a template without {session_id},
// which needs no snippet code; its links still work per session).
func RecorderNamesOf(set recorders.Settings) []string {
	names := set.Names()
	if set.Custom != "" && !slices.Contains(names, recorders.CustomName) {
		names = append(names, recorders.CustomName)
	}
	return names
}
