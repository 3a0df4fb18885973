package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestH6InvalidInputExits2: a value given on the command line that the
// store refuses (an email that is none, a token name over the limit) is
// a mistake in the command line, which the README says exits 2, as a
// missing flag does; it exited 1, as a failure does. The sentence is
// printed as before.
func TestH6InvalidInputExits2(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	addAccounts(t, db, "ana@example.com")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"user add, not an email", []string{"user", "add", "--db", db, "--email", "notanemail"}, "copylab: invalid input: email: "},
		{"token create, long name", []string{"token", "create", "--db", db, "--email", "ana@example.com", "--name", strings.Repeat("n", 200)},
			"copylab: invalid input: name: Keep the name to at most 120 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(nil), "", tc.args...)
			var msg bytes.Buffer
			if code := exitMessage(&msg, err); code != 2 || !strings.HasPrefix(msg.String(), tc.want) {
				t.Errorf("exit %d, %q; want exit 2, %q", code, msg.String(), tc.want)
			}
		})
	}
	// A failure that is no mistake in the command line still exits 1.
	_, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "ana@example.com")
	if code := exitStatus(err); code != 1 {
		t.Errorf("an account that exists: exit %d, want 1 (%v)", code, err)
	}
}
