package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestH4UserAddRoleOneStep: copylab user add --role admin makes the
// account an admin in the transaction that creates it. Made as a member
// and promoted in a second transaction, an account was left a member
// when that second step never ran (the process killed between the two).
// The test stands in for the crash with a trigger that refuses any
// change of a role once the account exists: the account must be made an
// admin all the same, in one step, and never left a member.
func TestH4UserAddRoleOneStep(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	addAccounts(t, db, "ana@example.com")

	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`create trigger h4_no_role_change before update of role on users
		begin select raise(abort, 'the process stopped here'); end`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	out, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "new@example.com", "--role", "admin")
	s, oerr := experiments.OpenExisting(context.Background(), db)
	if oerr != nil {
		t.Fatal(oerr)
	}
	defer s.Close()
	u, _, uerr := s.UserByEmail(context.Background(), "new@example.com")
	if uerr != nil {
		t.Fatalf("no account made: %v (command: %v, %q)", uerr, err, out)
	}
	if got, _ := s.UserRole(context.Background(), u.ID); got != experiments.RoleAdmin {
		t.Errorf("the account is %q, want admin or no account (command: %v, %q)", got, err, out)
	}
	if err != nil {
		t.Errorf("command: %v", err)
	}
}
