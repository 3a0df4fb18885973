package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CreateUser adds a person who can sign in. passwordHash is already hashed
// by the caller; ErrConflict means the email is taken.
func (s *Store) CreateUser(ctx context.Context, email, name, passwordHash string) (User, error) {
	u := User{Email: strings.TrimSpace(email), Name: strings.TrimSpace(name), CreatedAt: s.now()}
	res, err := s.w.ExecContext(ctx, `/* Store.CreateUser */ insert into users (email, name, password_hash, created_at) values (?, ?, ?, ?)`,
		u.Email, u.Name, passwordHash, ms(u.CreatedAt))
	if isUnique(err) {
		return User{}, fmt.Errorf("experiments: create user: %w", ErrConflict)
	}
	if err != nil {
		return User{}, fmt.Errorf("experiments: create user: %w", err)
	}
	u.ID, _ = res.LastInsertId()
	return u, nil
}

const userCols = `id, email, name, created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var created sql.NullInt64
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &created}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	u.CreatedAt = fromMS(created)
	return u, err
}

// UserByEmail returns a user and their password hash.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, string, error) {
	var hash string
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.UserByEmail */ select `+userCols+`, password_hash from users where email = ?`,
		strings.TrimSpace(email)), &hash)
	if err != nil {
		return User{}, "", fmt.Errorf("experiments: user by email: %w", err)
	}
	return u, hash, nil
}

// User returns the user with the given id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.User */ select `+userCols+` from users where id = ?`, id))
	if err != nil {
		return User{}, fmt.Errorf("experiments: user %d: %w", id, err)
	}
	return u, nil
}

// Users returns every user, oldest first.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.Users */ select `+userCols+` from users order by id`)
	if err != nil {
		return nil, fmt.Errorf("experiments: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserCount returns how many users exist; zero means the app needs setup.
func (s *Store) UserCount(ctx context.Context) (int, error) {
	var n int
	if err := s.w.QueryRowContext(ctx, `/* Store.UserCount */ select count(*) from users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("experiments: user count: %w", err)
	}
	return n, nil
}

// SetPassword replaces a user's password hash and signs out all their sessions.
func (s *Store) SetPassword(ctx context.Context, id int64, passwordHash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `/* Store.SetPassword */ update users set password_hash = ? where id = ?`, passwordHash, id)
		if err != nil {
			return fmt.Errorf("experiments: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("experiments: set password: %w", ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `/* Store.SetPassword */ delete from sessions where user_id = ?`, id)
		return err
	})
}

// DeleteUser removes a user with their sessions and tokens. The last user
// cannot be removed: nobody could sign in again.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `/* Store.DeleteUser */ select count(*) from users`).Scan(&n); err != nil {
			return err
		}
		if n <= 1 {
			return fmt.Errorf("experiments: delete user: the last user: %w", ErrConflict)
		}
		res, err := tx.ExecContext(ctx, `/* Store.DeleteUser */ delete from users where id = ?`, id)
		if err != nil {
			return fmt.Errorf("experiments: delete user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("experiments: delete user: %w", ErrNotFound)
		}
		return nil
	})
}

// CreateSession stores a session under the hash of its cookie value.
func (s *Store) CreateSession(ctx context.Context, idHash string, userID int64, csrf string, expires time.Time) error {
	now := ms(s.now())
	_, err := s.w.ExecContext(ctx, `/* Store.CreateSession */ insert into sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) values (?, ?, ?, ?, ?, ?)`,
		idHash, userID, csrf, now, ms(expires), now)
	if err != nil {
		return fmt.Errorf("experiments: create session: %w", err)
	}
	return nil
}

// SessionByHash returns a live (unexpired) session and its user.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (Session, User, error) {
	var sess Session
	var created, exp int64
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.SessionByHash */ select u.id, u.email, u.name, u.created_at, s.csrf_token, s.created_at, s.expires_at
		from sessions s join users u on u.id = s.user_id where s.id_hash = ? and s.expires_at > ?`, idHash, ms(s.now())), &sess.CSRFToken, &created, &exp)
	if err != nil {
		return Session{}, User{}, fmt.Errorf("experiments: session: %w", err)
	}
	sess.UserID = u.ID
	sess.CreatedAt = time.UnixMilli(created)
	sess.ExpiresAt = time.UnixMilli(exp)
	return sess, u, nil
}

// ExtendSession moves a session's expiry forward (sliding sessions).
func (s *Store) ExtendSession(ctx context.Context, idHash string, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, `/* Store.ExtendSession */ update sessions set expires_at = ?, last_seen_at = ? where id_hash = ?`,
		ms(expires), ms(s.now()), idHash)
	if err != nil {
		return fmt.Errorf("experiments: extend session: %w", err)
	}
	return nil
}

// DeleteSession signs a browser out.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.DeleteSession */ delete from sessions where id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("experiments: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteExpiredSessions */ delete from sessions where expires_at <= ?`, ms(s.now()))
	if err != nil {
		return 0, fmt.Errorf("experiments: delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a token's hash; the secret itself is never stored.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (APIToken, error) {
	t := APIToken{UserID: userID, Name: strings.TrimSpace(name), Prefix: prefix, CreatedAt: s.now()}
	res, err := s.w.ExecContext(ctx, `/* Store.CreateAPIToken */ insert into api_tokens (user_id, name, token_hash, prefix, created_at) values (?, ?, ?, ?, ?)`,
		userID, t.Name, tokenHash, prefix, ms(t.CreatedAt))
	if err != nil {
		return APIToken{}, fmt.Errorf("experiments: create api token: %w", err)
	}
	t.ID, _ = res.LastInsertId()
	return t, nil
}

// UserByTokenHash returns the owner of an API token and records its use.
func (s *Store) UserByTokenHash(ctx context.Context, tokenHash string) (User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.UserByTokenHash */ select u.id, u.email, u.name, u.created_at
		from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`, tokenHash))
	if err != nil {
		return User{}, fmt.Errorf("experiments: user by token: %w", err)
	}
	// Recording the last use is best effort; a failure must not refuse the call.
	s.w.ExecContext(ctx, `/* Store.UserByTokenHash */ update api_tokens set last_used_at = ? where token_hash = ?`, ms(s.now()), tokenHash)
	return u, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.APITokens */ select id, user_id, name, prefix, created_at, last_used_at from api_tokens where user_id = ? order by id desc`, userID)
	if err != nil {
		return nil, fmt.Errorf("experiments: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used); err != nil {
			return nil, fmt.Errorf("experiments: api tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt = fromMS(created), fromMS(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes one of a user's tokens.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteAPIToken */ delete from api_tokens where id = ? and user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("experiments: delete api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("experiments: delete api token: %w", ErrNotFound)
	}
	return nil
}
