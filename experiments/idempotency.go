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

// IdempotencyKeyKept is how long the answer to a call sent with an
// Idempotency-Key is kept for a retry (table idempotency_keys): after
// that the key may name a new call.
const IdempotencyKeyKept = 24 * time.Hour

// IdempotencyKeyAbandoned is how long a call with a key may run before a
// second call with the key takes it over: the first was cut off (the
// process stopped mid-call) and will never answer. The calls that take a
// key answer within seconds.
const IdempotencyKeyAbandoned = 5 * time.Minute

// IdempotentCall is a call sent with an Idempotency-Key: whose key, and
// what it asks, to tell a retry from another call sent with the same key.
type IdempotentCall struct {
	UserID int64
	Key    string
	Method string
	Path   string
	Body   []byte // kept as a SHA-256 only
}

// IdempotentAnswer is the answer kept for a key, to be replayed.
type IdempotentAnswer struct {
	Status   int
	Location string
	Body     []byte
}

// KeyState is what ReserveIdempotencyKey found of a key.
type KeyState int

const (
	// KeyReserved: the key is new (or its last use is older than
	// IdempotencyKeyKept), and now held for this call: the caller answers
	// it, then keeps the answer (SaveIdempotentAnswer) or lets the key go
	// (ReleaseIdempotencyKey).
	KeyReserved KeyState = iota
	// KeyAnswered: the same call was answered; the answer is returned.
	KeyAnswered
	// KeyInUse: the same call is still being answered.
	KeyInUse
	// KeyReused: the key was used for another call (another method,
	// path or body).
	KeyReused
)

func bodyHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ReserveIdempotencyKey looks up the call's key at now and, unless the
// key is taken, holds it for the call, in one transaction, so that of two
// calls with one key only one is answered anew. A key whose last use
// began IdempotencyKeyKept or longer ago is new again, and one still
// unanswered after IdempotencyKeyAbandoned is taken over. The hold is
// named by now, kept as the key's created_at: the caller gives the same
// time to SaveIdempotentAnswer or ReleaseIdempotencyKey, which then act
// on this hold only. A hold taken over began at least
// IdempotencyKeyAbandoned before now, so the two never share a time.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, call IdempotentCall, now time.Time) (KeyState, IdempotentAnswer, error) {
	state, ans := KeyReserved, IdempotentAnswer{}
	hash := bodyHash(call.Body)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var method, path, sum string
		var created, answered int64
		err := tx.QueryRowContext(ctx, `/* Store.ReserveIdempotencyKey */ select method, path, body_sha256, created_at, answered_at,
			status, location, answer from idempotency_keys where user_id = ? and key = ?`, call.UserID, call.Key).
			Scan(&method, &path, &sum, &created, &answered, &ans.Status, &ans.Location, &ans.Body)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case created <= ms(now.Add(-IdempotencyKeyKept)):
			// Kept long enough: the key names this call now.
		case method != call.Method || path != call.Path || sum != hash:
			state = KeyReused
			return nil
		case answered != 0:
			state = KeyAnswered
			return nil
		case created > ms(now.Add(-IdempotencyKeyAbandoned)):
			state = KeyInUse
			return nil
		}
		ans = IdempotentAnswer{}
		_, err = tx.ExecContext(ctx, `/* Store.ReserveIdempotencyKey */ insert into idempotency_keys
			(user_id, key, method, path, body_sha256, created_at) values (?, ?, ?, ?, ?, ?)
			on conflict (user_id, key) do update set method = excluded.method, path = excluded.path,
				body_sha256 = excluded.body_sha256, created_at = excluded.created_at,
				answered_at = 0, status = 0, location = '', answer = x''`,
			call.UserID, call.Key, call.Method, call.Path, hash, ms(now))
		return err
	})
	if err != nil {
		return 0, IdempotentAnswer{}, fmt.Errorf("experiments: reserve idempotency key: %w", err)
	}
	return state, ans, nil
}

// SaveIdempotentAnswer keeps, at now, the answer to the call that
// reserved the user's key at reservedAt (ReserveIdempotencyKey), for the
// call's retries, and reports whether it kept it. It keeps nothing when
// the hold is no longer that call's: a retry took the key over while the
// call ran past IdempotencyKeyAbandoned, and the key holds the retry's
// call and, in time, its answer, which a late first call must not
// replace.
func (s *Store) SaveIdempotentAnswer(ctx context.Context, userID int64, key string, reservedAt time.Time, a IdempotentAnswer, now time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `/* Store.SaveIdempotentAnswer */ update idempotency_keys
		set answered_at = ?, status = ?, location = ?, answer = ?
		where user_id = ? and key = ? and created_at = ? and answered_at = 0`,
		ms(now), a.Status, a.Location, a.Body, userID, key, ms(reservedAt))
	if err != nil {
		return false, fmt.Errorf("experiments: save idempotent answer: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("experiments: save idempotent answer: %w", err)
	}
	return n == 1, nil
}

// ReleaseIdempotencyKey lets go of the user's key reserved at reservedAt
// (ReserveIdempotencyKey) by a call that was refused or failed: a retry
// is then answered anew. A key with an answer stays, and so does a hold
// that is no longer that call's (a retry took the key over): the late
// end of the first call leaves the retry's hold alone.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID int64, key string, reservedAt time.Time) error {
	_, err := s.w.ExecContext(ctx, `/* Store.ReleaseIdempotencyKey */ delete from idempotency_keys
		where user_id = ? and key = ? and created_at = ? and answered_at = 0`, userID, key, ms(reservedAt))
	if err != nil {
		return fmt.Errorf("experiments: release idempotency key: %w", err)
	}
	return nil
}

// DeleteIdempotencyKeysBefore forgets the keys whose first call began
// before before, and returns how many it forgot. The app runs it hourly
// with IdempotencyKeyKept.
func (s *Store) DeleteIdempotencyKeysBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteIdempotencyKeysBefore */ delete from idempotency_keys where created_at < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("experiments: delete old idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
