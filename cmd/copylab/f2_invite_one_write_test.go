package main

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// inviteWrites installs, in the database at db, triggers that record
// every insert into and update of the invites table, with the role the
// row has after the write, in a table of their own: a test reads them
// back with inviteWriteLog.
func inviteWrites(t *testing.T, db string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, stmt := range []string{
		`create table f2_invite_writes (n integer primary key, op text not null, email text not null, role text not null)`,
		`create trigger f2_invite_insert after insert on invites begin
			insert into f2_invite_writes (op, email, role) values ('insert', new.email, new.role); end`,
		`create trigger f2_invite_update after update on invites begin
			insert into f2_invite_writes (op, email, role) values ('update', new.email, new.role); end`,
	} {
		if _, err := conn.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
}

// inviteWriteLog returns the writes inviteWrites recorded for email, in
// order, each as "op role".
func inviteWriteLog(t *testing.T, db, email string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`select op, role from f2_invite_writes where email = ? order by n`, email)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var log []string
	for rows.Next() {
		var op, role string
		if err := rows.Scan(&op, &role); err != nil {
			t.Fatal(err)
		}
		log = append(log, op+" "+role)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestF2UserInviteOneWrite: copylab user invite stores its invite with
// its role in one write, so that no crash can leave a member's link
// where an admin's was asked for: the invites table sees a single
// insert, with the role --role picks or, without it, the store's
// default (an admin while copylab has none, else a member), and never
// an update. What the command prints does not change.
func TestF2UserInviteOneWrite(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before []string // accounts added first, with the default role
		args   []string
		want   []string // the writes to the invite, "op role"
		says   string   // in stderr
	}{
		{"admin asked for", []string{"ana@example.com"}, []string{"--role", "admin"}, []string{"insert admin"}, "as an admin"},
		{"member asked for", []string{"ana@example.com"}, []string{"--role", "member"}, []string{"insert member"}, "as a member"},
		{"default with an admin", []string{"ana@example.com"}, nil, []string{"insert member"}, "as a member"},
		{"default with no account", nil, nil, []string{"insert admin"}, "as an admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "copylab.db")
			createDB(t, db)
			addAccounts(t, db, tc.before...)
			inviteWrites(t, db)

			out, errOut, err := runCmd(t, env(nil), "", append([]string{"user", "invite", "--db", db, "--email", "New@Example.com"}, tc.args...)...)
			if err != nil {
				t.Fatalf("invite: %v (%s)", err, errOut)
			}
			if !regexp.MustCompile(`^/invite/[a-z2-7]{32}\n$`).MatchString(out) {
				t.Errorf("stdout %q, want the link's path alone", out)
			}
			if !strings.Contains(errOut, "invite for new@example.com in ") || !strings.Contains(errOut, tc.says+" (shown once") {
				t.Errorf("stderr %q, want the invite %s", errOut, tc.says)
			}
			if got := inviteWriteLog(t, db, "new@example.com"); !slices.Equal(got, tc.want) {
				t.Errorf("writes to the invite %q, want %q", got, tc.want)
			}
		})
	}
}
