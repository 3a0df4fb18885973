package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SiteKeyLength is the length of a site's public key.
const SiteKeyLength = 16

const siteCols = `id, key, name, domain, brand_voice, hide_timeout_ms, honor_gpc, webhook_url, created_at`

func scanSite(row interface{ Scan(...any) error }) (Site, error) {
	var s Site
	var created sql.NullInt64
	err := row.Scan(&s.ID, &s.Key, &s.Name, &s.Domain, &s.BrandVoice, &s.HideTimeoutMS, &s.HonorGPC, &s.WebhookURL, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, ErrNotFound
	}
	s.CreatedAt = fromMS(created)
	return s, err
}

// CreateSite validates and stores a new site, giving it an id and a key.
func (s *Store) CreateSite(ctx context.Context, in Site) (Site, error) {
	in = in.Normalize()
	if errs := in.Validate(); len(errs) > 0 {
		return Site{}, errs
	}
	in.ID, in.Key, in.CreatedAt = NewID(), RandomToken(SiteKeyLength), s.now()
	in.WebhookURL = "" // set with SetSiteWebhook
	_, err := s.w.ExecContext(ctx, `/* Store.CreateSite */ insert into sites (`+siteCols+`) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Key, in.Name, in.Domain, in.BrandVoice, in.HideTimeoutMS, in.HonorGPC, in.WebhookURL, ms(in.CreatedAt))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: create site: %w", err)
	}
	return in, nil
}

// SetBrandVoice saves a site's brand voice notes alone, trimmed: the
// drafting page saves them with a brief, and a teammate's edit of the
// site's other settings meanwhile is kept. Notes too long are a
// ValidationError on brand_voice.
func (s *Store) SetBrandVoice(ctx context.Context, siteID, voice string) error {
	voice = Site{BrandVoice: voice}.Normalize().BrandVoice
	if utf8.RuneCountInString(voice) > maxBrandVoice {
		return ValidationError{{Field: "brand_voice", Code: "too_long", Message: brandVoiceTooLong}}
	}
	res, err := s.w.ExecContext(ctx, `/* Store.SetBrandVoice */ update sites set brand_voice = ? where id = ?`, voice, siteID)
	if err != nil {
		return fmt.Errorf("experiments: set brand voice: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("experiments: set brand voice %s: %w", siteID, ErrNotFound)
	}
	return nil
}

// UpdateSite saves a site's editable settings (name, domain, brand voice,
// hide timeout, Global Privacy Control) as in has them: PatchSite with
// all of them.
func (s *Store) UpdateSite(ctx context.Context, in Site) (Site, error) {
	return s.PatchSite(ctx, in.ID, func(site *Site) error {
		site.Name, site.Domain, site.BrandVoice, site.HideTimeoutMS, site.HonorGPC = in.Name, in.Domain, in.BrandVoice, in.HideTimeoutMS, in.HonorGPC
		return nil
	})
}

// PatchSite changes a site's editable settings as patch says, reading the
// site and writing it back in one write transaction, so that an edit of
// its other fields made meanwhile (a rename through the API, the brand
// voice saved with a brief) is kept: patch gets the site as it is now,
// and changes only what its caller changes. An error patch returns is
// returned wrapped, a ValidationError as it is. patch must not write through the Store:
// the transaction holds its one writer connection. Only the name, domain,
// brand voice, hide timeout and Global Privacy Control are written.
//
// A domain given back as the site has it, as stored or as UnicodeDomain
// shows it, is kept as stored, neither read again nor checked again:
// SiteDomain would drop the port of a bare shop.example:80, which was
// kept because it came as https://shop.example:80, and saving the
// settings form must not change the domain, nor fail on one stored
// before today's rules. Any other domain is SiteDomain's, and checked.
func (s *Store) PatchSite(ctx context.Context, id string, patch func(*Site) error) (Site, error) {
	var out Site
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanSite(tx.QueryRowContext(ctx, `/* Store.PatchSite */ select `+siteCols+` from sites where id = ?`, id))
		if err != nil {
			return err
		}
		in := cur
		if err := patch(&in); err != nil {
			return err
		}
		typed := strings.TrimSpace(in.Domain)
		keep := typed == cur.Domain || typed == UnicodeDomain(cur.Domain)
		in = in.Normalize()
		if keep {
			in.Domain = cur.Domain
		}
		if errs := in.Validate(); len(errs) > 0 {
			if keep {
				errs = slices.DeleteFunc(errs, func(f FieldError) bool { return f.Field == "domain" })
			}
			if len(errs) > 0 {
				return errs
			}
		}
		_, err = tx.ExecContext(ctx, `/* Store.PatchSite */ update sites set name = ?, domain = ?, brand_voice = ?, hide_timeout_ms = ?, honor_gpc = ? where id = ?`,
			in.Name, in.Domain, in.BrandVoice, in.HideTimeoutMS, in.HonorGPC, id)
		// The other columns are as read, under the same lock.
		in.ID, in.Key, in.WebhookURL, in.CreatedAt = cur.ID, cur.Key, cur.WebhookURL, cur.CreatedAt
		out = in
		return err
	})
	var verr ValidationError
	switch {
	case errors.As(err, &verr):
		return Site{}, verr // as CreateSite returns it
	case err != nil:
		return Site{}, fmt.Errorf("experiments: update site %s: %w", id, err)
	}
	return out, nil
}

// MaxWebhookURLLen bounds a site's webhook URL, in bytes: a URL is sent
// as bytes, a character outside ASCII as its UTF-8 bytes.
const MaxWebhookURLLen = 2000

// CheckWebhookURL says what is wrong with rawURL as a site's webhook, or
// nil: it must be a full https URL without a user name or password, under
// MaxWebhookURLLen; "" (no webhook) is fine. plainHTTP lets http:// in as
// well: whoever runs copylab allows it along with private addresses
// (--webhook-allow-private), for a receiver on the internal network, which
// often has no certificate. Otherwise a webhook URL is a secret (Slack's
// and Discord's are bearer tokens) and its messages name tests and their
// results, so over plain http both could be read on the way. Every path
// that saves a webhook asks this with the server's setting before
// SetSiteWebhook.
func CheckWebhookURL(rawURL string, plainHTTP bool) ValidationError {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil
	}
	u, err := url.Parse(rawURL)
	switch {
	case len(rawURL) > MaxWebhookURLLen:
		return ValidationError{{Field: "webhook_url", Code: "too_long", Message: fmt.Sprintf("Keep the URL to at most %d bytes (this is %d: letters such as é or 日 take 2 to 4 bytes each).", MaxWebhookURLLen, len(rawURL))}}
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return ValidationError{{Field: "webhook_url", Code: "invalid_url", Message: "Enter the full webhook URL, starting with https://."}}
	case u.User != nil:
		return ValidationError{{Field: "webhook_url", Code: "invalid_url", Message: "Leave the user name and password out of the URL."}}
	case u.Scheme == "http" && !plainHTTP:
		return ValidationError{{Field: "webhook_url", Code: "https_required",
			Message: "Webhook messages carry a secret URL and your results: use an https:// address."}}
	}
	return nil
}

// SetSiteWebhook sets (or, with "", removes) the URL a site's verdicts
// are announced at. It must be an http or https URL without a user name
// or password (CheckWebhookURL with plainHTTP): whether http:// is
// allowed is a setting of the server, which the caller checks first, as
// is which addresses copylab may connect to (the sender refuses
// link-local and metadata addresses).
func (s *Store) SetSiteWebhook(ctx context.Context, id, rawURL string) (Site, error) {
	rawURL = strings.TrimSpace(rawURL)
	if errs := CheckWebhookURL(rawURL, true); errs != nil {
		return Site{}, errs
	}
	res, err := s.w.ExecContext(ctx, `/* Store.SetSiteWebhook */ update sites set webhook_url = ? where id = ?`, rawURL, id)
	if err != nil {
		return Site{}, fmt.Errorf("experiments: set webhook of site %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Site{}, fmt.Errorf("experiments: set webhook of site %s: %w", id, ErrNotFound)
	}
	return s.Site(ctx, id)
}

// Notified returns the messages already announced about an experiment,
// by the status they were recorded as (RecordNotification), with when
// each went out.
func (s *Store) Notified(ctx context.Context, expID string) (map[string]time.Time, error) {
	return s.statusTimes(ctx, `/* Store.Notified */ select status, sent_at from experiment_notifications where experiment_id = ?`,
		expID, "notifications")
}

// statusTimes reads an experiment's (status, Unix ms) rows of a
// notifications table into a map; what names the table in errors.
func (s *Store) statusTimes(ctx context.Context, query, expID, what string) (map[string]time.Time, error) {
	rows, err := s.r.QueryContext(ctx, query, expID)
	if err != nil {
		return nil, fmt.Errorf("experiments: %s of %s: %w", what, expID, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var st string
		var at int64
		if err := rows.Scan(&st, &at); err != nil {
			return nil, fmt.Errorf("experiments: %s of %s: %w", what, expID, err)
		}
		out[st] = time.UnixMilli(at)
	}
	return out, rows.Err()
}

// RecordNotification notes that the message about an experiment recorded
// as status went out under the headline title (again: a no-op). The
// status alone does not give the headline: an answer called only as
// probable, or another variant's win, is recorded as the plain answer.
func (s *Store) RecordNotification(ctx context.Context, expID, status, title string, at time.Time) error {
	_, err := s.w.ExecContext(ctx, `/* Store.RecordNotification */ insert into experiment_notifications (experiment_id, status, title, sent_at)
		values (?, ?, ?, ?) on conflict do nothing`, expID, status, title, ms(at))
	if err != nil {
		return fmt.Errorf("experiments: record notification of %s: %w", expID, err)
	}
	return nil
}

// RenameNotification records as to the message about an experiment
// recorded as from, keeping when it went out, in place of any message
// recorded as to; a no-op when none is recorded as from.
func (s *Store) RenameNotification(ctx context.Context, expID, from, to string) error {
	_, err := s.w.ExecContext(ctx, `/* Store.RenameNotification */ update or replace experiment_notifications set status = ?
		where experiment_id = ? and status = ?`, to, expID, from)
	if err != nil {
		return fmt.Errorf("experiments: rename notification %s of %s: %w", from, expID, err)
	}
	return nil
}

// Notification is one announced verdict or warning of a site's experiment.
type Notification struct {
	ExperimentID   string
	ExperimentName string
	Status         string
	Title          string // the headline it went out under; "" for one recorded before copylab kept it
	SentAt         time.Time
}

// SiteNotifications returns the latest announcements of a site's
// experiments, newest first, at most limit.
func (s *Store) SiteNotifications(ctx context.Context, siteID string, limit int) ([]Notification, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.SiteNotifications */ select n.experiment_id, e.name, n.status, n.title, n.sent_at
		from experiment_notifications n join experiments e on e.id = n.experiment_id
		where e.site_id = ? order by n.sent_at desc limit ?`, siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("experiments: notifications of site %s: %w", siteID, err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var at int64
		if err := rows.Scan(&n.ExperimentID, &n.ExperimentName, &n.Status, &n.Title, &at); err != nil {
			return nil, fmt.Errorf("experiments: notifications of site %s: %w", siteID, err)
		}
		n.SentAt = time.UnixMilli(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Site returns the site with the given id.
func (s *Store) Site(ctx context.Context, id string) (Site, error) {
	site, err := scanSite(s.r.QueryRowContext(ctx, `/* Store.Site */ select `+siteCols+` from sites where id = ?`, id))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: site %s: %w", id, err)
	}
	return site, nil
}

// SiteByKey returns the site with the given public key.
func (s *Store) SiteByKey(ctx context.Context, key string) (Site, error) {
	site, err := scanSite(s.r.QueryRowContext(ctx, `/* Store.SiteByKey */ select `+siteCols+` from sites where key = ?`, key))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: site by key: %w", err)
	}
	return site, nil
}

// Sites returns every site, by name.
func (s *Store) Sites(ctx context.Context) ([]Site, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.Sites */ select `+siteCols+` from sites order by name collate nocase, created_at`)
	if err != nil {
		return nil, fmt.Errorf("experiments: sites: %w", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: sites: %w", err)
		}
		out = append(out, site)
	}
	return out, rows.Err()
}

// SitesOnDomain returns the sites other than exceptID whose domain is
// domain, as stored (host and port), oldest first. Sites on one origin
// share the tag's storage in the browser, so the events one site's tag
// queued can go out with the other's key and be lost (README, Known
// limits): adding or moving a site there is warned of.
func (s *Store) SitesOnDomain(ctx context.Context, domain, exceptID string) ([]Site, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.SitesOnDomain */ select `+siteCols+` from sites
		where domain = ? and id <> ? order by created_at, id`, domain, exceptID)
	if err != nil {
		return nil, fmt.Errorf("experiments: sites on %s: %w", domain, err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: sites on %s: %w", domain, err)
		}
		out = append(out, site)
	}
	return out, rows.Err()
}

// SiteCounts is how many experiments a site has, and how many of them run.
type SiteCounts struct {
	Total, Running int
}

// SiteCounts counts every site's experiments, and the running ones, in one
// query that reads an index (experiments_site_status) and no experiment's
// row: the sites list. A site without experiments is not in the map.
func (s *Store) SiteCounts(ctx context.Context) (map[string]SiteCounts, error) {
	rows, err := s.r.QueryContext(ctx, siteCountsStmt, StatusRunning)
	if err != nil {
		return nil, fmt.Errorf("experiments: site counts: %w", err)
	}
	defer rows.Close()
	out := map[string]SiteCounts{}
	for rows.Next() {
		var id string
		var c SiteCounts
		if err := rows.Scan(&id, &c.Total, &c.Running); err != nil {
			return nil, fmt.Errorf("experiments: site counts: %w", err)
		}
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: site counts: %w", err)
	}
	return out, nil
}

const siteCountsStmt = `/* Store.SiteCounts */ select site_id, count(*), coalesce(sum(status = ?), 0) from experiments group by site_id`

// SiteExperimentNames returns the names of the newest limit of a site's
// experiments in a status, newest first, reading only those experiments:
// the running ones a site's page names before it can be deleted.
func (s *Store) SiteExperimentNames(ctx context.Context, siteID string, st Status, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, siteExperimentNamesStmt, siteID, st, limit)
	if err != nil {
		return nil, fmt.Errorf("experiments: %s experiments of site %s: %w", st, siteID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("experiments: %s experiments of site %s: %w", st, siteID, err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: %s experiments of site %s: %w", st, siteID, err)
	}
	return out, nil
}

const siteExperimentNamesStmt = `/* Store.SiteExperimentNames */ select name from experiments where site_id = ? and status = ?
	order by created_at desc, id desc limit ?`

// SiteExperimentWithVariants returns the newest experiment of a site that
// has a variant besides the original, and its page, element and goal
// (Complete: a preview link needs them), with its variants; ok is false
// when none has. SQLite walks the site's experiments newest first and
// stops at the first such one, which is the newest one itself unless the
// newest are drafts with only the original or still unfinished: the
// example preview link of a site's page.
func (s *Store) SiteExperimentWithVariants(ctx context.Context, siteID string) (e Experiment, ok bool, err error) {
	e, err = scanExperiment(s.r.QueryRowContext(ctx, siteExperimentWithVariantsStmt, siteID))
	if errors.Is(err, ErrNotFound) {
		return Experiment{}, false, nil
	}
	if err != nil {
		return Experiment{}, false, fmt.Errorf("experiments: experiment with variants of site %s: %w", siteID, err)
	}
	exps := []Experiment{e}
	if err := s.withVariants(ctx, exps); err != nil {
		return Experiment{}, false, err
	}
	return exps[0], true, nil
}

const siteExperimentWithVariantsStmt = `/* Store.SiteExperimentWithVariants */ select ` + experimentCols + ` from experiments
	where site_id = ? and page <> '' and selector <> '' and goal_value <> ''
	and (select count(*) from variants v where v.experiment_id = experiments.id) > 1
	order by created_at desc, id desc limit 1`

// DeleteSite removes a site with its experiments (their variants, events,
// counts, history and recordings), its recorder settings and webhook, and
// returns how many experiments and events went. A site with a running
// experiment is refused (site_running), naming them: stop them first.
//
// Like DeleteExperiment, it never holds the database's single writer for
// long, so that events for other sites keep being written meanwhile: the
// rows that grow with traffic (events, per-visitor rows, recordings,
// segments) go first, deleteChunk at a time across all the site's
// experiments, then the experiments siteDeleteExpChunk at a time with the
// small tables that cascade from them, then the site; each statement is
// its own transaction. The statements find the experiments by site in SQL,
// so nothing reads them, however many the site has. The site's paused
// experiments are stopped first (stopPausedToDelete), so that none can be
// resumed with part of its rows gone; a draft may still be started. Every
// step leaves a running experiment alone, and the last one, in one
// transaction with the site's delete, refuses again should one have been
// started in the meantime: a running test is never deleted. Should the process stop half
// way, the site is still there and deleting it again finishes the job.
func (s *Store) DeleteSite(ctx context.Context, id string) (exps int, events int64, err error) {
	defer func() {
		var se *StateError
		if err != nil && !errors.As(err, &se) {
			err = fmt.Errorf("experiments: delete site %s: %w", id, err)
		}
	}()
	if _, err := s.Site(ctx, id); err != nil {
		return 0, 0, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := refuseRunning(ctx, tx, id); err != nil {
			return err
		}
		return stopPausedToDelete(ctx, tx, s.now(), "site_id = ?", id)
	})
	if err != nil {
		return 0, 0, err
	}
	for i, q := range siteDeleteRowsStmts {
		n, err := s.deleteChunks(ctx, id, q, deleteChunk)
		if i == 0 {
			events = n
		}
		if err != nil {
			return 0, events, err
		}
	}
	n, err := s.deleteChunks(ctx, id, siteDeleteExperimentsStmt, siteDeleteExpChunk)
	exps = int(n)
	if err != nil {
		return exps, events, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := refuseRunning(ctx, tx, id); err != nil {
			return err
		}
		// Experiments created since the chunks ran go with the site.
		var late int
		if err := tx.QueryRowContext(ctx, `/* Store.DeleteSite */ select count(*) from experiments where site_id = ?`, id).Scan(&late); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `/* Store.DeleteSite */ delete from sites where id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		exps += late
		return nil
	})
	return exps, events, err
}

// refuseRunning returns site_running, naming the site's running
// experiments (all of them, newest first), when it has any.
func refuseRunning(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, id string) error {
	rows, err := q.QueryContext(ctx, siteExperimentNamesStmt, id, StatusRunning, -1)
	if err != nil {
		return err
	}
	defer rows.Close()
	var running []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		running = append(running, "“"+name+"”")
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(running) > 0 {
		return stateErr("site_running", "Stop the site's running experiments before you delete it: "+strings.Join(running, ", ")+".")
	}
	return nil
}

// siteDeleteExpChunk is how many experiments one statement of DeleteSite
// removes, with the rows that cascade from them once their events,
// visitors, recordings and segments are gone: variants, counts per
// variant and day, history, notifications.
const siteDeleteExpChunk = 50

// siteDeleteExperimentsStmt deletes at most ?2 of the experiments of site
// ?1 that are not running, reading the site's experiments by an index.
const siteDeleteExperimentsStmt = `/* Store.DeleteSite */ delete from experiments where id in
	(select id from experiments where site_id = ?1 and status <> 'running' limit ?2)`

// siteDeleteRowsStmts are the rows that grow with traffic, deleted before
// the experiments, across all the site's experiments that are not
// running; the events first.
var siteDeleteRowsStmts = trafficDeleteStmts("Store.DeleteSite", "x.site_id = ?1")

// Which of a site's events SiteLastEvent and SiteLastEvents read. Event
// ids are time-ordered UUIDs (v7) chosen by the sender, so the site's
// highest ids are its newest events, read from the end of its part of
// events_site_event without a sort; the sender's clock may be off,
// though, and a backend may send random UUIDs (v4), whose ids mean no
// time at all. So the ids considered end a day after now (a random id
// lands below that, among the newest, about never), and of the newest
// lastEventScan of them by id the latest received counts: a browser with
// a slow clock cannot hide the events that came after its own.
const (
	lastEventScan  = 20
	lastEventAhead = 24 * time.Hour
)

// lastEventBound is the lowest event id past the ids SiteLastEvent
// considers at now: a UUIDv7's first 48 bits are its Unix milliseconds.
func lastEventBound(now time.Time) []byte {
	b := make([]byte, 16)
	ms := now.Add(lastEventAhead).UnixMilli()
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	return b
}

// SiteLastEvent returns when the newest event of a site was received
// (the server's clock), as of now; ok is false when it has none. Bots'
// events and those not counted are events too: the tag sent them.
func (s *Store) SiteLastEvent(ctx context.Context, siteID string, now time.Time) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	if err := s.r.QueryRowContext(ctx, siteLastEventStmt, siteID, lastEventBound(now), lastEventScan).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("experiments: last event of site %s: %w", siteID, err)
	}
	return fromMS(v), v.Valid, nil
}

const siteLastEventStmt = `/* Store.SiteLastEvent */ select max(received_at) from (select received_at from events
	where site_id = ? and id < ? order by id desc limit ?)`

// SiteLastEvents is SiteLastEvent for every site in one query: the sites
// list. A site without events is not in the map.
func (s *Store) SiteLastEvents(ctx context.Context, now time.Time) (map[string]time.Time, error) {
	rows, err := s.r.QueryContext(ctx, siteLastEventsStmt, lastEventBound(now), lastEventScan)
	if err != nil {
		return nil, fmt.Errorf("experiments: last events of sites: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var v sql.NullInt64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("experiments: last events of sites: %w", err)
		}
		if v.Valid {
			out[id] = fromMS(v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: last events of sites: %w", err)
	}
	return out, nil
}

const siteLastEventsStmt = `/* Store.SiteLastEvents */ select s.id, (select max(received_at) from (select received_at from events
	where site_id = s.id and id < ?1 order by id desc limit ?2)) from sites s`

// SiteTag is what copylab has seen of a site's tag being fetched, for the
// site page's tag status: its last load, and the page origins it was
// loaded on lately, each with its own last load, newest first. The app
// counts loads in memory and keeps them here across restarts
// (SaveSiteTags, SiteTags).
type SiteTag struct {
	Key    string    // the site's key, as the tag's URL has it
	Loaded time.Time // the last load, whatever its page
	Pages  []SiteTagPage
}

// SiteTagPage is a page origin (https://shop.example) a site's tag was
// loaded on, and when last.
type SiteTagPage struct {
	Origin string
	At     time.Time
}

// siteTagSince is the migration that began keeping the tags' loads.
const siteTagSince = 20

// SiteTags returns every site's stored tag record, and since: when
// copylab began keeping them, the time migration 0020 was applied (the
// database's creation, or the upgrade that brought it). A site added
// before then may have loaded its tag unseen.
func (s *Store) SiteTags(ctx context.Context) (tags []SiteTag, since time.Time, err error) {
	var applied int64
	err = s.r.QueryRowContext(ctx, `/* Store.SiteTags */ select applied_at from schema_migrations where version = ?`, siteTagSince).Scan(&applied)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("experiments: site tags: since: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.SiteTags */ select s.key, t.origin, t.loaded_at from site_tag_seen t
		join sites s on s.id = t.site_id order by s.key, t.loaded_at desc, t.origin`)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("experiments: site tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, origin string
		var at int64
		if err := rows.Scan(&key, &origin, &at); err != nil {
			return nil, time.Time{}, fmt.Errorf("experiments: site tags: %w", err)
		}
		if len(tags) == 0 || tags[len(tags)-1].Key != key {
			tags = append(tags, SiteTag{Key: key})
		}
		t := &tags[len(tags)-1]
		if origin == "" {
			t.Loaded = time.UnixMilli(at)
		} else {
			t.Pages = append(t.Pages, SiteTagPage{Origin: origin, At: time.UnixMilli(at)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("experiments: site tags: %w", err)
	}
	return tags, time.UnixMilli(applied), nil
}

// SaveSiteTags stores sites' tag records, each in place of what was
// stored of its site, in one transaction. A key no site has any more (a
// site deleted since its tag loaded) is skipped.
func (s *Store) SaveSiteTags(ctx context.Context, tags []SiteTag) error {
	if len(tags) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		site, err := tx.PrepareContext(ctx, `/* Store.SaveSiteTags */ select id from sites where key = ?`)
		if err != nil {
			return err
		}
		defer site.Close()
		drop, err := tx.PrepareContext(ctx, `/* Store.SaveSiteTags */ delete from site_tag_seen where site_id = ?`)
		if err != nil {
			return err
		}
		defer drop.Close()
		put, err := tx.PrepareContext(ctx, `/* Store.SaveSiteTags */ insert into site_tag_seen (site_id, origin, loaded_at) values (?, ?, ?)
			on conflict (site_id, origin) do update set loaded_at = max(loaded_at, excluded.loaded_at)`)
		if err != nil {
			return err
		}
		defer put.Close()
		for _, t := range tags {
			var id string
			err := site.QueryRowContext(ctx, t.Key).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := drop.ExecContext(ctx, id); err != nil {
				return err
			}
			if !t.Loaded.IsZero() {
				if _, err := put.ExecContext(ctx, id, "", ms(t.Loaded)); err != nil {
					return err
				}
			}
			for _, p := range t.Pages {
				if p.Origin == "" {
					continue // the key of the last load
				}
				if _, err := put.ExecContext(ctx, id, p.Origin, ms(p.At)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("experiments: save site tags: %w", err)
	}
	return nil
}
