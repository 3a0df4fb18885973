package experiments

import (
	"context"
	"database/sql"
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
