package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
