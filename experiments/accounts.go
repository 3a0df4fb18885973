package experiments

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// How an account came to be: Adder.Via (users.added_via, migration 0025).
const (
	AddedAtSetup         = "setup"  // the first account, made on the setup page
	AddedFromCommandLine = "cli"    // copylab user add
	AddedByHand          = "hand"   // Users → Add, by a teammate who chose or was shown the password
	AddedByInvite        = "invite" // an invite link accepted; the adder is whoever sent it
)

// Adder says who added an account and how (Adders).
type Adder struct {
	Via    string // one of the Added… constants; "" for an account made before copylab kept this
	UserID int64  // the adder while they have an account; 0 for none, and once they are removed
	Email  string // the adder's email when they added it; "" for setup, the command line and its invites
	// Role is the role CreateUserBy gives the new account, as the admin
	// adding it picked; "" gives the default (newRoleTx). It is not kept
	// with the adder: Adders leaves it empty, and Roles reads the role.
	Role Role
}

// Role is what an account may do (users.role, migration 0029).
type Role string

const (
	// RoleAdmin manages people: adds and invites them, revokes invites,
	// removes accounts and changes roles. Everything a member does too.
	RoleAdmin Role = "admin"
	// RoleMember does everything but manage people: sites, experiments,
	// results, their own API tokens, password and sessions.
	RoleMember Role = "member"
)

// Valid tells whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleMember }

// ErrLastAdmin is the answer to removing or demoting the only admin:
// nobody could manage people any more.
var ErrLastAdmin = errors.New("the only admin")

// newRoleTx is the role of an account made without one picked: an
// admin when the workspace has none (its first account, made at setup or
// on the command line), so that someone can always manage people, and a
// member otherwise.
func newRoleTx(ctx context.Context, tx *sql.Tx) (Role, error) {
	var admins int
	if err := tx.QueryRowContext(ctx, `/* Store.newRoleTx */ select count(*) from users where role = 'admin'`).Scan(&admins); err != nil {
		return "", err
	}
	if admins == 0 {
		return RoleAdmin, nil
	}
	return RoleMember, nil
}

// ErrAdderGone is CreateUserBy's answer for an adder who has no account
// (any more).
var ErrAdderGone = errors.New("the adder has no account")

// CreateUser adds a person who can sign in from the command line
// (copylab user add): nobody in copylab added them. passwordHash is
// already hashed by the caller; ErrConflict means the email is taken.
func (s *Store) CreateUser(ctx context.Context, email, name, passwordHash string) (User, error) {
	return s.CreateUserBy(ctx, email, name, passwordHash, Adder{Via: AddedFromCommandLine})
}

// CreateUserBy is CreateUser for an account that by added. An adder with
// a UserID is a user named by id and email, as RemoveUser names one; when
// they have been removed meanwhile the answer is ErrAdderGone: their
// removal named the accounts they had added, and this one must not slip
// in after it. The account gets by.Role, or when that is "" the default
// of newRoleTx: an admin for a workspace's first account, else a member.
func (s *Store) CreateUserBy(ctx context.Context, email, name, passwordHash string, by Adder) (User, error) {
	return s.createUser(ctx, email, name, passwordHash, by, nil)
}

// CreateUserByAdmin is CreateUserBy for an account an admin adds by hand
// (Users → Add): by names them, and when they are no admin (any more)
// the answer is ErrNotAdmin, checked in the transaction that makes the
// account (an adder removed is ErrAdderGone, as in CreateUserBy).
func (s *Store) CreateUserByAdmin(ctx context.Context, email, name, passwordHash string, by Adder) (User, error) {
	return s.createUser(ctx, email, name, passwordHash, by, &Admin{UserID: by.UserID, Email: by.Email})
}

// createUser is CreateUserBy, and with admin CreateUserByAdmin.
func (s *Store) createUser(ctx context.Context, email, name, passwordHash string, by Adder, admin *Admin) (User, error) {
	u := User{Email: strings.TrimSpace(email), Name: strings.TrimSpace(name), CreatedAt: s.now()}
	if by.Role != "" && !by.Role.Valid() {
		return User{}, fmt.Errorf("experiments: create user: unknown role %q", by.Role)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		role := by.Role
		if role == "" {
			var err error
			if role, err = newRoleTx(ctx, tx); err != nil {
				return err
			}
		}
		if by.UserID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `/* Store.CreateUserBy */ select count(*) from users where id = ? and email = ? collate nocase`,
				by.UserID, strings.TrimSpace(by.Email)).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrAdderGone
			}
		}
		if err := adminTx(ctx, tx, admin); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `/* Store.CreateUserBy */ insert into users (email, name, password_hash, created_at, added_via, added_by, added_by_email, role)
			values (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, passwordHash, ms(u.CreatedAt), by.Via, sql.NullInt64{Int64: by.UserID, Valid: by.UserID != 0}, by.Email, role)
		if isUnique(err) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("experiments: create user: %w", err)
	}
	return u, nil
}

// Adders returns who added each user and how, by user id.
func (s *Store) Adders(ctx context.Context) (map[int64]Adder, error) {
	return byUser(ctx, s.r, `/* Store.Adders */ select id, added_via, coalesce(added_by, 0), added_by_email from users`,
		"adders", func(a *Adder) []any { return []any{&a.Via, &a.UserID, &a.Email} })
}

// byUser runs query, whose rows start with a user id, and returns what
// dest's fields read from the rest of each row, by user id; what names
// the read in errors.
func byUser[V any](ctx context.Context, db *sql.DB, query, what string, dest func(*V) []any) (map[int64]V, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("experiments: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[int64]V{}
	for rows.Next() {
		var id int64
		var v V
		if err := rows.Scan(append([]any{&id}, dest(&v)...)...); err != nil {
			return nil, fmt.Errorf("experiments: %s: %w", what, err)
		}
		out[id] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: %s: %w", what, err)
	}
	return out, nil
}

// Roles returns each user's role, by user id.
func (s *Store) Roles(ctx context.Context) (map[int64]Role, error) {
	return byUser(ctx, s.r, `/* Store.Roles */ select id, role from users`, "roles",
		func(r *Role) []any { return []any{r} })
}

// UserRole returns the role of the user with that id. The app reads it
// on each request that needs it, never from the session: a demotion or a
// removal takes effect on the person's next request, in every browser.
func (s *Store) UserRole(ctx context.Context, id int64) (Role, error) {
	var r Role
	err := s.r.QueryRowContext(ctx, `/* Store.UserRole */ select role from users where id = ?`, id).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("experiments: role of user %d: %w", id, err)
	}
	return r, nil
}

// AdminEmails returns the emails of the admins, oldest account first:
// whom a member asks when they may not do something.
func (s *Store) AdminEmails(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.AdminEmails */ select email from users where role = 'admin' order by id`)
	if err != nil {
		return nil, fmt.Errorf("experiments: admins: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var email string
		if err := rows.Scan(&email); err != nil {
			return nil, fmt.Errorf("experiments: admins: %w", err)
		}
		out = append(out, email)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: admins: %w", err)
	}
	return out, nil
}

// RoleChange is what SetRole did.
type RoleChange struct {
	User User
	From Role // the role they had; the same as the one asked when nothing changed
	// InvitesCancelled are the links they sent that still worked, which a
	// demotion cancels: only an admin brings people in, and a link sent
	// while they were one must not outlive it.
	InvitesCancelled int
}

// SetRole gives the user with that id and email (named by both, as
// RemoveUser names one) the role. Demoting the only admin is
// ErrLastAdmin, checked in the same transaction, so that two admins who
// demote each other at once cannot leave none. A demotion deletes the
// invites the user sent. A user already in that role is left as they
// are, and From says so.
func (s *Store) SetRole(ctx context.Context, id int64, email string, role Role) (RoleChange, error) {
	return s.setRole(ctx, id, email, role, nil)
}

// SetRoleByAdmin is SetRole asked for by an admin on the Users page: when
// by is no admin (any more) the answer is ErrNotAdmin, checked in the
// transaction that changes the role.
func (s *Store) SetRoleByAdmin(ctx context.Context, id int64, email string, role Role, by Admin) (RoleChange, error) {
	return s.setRole(ctx, id, email, role, &by)
}

// setRole is SetRole, and with by SetRoleByAdmin.
func (s *Store) setRole(ctx context.Context, id int64, email string, role Role, by *Admin) (RoleChange, error) {
	if !role.Valid() {
		return RoleChange{}, fmt.Errorf("experiments: set role of user %d: unknown role %q", id, role)
	}
	var r RoleChange
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := adminTx(ctx, tx, by); err != nil {
			return err
		}
		u, err := scanUser(tx.QueryRowContext(ctx, `/* Store.SetRole */ select `+userCols+`, role from users where id = ?`, id), &r.From)
		if err != nil {
			return err
		}
		if !strings.EqualFold(strings.TrimSpace(email), u.Email) {
			return ErrNotFound
		}
		r.User = u
		if r.From == role {
			return nil
		}
		if r.From == RoleAdmin {
			if err := lastAdminTx(ctx, tx); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `/* Store.SetRole */ select count(*) from invites i
				where invited_by = ?1 collate nocase and expires_at > ?2 and not exists (select 1 from users u where u.email = i.email)`,
				u.Email, ms(s.now())).Scan(&r.InvitesCancelled); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `/* Store.SetRole */ delete from invites where invited_by = ? collate nocase`, u.Email); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `/* Store.SetRole */ update users set role = ? where id = ?`, role, id)
		return err
	})
	if err != nil {
		return RoleChange{}, fmt.Errorf("experiments: set role of user %d: %w", id, err)
	}
	return r, nil
}

// lastAdminTx is ErrLastAdmin when at most one admin is left, inside the
// caller's transaction, before it removes or demotes one.
func lastAdminTx(ctx context.Context, tx *sql.Tx) error {
	var admins int
	if err := tx.QueryRowContext(ctx, `/* Store.lastAdminTx */ select count(*) from users where role = 'admin'`).Scan(&admins); err != nil {
		return err
	}
	if admins <= 1 {
		return ErrLastAdmin
	}
	return nil
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

// TokenTally is what an account-wide sign-out (ChangePassword,
// SignOutOthers) did to the user's API tokens. It revokes them only when
// asked: a token is a script's, not a browser's, and one that stopped
// working by surprise would break a deploy. Whoever asked is told how many
// still work, since a stolen session could have made one.
type TokenTally struct {
	Revoked int // revoked with the sign-out, in its transaction
	Working int // still working after it
}

// tokensTx revokes the user's API tokens when revoke is set, and counts
// what it did, inside the caller's transaction.
func tokensTx(ctx context.Context, tx *sql.Tx, userID int64, revoke bool) (TokenTally, error) {
	if revoke {
		res, err := tx.ExecContext(ctx, `/* Store.tokensTx */ delete from api_tokens where user_id = ?`, userID)
		if err != nil {
			return TokenTally{}, err
		}
		n, err := res.RowsAffected()
		return TokenTally{Revoked: int(n)}, err
	}
	var n int
	err := tx.QueryRowContext(ctx, `/* Store.tokensTx */ select count(*) from api_tokens where user_id = ?`, userID).Scan(&n)
	return TokenTally{Working: n}, err
}

// ChangePassword replaces a user's password hash, records when
// (PasswordSetAt), and signs out all their sessions and, with
// revokeTokens, revokes their API tokens, all in one transaction. It says
// how many tokens it revoked or left working.
func (s *Store) ChangePassword(ctx context.Context, id int64, passwordHash string, revokeTokens bool) (TokenTally, error) {
	var tokens TokenTally
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `/* Store.ChangePassword */ update users set password_hash = ?, password_changed_at = ? where id = ?`,
			passwordHash, ms(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err = tx.ExecContext(ctx, `/* Store.ChangePassword */ delete from sessions where user_id = ?`, id); err != nil {
			return err
		}
		tokens, err = tokensTx(ctx, tx, id, revokeTokens)
		return err
	})
	if err != nil {
		return TokenTally{}, fmt.Errorf("experiments: set password: %w", err)
	}
	return tokens, nil
}

// PasswordSetAt returns when the password of the user with that email was
// last set: changed (ChangePassword), or else made with the account.
// Sign-in limits are kept in the server's memory, and copylab user
// password changes the password from another process; failures counted
// before this time were guesses at a password that no longer exists.
func (s *Store) PasswordSetAt(ctx context.Context, email string) (time.Time, error) {
	var at int64
	err := s.r.QueryRowContext(ctx, `/* Store.PasswordSetAt */ select max(created_at, password_changed_at) from users where email = ?`,
		strings.TrimSpace(email)).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("experiments: password set at: %w", err)
	}
	return time.UnixMilli(at), nil
}

// DeleteUser removes a user with their sessions and tokens, and the
// invites they made, in one transaction: a teammate who is removed brings
// nobody in through a link they sent before, nor themselves through one
// sent to them. It returns how many of the links they sent still worked
// (pending at the store's clock, for an email with no account yet), the
// ones whose invitee notices. The last user cannot be removed: nobody
// could sign in again; nor the last admin (ErrLastAdmin): nobody could
// manage people.
func (s *Store) DeleteUser(ctx context.Context, id int64) (invitesCancelled int, err error) {
	r, err := s.RemoveUser(ctx, id, "")
	return r.InvitesCancelled, err
}

// UserRemoval is what RemoveUser did: the user as they were, what
// stopped working with them, and what did not.
type UserRemoval struct {
	User             User
	TokensRevoked    int // their API tokens: the scripts that used them are refused from now on
	InvitesCancelled int // the links they sent that still worked (DeleteUser)
	// AddedKept are the emails of the accounts they added, by hand or
	// through their invites, oldest first. These stay: they may be real
	// teammates, and only whoever removes the user can tell.
	AddedKept []string
}

// RemoveUser is DeleteUser for the user with that id and email. users.id
// has no AUTOINCREMENT, so SQLite gives a removed user's id, when it was
// the highest, to the next user added: a Remove button drawn before names
// the user by both, and finds ErrNotFound, not the newer user, once the
// one it named is gone. An empty email names the user by id alone.
func (s *Store) RemoveUser(ctx context.Context, id int64, email string) (UserRemoval, error) {
	return s.removeUser(ctx, id, email, nil)
}

// RemoveUserByAdmin is RemoveUser asked for by an admin on the Users
// page: when by is no admin (any more) the answer is ErrNotAdmin, checked
// in the transaction that removes the user.
func (s *Store) RemoveUserByAdmin(ctx context.Context, id int64, email string, by Admin) (UserRemoval, error) {
	return s.removeUser(ctx, id, email, &by)
}

// removeUser is RemoveUser, and with by RemoveUserByAdmin.
func (s *Store) removeUser(ctx context.Context, id int64, email string, by *Admin) (UserRemoval, error) {
	var r UserRemoval
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := adminTx(ctx, tx, by); err != nil {
			return err
		}
		var role Role
		u, err := scanUser(tx.QueryRowContext(ctx, `/* Store.RemoveUser */ select `+userCols+`, role from users where id = ?`, id), &role)
		if err != nil {
			return err
		}
		if email != "" && !strings.EqualFold(strings.TrimSpace(email), u.Email) {
			return ErrNotFound
		}
		var n int
		if err := tx.QueryRowContext(ctx, `/* Store.RemoveUser */ select count(*) from users`).Scan(&n); err != nil {
			return err
		}
		if n <= 1 {
			return fmt.Errorf("the last user: %w", ErrConflict)
		}
		if role == RoleAdmin {
			if err := lastAdminTx(ctx, tx); err != nil {
				return err
			}
		}
		r.User = u
		if err := tx.QueryRowContext(ctx, `/* Store.RemoveUser */ select count(*) from api_tokens where user_id = ?`, id).Scan(&r.TokensRevoked); err != nil {
			return err
		}
		// Emails are compared without case, as users.email is. The
		// command line's invites (invited_by '') are nobody's to cancel.
		if u.Email != "" {
			if err := tx.QueryRowContext(ctx, `/* Store.RemoveUser */ select count(*) from invites i
				where invited_by = ?1 collate nocase and expires_at > ?2 and not exists (select 1 from users u where u.email = i.email)`,
				u.Email, ms(s.now())).Scan(&r.InvitesCancelled); err != nil {
				return err
			}
			// An invite to the user themselves, who was then added by
			// hand, waits unused while their account has its email; it
			// goes too, or the removal would bring it back to life.
			if _, err := tx.ExecContext(ctx, `/* Store.RemoveUser */ delete from invites where invited_by = ?1 collate nocase or email = ?1`, u.Email); err != nil {
				return err
			}
		}
		if r.AddedKept, err = addedBy(ctx, tx, id); err != nil {
			return err
		}
		// The accounts' added_by is cleared with the user (on delete set
		// null): the id may be given again, the email stays.
		_, err = tx.ExecContext(ctx, `/* Store.RemoveUser */ delete from users where id = ?`, id)
		return err
	})
	if err != nil {
		return UserRemoval{}, fmt.Errorf("experiments: delete user %d: %w", id, err)
	}
	return r, nil
}

// addedBy returns the emails of the accounts the user with that id
// added, oldest first, inside the caller's transaction.
func addedBy(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `/* Store.addedBy */ select email from users where added_by = ? order by id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var email string
		if err := rows.Scan(&email); err != nil {
			return nil, err
		}
		out = append(out, email)
	}
	return out, rows.Err()
}

// MaxSessionUserAgent is how many bytes of a browser's User-Agent header a
// session keeps. Real browsers send under 300; the header is the client's
// to choose, and a database row is not the place for whatever it sends.
const MaxSessionUserAgent = 512

// CreateSession stores a session under the hash of its cookie value, with
// the user agent that signed in (cut to MaxSessionUserAgent bytes), the id
// of the device cookie the sign-in gave ("" for none: DeleteUserSession
// then voids no cookie) and a new random public id that the Settings page
// names it by.
func (s *Store) CreateSession(ctx context.Context, idHash string, userID int64, csrf, userAgent, deviceID string, expires time.Time) error {
	if len(userAgent) > MaxSessionUserAgent {
		// Cut on a byte, then drop the half of a character the cut may leave.
		userAgent = strings.ToValidUTF8(userAgent[:MaxSessionUserAgent], "")
	}
	now := ms(s.now())
	_, err := s.w.ExecContext(ctx, `/* Store.CreateSession */ insert into sessions (id_hash, public_id, user_id, csrf_token, user_agent, device_id, created_at, expires_at, last_seen_at)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		idHash, newSessionID(), userID, csrf, userAgent, deviceID, now, ms(expires), now)
	if err != nil {
		return fmt.Errorf("experiments: create session: %w", err)
	}
	return nil
}

// newSessionID is a session's public id: 16 random bytes in lowercase hex,
// the form migration 0012 gave the sessions it found.
func newSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// IsSessionID tells whether id has the form of a session's public id, so
// that a mistyped or made-up one is refused before any lookup.
func IsSessionID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// SessionByHash returns a live (unexpired) session and its user.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (Session, User, error) {
	var sess Session
	var created, exp, seen int64
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.SessionByHash */ select u.id, u.email, u.name, u.created_at, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at
		from sessions s join users u on u.id = s.user_id where s.id_hash = ? and s.expires_at > ?`, idHash, ms(s.now())), &sess.CSRFToken, &created, &exp, &seen)
	if err != nil {
		return Session{}, User{}, fmt.Errorf("experiments: session: %w", err)
	}
	sess.UserID = u.ID
	sess.CreatedAt = time.UnixMilli(created)
	sess.ExpiresAt = time.UnixMilli(exp)
	sess.LastSeenAt = time.UnixMilli(seen)
	return sess, u, nil
}

// BrowserSession is one of a user's live sessions as the Settings page
// lists it. It carries neither the cookie nor the cookie's hash.
type BrowserSession struct {
	ID         string // public id (IsSessionID)
	UserAgent  string // as sent when it signed in; "" for sessions older than migration 0012
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool // the session whose hash the caller passed
}

// UserSessions returns a user's live sessions and marks the one whose
// cookie hashes to currentHash. That one comes first: it is in use now,
// and its last_seen_at may be up to an hour old. The others follow, the
// most recently seen first.
func (s *Store) UserSessions(ctx context.Context, userID int64, currentHash string) ([]BrowserSession, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.UserSessions */ select public_id, user_agent, created_at, last_seen_at, id_hash = ?1 as current
		from sessions where user_id = ?2 and expires_at > ?3 order by current desc, last_seen_at desc, created_at desc, public_id`,
		currentHash, userID, ms(s.now()))
	if err != nil {
		return nil, fmt.Errorf("experiments: user sessions: %w", err)
	}
	defer rows.Close()
	var out []BrowserSession
	for rows.Next() {
		var b BrowserSession
		var created, seen int64
		if err := rows.Scan(&b.ID, &b.UserAgent, &created, &seen, &b.Current); err != nil {
			return nil, fmt.Errorf("experiments: user sessions: %w", err)
		}
		b.CreatedAt, b.LastSeenAt = time.UnixMilli(created), time.UnixMilli(seen)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: user sessions: %w", err)
	}
	return out, nil
}

// DeleteUserSession signs out the user's session with that public id and
// tells whether it was the one whose cookie hashes to currentHash. Another
// user's session, or none, is ErrNotFound alike: nobody learns that an id
// exists unless it is theirs. Signing out another browser also revokes the
// device cookie its sign-in gave (DeviceRevoked) until revokeUntil, when
// that cookie has expired anyway; signing out this browser keeps it, as
// signing out does.
func (s *Store) DeleteUserSession(ctx context.Context, userID int64, publicID, currentHash string, revokeUntil time.Time) (current bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var hash, device string
		err := tx.QueryRowContext(ctx, `/* Store.DeleteUserSession */ select id_hash, device_id from sessions where public_id = ? and user_id = ? and expires_at > ?`,
			publicID, userID, ms(s.now())).Scan(&hash, &device)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		current = hash == currentHash
		if !current && device != "" {
			if _, err := tx.ExecContext(ctx, `/* Store.DeleteUserSession */ insert into revoked_devices (user_id, device_id, expires_at) values (?, ?, ?)
				on conflict (user_id, device_id) do update set expires_at = max(expires_at, excluded.expires_at)`,
				userID, device, ms(revokeUntil)); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `/* Store.DeleteUserSession */ delete from sessions where id_hash = ?`, hash)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("experiments: delete session %s: %w", publicID, err)
	}
	return current, nil
}

// SignOutOthers deletes every session of the user but the one whose
// cookie hashes to keepHash, and replaces the user's device key with
// deviceKey, which voids the device cookies given before (see UserDeviceKeys),
// so their revocations can go too. The kept session records keptDevice,
// the id of the new device cookie its browser gets. With revokeTokens it
// revokes the user's API tokens too, in the same transaction. It returns
// how many live sessions it ended, and what it did to the tokens.
func (s *Store) SignOutOthers(ctx context.Context, userID int64, keepHash, deviceKey, keptDevice string, revokeTokens bool) (int64, TokenTally, error) {
	var n int64
	var tokens TokenTally
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `/* Store.SignOutOthers */ update users set device_key = ? where id = ?`, deviceKey, userID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `/* Store.SignOutOthers */ update sessions set device_id = ? where id_hash = ?`, keptDevice, keepHash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.SignOutOthers */ delete from revoked_devices where user_id = ?`, userID); err != nil {
			return err
		}
		var live int64
		if err := tx.QueryRowContext(ctx, `/* Store.SignOutOthers */ select count(*) from sessions where user_id = ? and id_hash != ? and expires_at > ?`,
			userID, keepHash, ms(s.now())).Scan(&live); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.SignOutOthers */ delete from sessions where user_id = ? and id_hash != ?`, userID, keepHash); err != nil {
			return err
		}
		n = live
		tokens, err = tokensTx(ctx, tx, userID, revokeTokens)
		return err
	})
	if err != nil {
		return 0, TokenTally{}, fmt.Errorf("experiments: sign out other sessions of %d: %w", userID, err)
	}
	return n, tokens, nil
}

// DeviceRevoked tells whether the user signed out, from another browser,
// the browser that holds the device cookie with that id (DeleteUserSession).
func (s *Store) DeviceRevoked(ctx context.Context, userID int64, deviceID string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `/* Store.DeviceRevoked */ select count(*) from revoked_devices where user_id = ? and device_id = ? and expires_at > ?`,
		userID, deviceID, ms(s.now())).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("experiments: device revoked: %w", err)
	}
	return n > 0, nil
}

// UserDeviceKeys returns the user with that email and the two secrets
// their device cookies are signed with: the password hash, which a new
// password replaces, and the device key, which SignOutOthers
// replaces ("" until it first does).
func (s *Store) UserDeviceKeys(ctx context.Context, email string) (u User, passwordHash, deviceKey string, err error) {
	u, err = scanUser(s.r.QueryRowContext(ctx, `/* Store.UserDeviceKeys */ select `+userCols+`, password_hash, device_key from users where email = ?`,
		strings.TrimSpace(email)), &passwordHash, &deviceKey)
	if err != nil {
		return User{}, "", "", fmt.Errorf("experiments: device keys: %w", err)
	}
	return u, passwordHash, deviceKey, nil
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

// DeleteExpiredSessions removes sessions past their expiry, and returns
// how many; revoked device ids past theirs go too.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := ms(s.now())
	if _, err := s.w.ExecContext(ctx, `/* Store.DeleteExpiredSessions */ delete from revoked_devices where expires_at <= ?`, now); err != nil {
		return 0, fmt.Errorf("experiments: delete expired device revocations: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteExpiredSessions */ delete from sessions where expires_at <= ?`, now)
	if err != nil {
		return 0, fmt.Errorf("experiments: delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a full token's hash; the secret itself is never
// stored.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (APIToken, error) {
	return s.CreateAPITokenWithAccess(ctx, userID, name, tokenHash, prefix, AccessFull)
}

// CreateAPITokenWithAccess stores the hash of a token that may do what
// access says; the secret itself is never stored.
func (s *Store) CreateAPITokenWithAccess(ctx context.Context, userID int64, name, tokenHash, prefix string, access TokenAccess) (APIToken, error) {
	if access != AccessFull && access != AccessRead {
		return APIToken{}, fmt.Errorf("experiments: create api token: unknown access %q", access)
	}
	t := APIToken{UserID: userID, Name: strings.TrimSpace(name), Prefix: prefix, Access: access, CreatedAt: s.now()}
	res, err := s.w.ExecContext(ctx, `/* Store.CreateAPITokenWithAccess */ insert into api_tokens (user_id, name, token_hash, prefix, access, created_at) values (?, ?, ?, ?, ?, ?)`,
		userID, t.Name, tokenHash, prefix, string(access), ms(t.CreatedAt))
	if err != nil {
		return APIToken{}, fmt.Errorf("experiments: create api token: %w", err)
	}
	t.ID, _ = res.LastInsertId()
	return t, nil
}

// UserByTokenHash returns the owner of an API token and records its use.
func (s *Store) UserByTokenHash(ctx context.Context, tokenHash string) (User, error) {
	u, _, err := s.APITokenByHash(ctx, tokenHash)
	return u, err
}

// APITokenByHash returns an API token, with its owner, and records its
// use: the API checks both who calls and what the token may do.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (User, APIToken, error) {
	var t APIToken
	var created, used sql.NullInt64
	u, err := scanUser(s.r.QueryRowContext(ctx, `/* Store.APITokenByHash */ select u.id, u.email, u.name, u.created_at,
		t.id, t.user_id, t.name, t.prefix, t.access, t.created_at, t.last_used_at
		from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`, tokenHash),
		&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Access, &created, &used)
	if err != nil {
		return User{}, APIToken{}, fmt.Errorf("experiments: user by token: %w", err)
	}
	t.CreatedAt, t.LastUsedAt = fromMS(created), fromMS(used)
	// Recording the last use is best effort; a failure must not refuse the call.
	s.w.ExecContext(ctx, `/* Store.APITokenByHash */ update api_tokens set last_used_at = ? where token_hash = ?`, ms(s.now()), tokenHash)
	return u, t, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.APITokens */ select id, user_id, name, prefix, access, created_at, last_used_at from api_tokens where user_id = ? order by id desc`, userID)
	if err != nil {
		return nil, fmt.Errorf("experiments: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Access, &created, &used); err != nil {
			return nil, fmt.Errorf("experiments: api tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt = fromMS(created), fromMS(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes the user's token with that id, prefix and
// creation time, and returns it. api_tokens.id has no AUTOINCREMENT, so
// SQLite gives a revoked token's id, when it was the highest, to the next
// token made: a Revoke button drawn before names the token by all three,
// and finds ErrNotFound, not the newer token, once the one it named is
// gone. Another user's token is ErrNotFound alike.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64, prefix string, created time.Time) (APIToken, error) {
	t := APIToken{ID: id, UserID: userID, Prefix: prefix, CreatedAt: created}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `/* Store.RevokeAPIToken */ select name from api_tokens where id = ? and user_id = ? and prefix = ? and created_at = ?`,
			id, userID, prefix, ms(created)).Scan(&t.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `/* Store.RevokeAPIToken */ delete from api_tokens where id = ?`, id)
		return err
	})
	if err != nil {
		return APIToken{}, fmt.Errorf("experiments: revoke api token %d: %w", id, err)
	}
	return t, nil
}

// OwnedAPIToken is an API token with its user's email, as the command
// line lists them.
type OwnedAPIToken struct {
	APIToken
	Email string
}

// OwnedAPITokens lists the API tokens of every user, or of the user with
// userID when it is not 0, oldest first.
func (s *Store) OwnedAPITokens(ctx context.Context, userID int64) ([]OwnedAPIToken, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.OwnedAPITokens */ select t.id, t.user_id, t.name, t.prefix, t.access, t.created_at, t.last_used_at, u.email
		from api_tokens t join users u on u.id = t.user_id where ? = 0 or t.user_id = ? order by t.created_at, t.id`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("experiments: owned api tokens: %w", err)
	}
	defer rows.Close()
	var out []OwnedAPIToken
	for rows.Next() {
		var t OwnedAPIToken
		var created, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Access, &created, &used, &t.Email); err != nil {
			return nil, fmt.Errorf("experiments: owned api tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt = fromMS(created), fromMS(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPITokenByID revokes the API token with that id, whoever's it
// is, and returns it; ErrNotFound when no token has the id. It is the
// command line's, run by whoever runs the server, which names a token by
// the id copylab token list printed: the token returned says which one
// went, since an id is given again to the next token made once the
// highest is revoked (RevokeAPIToken).
func (s *Store) RevokeAPITokenByID(ctx context.Context, id int64) (OwnedAPIToken, error) {
	var t OwnedAPIToken
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var created, used sql.NullInt64
		err := tx.QueryRowContext(ctx, `/* Store.RevokeAPITokenByID */ select t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at, u.email
			from api_tokens t join users u on u.id = t.user_id where t.id = ?`, id).Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used, &t.Email)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		t.CreatedAt, t.LastUsedAt = fromMS(created), fromMS(used)
		_, err = tx.ExecContext(ctx, `/* Store.RevokeAPITokenByID */ delete from api_tokens where id = ?`, id)
		return err
	})
	if err != nil {
		return OwnedAPIToken{}, fmt.Errorf("experiments: revoke api token %d: %w", id, err)
	}
	return t, nil
}

// APITokenCounts returns how many API tokens each user has, by user id;
// users with none are left out.
func (s *Store) APITokenCounts(ctx context.Context) (map[int64]int, error) {
	return byUser(ctx, s.r, `/* Store.APITokenCounts */ select user_id, count(*) from api_tokens group by user_id`,
		"api token counts", func(n *int) []any { return []any{n} })
}
