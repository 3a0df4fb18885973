package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Invite is a pending invitation to make an account (migration 0021). It
// carries neither the link's token nor its hash.
type Invite struct {
	ID        int64
	Email     string
	Name      string // offered on the link's page; "" for none
	InvitedBy string // the inviter's email; "" from the command line
	Role      Role   // the role its account gets (migration 0029)
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Invites take their times from the caller rather than the store's clock:
// the app decides when a link expires, and its tests move that clock.

// ExpiredInviteKept is how long an expired, unused invite is kept before
// it is deleted (DeleteExpiredInvites, and CreateInvite on the way): for
// that week the Users page lists it as expired, so that whoever sent it
// learns the person did not join and can invite them again. Its link
// stops working when it expires all the same.
const ExpiredInviteKept = 7 * 24 * time.Hour

const inviteCols = `id, email, name, invited_by, role, created_at, expires_at`

func scanInvite(row interface{ Scan(...any) error }) (Invite, error) {
	var inv Invite
	var created, expires int64
	err := row.Scan(&inv.ID, &inv.Email, &inv.Name, &inv.InvitedBy, &inv.Role, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Invite{}, ErrNotFound
	}
	inv.CreatedAt, inv.ExpiresAt = time.UnixMilli(created), time.UnixMilli(expires)
	return inv, err
}

// ErrInviterGone is CreateInvite's answer for an inviter who has no
// account (any more).
var ErrInviterGone = errors.New("the inviter has no account")

// CreateInvite stores an invite for email under the hash of its link's
// token, valid until expires. An email has one pending invite at most: an
// earlier one is replaced, and replaced says so (its link stops working).
// An email that already has an account is ErrConflict; an invitedBy that
// names no user is ErrInviterGone ("" is the command line). Invites that
// expired more than ExpiredInviteKept ago are deleted on the way; an
// expired one for the same email is replaced too, but replaced does not
// count it: its link had stopped working already. Its account will be a
// member (CreateInviteAs picks another role).
func (s *Store) CreateInvite(ctx context.Context, tokenHash, email, name, invitedBy string, now, expires time.Time) (inv Invite, replaced bool, err error) {
	return s.CreateInviteAs(ctx, tokenHash, email, name, invitedBy, RoleMember, now, expires)
}

// CreateInviteAs is CreateInvite for an account that gets role. Whether
// the inviter may invite is not checked: CreateInviteByAdmin checks it.
func (s *Store) CreateInviteAs(ctx context.Context, tokenHash, email, name, invitedBy string, role Role, now, expires time.Time) (inv Invite, replaced bool, err error) {
	return s.createInvite(ctx, tokenHash, email, name, invitedBy, role, now, expires, nil)
}

// CreateInviteByAdmin is CreateInviteAs for an invite an admin sends
// from the Users page: by names them, and when they are no admin (any
// more) the answer is ErrNotAdmin, checked in the transaction that
// stores the invite (an inviter removed is ErrInviterGone, as in
// CreateInvite).
func (s *Store) CreateInviteByAdmin(ctx context.Context, tokenHash, email, name string, by Admin, role Role, now, expires time.Time) (inv Invite, replaced bool, err error) {
	return s.createInvite(ctx, tokenHash, email, name, by.Email, role, now, expires, &by)
}

// createInvite is CreateInviteAs, and with by CreateInviteByAdmin.
func (s *Store) createInvite(ctx context.Context, tokenHash, email, name, invitedBy string, role Role, now, expires time.Time, by *Admin) (inv Invite, replaced bool, err error) {
	if !role.Valid() {
		return Invite{}, false, fmt.Errorf("experiments: create invite: unknown role %q", role)
	}
	inv = Invite{Email: strings.TrimSpace(email), Name: strings.TrimSpace(name), InvitedBy: invitedBy, Role: role, CreatedAt: now, ExpiresAt: expires}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `/* Store.CreateInvite */ delete from invites where expires_at <= ?`, ms(now.Add(-ExpiredInviteKept))); err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `/* Store.CreateInvite */ select count(*) from users where email = ?`, inv.Email).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return ErrConflict
		}
		if inv.InvitedBy != "" {
			// An inviter removed while their request was on its way: the
			// removal cancelled their links (DeleteUser), so this one must
			// not outlive it either.
			var inviter int
			if err := tx.QueryRowContext(ctx, `/* Store.CreateInvite */ select count(*) from users where email = ? collate nocase`, inv.InvitedBy).Scan(&inviter); err != nil {
				return err
			}
			if inviter == 0 {
				return ErrInviterGone
			}
		}
		if err := adminTx(ctx, tx, by); err != nil {
			return err
		}
		var live int
		if err := tx.QueryRowContext(ctx, `/* Store.CreateInvite */ select count(*) from invites where email = ? and expires_at > ?`, inv.Email, ms(now)).Scan(&live); err != nil {
			return err
		}
		replaced = live > 0
		if _, err := tx.ExecContext(ctx, `/* Store.CreateInvite */ delete from invites where email = ?`, inv.Email); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `/* Store.CreateInvite */ insert into invites (token_hash, email, name, invited_by, role, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)`,
			tokenHash, inv.Email, inv.Name, inv.InvitedBy, inv.Role, ms(now), ms(expires))
		if err != nil {
			return err
		}
		inv.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return Invite{}, false, fmt.Errorf("experiments: create invite: %w", err)
	}
	return inv, replaced, nil
}

// Invites returns the invites pending at now, the newest first. An invite
// for an email that has meanwhile got an account (added by hand) is not
// pending: its link would only say so.
func (s *Store) Invites(ctx context.Context, now time.Time) ([]Invite, error) {
	return s.listInvites(ctx, "invites", `/* Store.Invites */ select `+inviteCols+` from invites i
		where expires_at > ? and not exists (select 1 from users u where u.email = i.email) order by created_at desc, id desc`, ms(now))
}

// listInvites returns the invites query finds; what names the list in
// errors.
func (s *Store) listInvites(ctx context.Context, what, query string, args ...any) ([]Invite, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("experiments: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Invite
	for rows.Next() {
		inv, err := scanInvite(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: %s: %w", what, err)
		}
		out = append(out, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: %s: %w", what, err)
	}
	return out, nil
}

// ExpiredInvites returns the invites that expired at now or in the
// ExpiredInviteKept before it, unused, the most recently expired first:
// the Users page lists them so that whoever sent one learns the person
// did not join. As in Invites, an email that has meanwhile got an account
// is left out.
func (s *Store) ExpiredInvites(ctx context.Context, now time.Time) ([]Invite, error) {
	return s.listInvites(ctx, "expired invites", `/* Store.ExpiredInvites */ select `+inviteCols+` from invites i
		where expires_at <= ? and expires_at > ? and not exists (select 1 from users u where u.email = i.email)
		order by expires_at desc, id desc`, ms(now), ms(now.Add(-ExpiredInviteKept)))
}

// InviteByHash returns the invite whose token hashes to tokenHash if it
// is still valid at now; a used, revoked, replaced, expired or unknown one
// is ErrNotFound alike.
func (s *Store) InviteByHash(ctx context.Context, tokenHash string, now time.Time) (Invite, error) {
	inv, err := scanInvite(s.r.QueryRowContext(ctx, `/* Store.InviteByHash */ select `+inviteCols+` from invites where token_hash = ? and expires_at > ?`,
		tokenHash, ms(now)))
	if err != nil {
		return Invite{}, fmt.Errorf("experiments: invite: %w", err)
	}
	return inv, nil
}

// AcceptInvite uses up the invite whose token hashes to tokenHash and
// creates its account, in one transaction: of two acceptances at once, one
// makes the account and the other finds no invite (ErrNotFound, as for a
// link that is expired at now, revoked or unknown). When the email has got
// an account meanwhile, the invite is deleted all the same (it can never
// be used) and the answer is ErrConflict. passwordHash is already hashed
// by the caller. The account is recorded as added by the inviter
// (AddedByInvite, Adders), and gets the invite's role.
func (s *Store) AcceptInvite(ctx context.Context, tokenHash, name, passwordHash string, now time.Time) (User, error) {
	var u User
	taken := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var invitedBy string
		var role Role
		err := tx.QueryRowContext(ctx, `/* Store.AcceptInvite */ select id, email, invited_by, role from invites where token_hash = ? and expires_at > ?`,
			tokenHash, ms(now)).Scan(&id, &u.Email, &invitedBy, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.AcceptInvite */ delete from invites where id = ?`, id); err != nil {
			return err
		}
		// The inviter has an account: removing them deletes their
		// invites (RemoveUser). One from the command line has none.
		var inviter sql.NullInt64
		if invitedBy != "" {
			err := tx.QueryRowContext(ctx, `/* Store.AcceptInvite */ select id from users where email = ? collate nocase`, invitedBy).Scan(&inviter)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		u.Name, u.CreatedAt = strings.TrimSpace(name), now
		res, err := tx.ExecContext(ctx, `/* Store.AcceptInvite */ insert into users (email, name, password_hash, created_at, added_via, added_by, added_by_email, role)
			values (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, passwordHash, ms(u.CreatedAt), AddedByInvite, inviter, invitedBy, role)
		if isUnique(err) {
			taken = true
			return nil // commit the deletion: the link is of no use any more
		}
		if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
	switch {
	case err != nil:
		return User{}, fmt.Errorf("experiments: accept invite: %w", err)
	case taken:
		return User{}, fmt.Errorf("experiments: accept invite: %s has an account: %w", u.Email, ErrConflict)
	}
	return u, nil
}

// DeleteInvite revokes a pending invite: its link stops working.
func (s *Store) DeleteInvite(ctx context.Context, id int64) (Invite, error) {
	return s.deleteInvite(ctx, id, nil)
}

// DeleteInviteByAdmin is DeleteInvite asked for by an admin on the Users
// page: when by is no admin (any more) the answer is ErrNotAdmin, checked
// in the transaction that deletes the invite.
func (s *Store) DeleteInviteByAdmin(ctx context.Context, id int64, by Admin) (Invite, error) {
	return s.deleteInvite(ctx, id, &by)
}

// deleteInvite is DeleteInvite, and with by DeleteInviteByAdmin.
func (s *Store) deleteInvite(ctx context.Context, id int64, by *Admin) (Invite, error) {
	var inv Invite
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := adminTx(ctx, tx, by); err != nil {
			return err
		}
		var err error
		inv, err = scanInvite(tx.QueryRowContext(ctx, `/* Store.DeleteInvite */ select `+inviteCols+` from invites where id = ?`, id))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `/* Store.DeleteInvite */ delete from invites where id = ?`, id)
		return err
	})
	if err != nil {
		return Invite{}, fmt.Errorf("experiments: delete invite %d: %w", id, err)
	}
	return inv, nil
}

// DeleteExpiredInvites removes the invites that expired ExpiredInviteKept
// or longer before now, and returns how many. The app runs it hourly and
// when the Users page is read; the invites expired within the last week
// stay, for the Users page to list as not used (ExpiredInvites).
func (s *Store) DeleteExpiredInvites(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteExpiredInvites */ delete from invites where expires_at <= ?`, ms(now.Add(-ExpiredInviteKept)))
	if err != nil {
		return 0, fmt.Errorf("experiments: delete expired invites: %w", err)
	}
	return res.RowsAffected()
}
