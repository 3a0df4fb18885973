package experiments

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// WebhookRefusal is a site's webhook refusing a message for good: which
// status it answered, to which message, and when. Which answers count as
// for good is the sender's business.
type WebhookRefusal struct {
	Status  int
	Answer  string // the receiver's own word for the refusal (Slack's "no_service"), or ""
	Message string // the title of the message it refused
	At      time.Time
}

// webhookHash is what a refusal keeps of the webhook's URL, a secret.
func webhookHash(rawURL string) string {
	h := sha256.Sum256([]byte(rawURL))
	return hex.EncodeToString(h[:])
}

// RecordWebhookRefusal notes that the site's webhook at rawURL refused a
// message for good, in place of any refusal noted before.
func (s *Store) RecordWebhookRefusal(ctx context.Context, siteID, rawURL string, r WebhookRefusal) error {
	_, err := s.w.ExecContext(ctx, `/* Store.RecordWebhookRefusal */ insert into webhook_refusals
		(site_id, webhook_sha256, status, answer, message, refused_at) values (?, ?, ?, ?, ?, ?)
		on conflict (site_id) do update set webhook_sha256 = excluded.webhook_sha256, status = excluded.status,
			answer = excluded.answer, message = excluded.message, refused_at = excluded.refused_at`,
		siteID, webhookHash(rawURL), r.Status, r.Answer, r.Message, ms(r.At))
	if err != nil {
		return fmt.Errorf("experiments: record webhook refusal of site %s: %w", siteID, err)
	}
	return nil
}

// WebhookRefusalOf returns the refusal noted for the site's webhook at
// rawURL; ok is false when none was, or when it was for another URL (the
// site's webhook was replaced since).
func (s *Store) WebhookRefusalOf(ctx context.Context, siteID, rawURL string) (r WebhookRefusal, ok bool, err error) {
	var hash string
	var at int64
	err = s.r.QueryRowContext(ctx, `/* Store.WebhookRefusalOf */ select webhook_sha256, status, answer, message, refused_at
		from webhook_refusals where site_id = ?`, siteID).Scan(&hash, &r.Status, &r.Answer, &r.Message, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return WebhookRefusal{}, false, nil
	}
	if err != nil {
		return WebhookRefusal{}, false, fmt.Errorf("experiments: webhook refusal of site %s: %w", siteID, err)
	}
	if hash != webhookHash(rawURL) {
		return WebhookRefusal{}, false, nil
	}
	r.At = time.UnixMilli(at)
	return r, true, nil
}

// ClearWebhookRefusal forgets the refusal noted for the site's webhook,
// if any.
func (s *Store) ClearWebhookRefusal(ctx context.Context, siteID string) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.ClearWebhookRefusal */ delete from webhook_refusals where site_id = ?`, siteID); err != nil {
		return fmt.Errorf("experiments: clear webhook refusal of site %s: %w", siteID, err)
	}
	return nil
}

// Undelivered is a message about an experiment that its site's webhook
// refused by itself (it took others): copylab does not send it again.
type Undelivered struct {
	ExperimentID   string
	ExperimentName string
	Status         string // what it would have been recorded as (RecordNotification)
	Title          string // its headline; "" for one recorded before copylab kept it
	HTTPStatus     int    // what the webhook answered
	At             time.Time
}

// RecordUndelivered notes that the webhook refused the message about
// expID recorded as status, headed title, answering httpStatus; the
// first refusal stays.
func (s *Store) RecordUndelivered(ctx context.Context, expID, status, title string, httpStatus int, at time.Time) error {
	_, err := s.w.ExecContext(ctx, `/* Store.RecordUndelivered */ insert into undelivered_notifications
		(experiment_id, status, title, http_status, refused_at) values (?, ?, ?, ?, ?) on conflict do nothing`,
		expID, status, title, httpStatus, ms(at))
	if err != nil {
		return fmt.Errorf("experiments: record undelivered %s of %s: %w", status, expID, err)
	}
	return nil
}

// UndeliveredOf returns the messages about an experiment that its
// webhook refused (RecordUndelivered), by status, with when each was.
func (s *Store) UndeliveredOf(ctx context.Context, expID string) (map[string]time.Time, error) {
	return s.statusTimes(ctx, `/* Store.UndeliveredOf */ select status, refused_at from undelivered_notifications
		where experiment_id = ?`, expID, "undelivered")
}

// SiteUndelivered returns the latest messages about a site's experiments
// that its webhook refused, newest first, at most limit.
func (s *Store) SiteUndelivered(ctx context.Context, siteID string, limit int) ([]Undelivered, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.SiteUndelivered */ select u.experiment_id, e.name, u.status, u.title, u.http_status, u.refused_at
		from undelivered_notifications u join experiments e on e.id = u.experiment_id
		where e.site_id = ? order by u.refused_at desc limit ?`, siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("experiments: undelivered of site %s: %w", siteID, err)
	}
	defer rows.Close()
	var out []Undelivered
	for rows.Next() {
		var u Undelivered
		var at int64
		if err := rows.Scan(&u.ExperimentID, &u.ExperimentName, &u.Status, &u.Title, &u.HTTPStatus, &at); err != nil {
			return nil, fmt.Errorf("experiments: undelivered of site %s: %w", siteID, err)
		}
		u.At = time.UnixMilli(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// NoticeClear is a warning's condition found gone since an episode of it
// was announced (the notifier's business which warnings and when).
type NoticeClear struct {
	Episode   int       // the episode announced before it cleared
	ClearedAt time.Time // the first check that found it gone
	Rearmed   bool      // a check a full day later still found it gone
}

// NoticeClears returns the clearings noted for an experiment's warnings,
// by warning.
func (s *Store) NoticeClears(ctx context.Context, expID string) (map[string]NoticeClear, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.NoticeClears */ select notice, episode, cleared_at, rearmed
		from notice_clears where experiment_id = ?`, expID)
	if err != nil {
		return nil, fmt.Errorf("experiments: notice clears of %s: %w", expID, err)
	}
	defer rows.Close()
	out := map[string]NoticeClear{}
	for rows.Next() {
		var notice string
		var c NoticeClear
		var at int64
		if err := rows.Scan(&notice, &c.Episode, &at, &c.Rearmed); err != nil {
			return nil, fmt.Errorf("experiments: notice clears of %s: %w", expID, err)
		}
		c.ClearedAt = time.UnixMilli(at)
		out[notice] = c
	}
	return out, rows.Err()
}

// SetNoticeClear notes the clearing of an experiment's warning, in place
// of any noted before.
func (s *Store) SetNoticeClear(ctx context.Context, expID, notice string, c NoticeClear) error {
	_, err := s.w.ExecContext(ctx, `/* Store.SetNoticeClear */ insert into notice_clears
		(experiment_id, notice, episode, cleared_at, rearmed) values (?, ?, ?, ?, ?)
		on conflict (experiment_id, notice) do update set episode = excluded.episode,
			cleared_at = excluded.cleared_at, rearmed = excluded.rearmed`,
		expID, notice, c.Episode, ms(c.ClearedAt), c.Rearmed)
	if err != nil {
		return fmt.Errorf("experiments: set notice clear %s of %s: %w", notice, expID, err)
	}
	return nil
}

// DeleteNoticeClear forgets the clearing of an experiment's warning, if
// any.
func (s *Store) DeleteNoticeClear(ctx context.Context, expID, notice string) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.DeleteNoticeClear */ delete from notice_clears
		where experiment_id = ? and notice = ?`, expID, notice); err != nil {
		return fmt.Errorf("experiments: delete notice clear %s of %s: %w", notice, expID, err)
	}
	return nil
}

// AnswerHold is an answer of an experiment found on every check since a
// time (the notifier's business which answers, and for how long).
type AnswerHold struct {
	Answer string
	Since  time.Time // the first check that found it
}

// AnswerHoldOf returns the answer held by an experiment; ok is false when
// none is noted.
func (s *Store) AnswerHoldOf(ctx context.Context, expID string) (h AnswerHold, ok bool, err error) {
	var since int64
	err = s.r.QueryRowContext(ctx, `/* Store.AnswerHoldOf */ select answer, since from answer_holds
		where experiment_id = ?`, expID).Scan(&h.Answer, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return AnswerHold{}, false, nil
	}
	if err != nil {
		return AnswerHold{}, false, fmt.Errorf("experiments: answer hold of %s: %w", expID, err)
	}
	h.Since = time.UnixMilli(since)
	return h, true, nil
}

// SetAnswerHold notes the answer an experiment holds, in place of any
// noted before.
func (s *Store) SetAnswerHold(ctx context.Context, expID string, h AnswerHold) error {
	_, err := s.w.ExecContext(ctx, `/* Store.SetAnswerHold */ insert into answer_holds (experiment_id, answer, since)
		values (?, ?, ?) on conflict (experiment_id) do update set answer = excluded.answer, since = excluded.since`,
		expID, h.Answer, ms(h.Since))
	if err != nil {
		return fmt.Errorf("experiments: set answer hold of %s: %w", expID, err)
	}
	return nil
}

// DeleteAnswerHold forgets the answer an experiment held, if any.
func (s *Store) DeleteAnswerHold(ctx context.Context, expID string) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.DeleteAnswerHold */ delete from answer_holds where experiment_id = ?`, expID); err != nil {
		return fmt.Errorf("experiments: delete answer hold of %s: %w", expID, err)
	}
	return nil
}

// AnnouncedRunning returns the ids of a site's running experiments that
// had a message announced (RecordNotification) or refused by the webhook
// (RecordUndelivered): the ones whose warnings the notifier keeps
// checking while the site's webhook is off or paused.
func (s *Store) AnnouncedRunning(ctx context.Context, siteID string) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.AnnouncedRunning */ select e.id from experiments e
		where e.site_id = ? and e.status = ?
			and (exists (select 1 from experiment_notifications n where n.experiment_id = e.id)
				or exists (select 1 from undelivered_notifications u where u.experiment_id = e.id))`, siteID, StatusRunning)
	if err != nil {
		return nil, fmt.Errorf("experiments: announced running experiments of site %s: %w", siteID, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("experiments: announced running experiments of site %s: %w", siteID, err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
