package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// NewAccountRole returns the role an account made now without one picked
// gets (newRoleTx): an admin while copylab has none, else a member.
// copylab user invite gives it to its link when no role is asked for, and
// user add reads it to refuse a member nobody could manage people beside.
func (s *Store) NewAccountRole(ctx context.Context) (Role, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("experiments: new account's role: %w", err)
	}
	defer tx.Rollback()
	r, err := newRoleTx(ctx, tx)
	if err != nil {
		return "", fmt.Errorf("experiments: new account's role: %w", err)
	}
	return r, nil
}

// SetInviteRole gives the account of a command-line invite (one with no
// inviter) for email, expiring at expires, the role. The command line
// makes its invite and then sets its role, before it prints the link: no
// one can use the link in between. ErrNotFound means no such invite is
// stored (replaced meanwhile by another for the same email).
func (s *Store) SetInviteRole(ctx context.Context, email string, expires time.Time, role Role) error {
	if !role.Valid() {
		return fmt.Errorf("experiments: set invite role: unknown role %q", role)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `/* Store.SetInviteRole */ update invites set role = ? where email = ? and expires_at = ? and invited_by = ''`,
			role, strings.TrimSpace(email), ms(expires))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("experiments: set invite role: %w", err)
	}
	return nil
}

// ErrNotAdmin is the answer to a change only an admin may make (adding,
// inviting or removing people, revoking an invite, changing a role)
// asked for by someone who is not an admin: a member, or an admin
// demoted or removed while their request was on its way. Nothing is
// changed.
var ErrNotAdmin = errors.New("not an admin")

// Admin names the person who asks for a change only an admin may make,
// by id and email, as RemoveUser names a user: ids are given again after
// a removal. The methods that take one (CreateUserByAdmin,
// CreateInviteByAdmin, DeleteInviteByAdmin, RemoveUserByAdmin,
// SetRoleByAdmin) check that they are an admin in the change's own
// transaction. Their twins without one check nothing: they are for the
// command line, run by whoever runs the server, and for setup.
type Admin struct {
	UserID int64
	Email  string
}

// adminTx is ErrNotAdmin unless by names an admin, inside the caller's
// transaction, before an admin-only change; a nil by (the command line)
// passes. The app checks the role before it calls (app.adminOnly), but
// a demotion committed between that check and the change would let the
// change through; the writer's transactions are immediate, so none can
// commit between this read and the change, as with lastAdminTx.
func adminTx(ctx context.Context, tx *sql.Tx, by *Admin) error {
	if by == nil {
		return nil
	}
	var role Role
	err := tx.QueryRowContext(ctx, `/* Store.adminTx */ select role from users where id = ? and email = ? collate nocase`,
		by.UserID, strings.TrimSpace(by.Email)).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotAdmin
	}
	if err != nil {
		return err
	}
	if role != RoleAdmin {
		return ErrNotAdmin
	}
	return nil
}
