package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminCommandRefusesAnotherProgramsDatabase: user add with --db
// naming another program's SQLite file refuses it in one sentence after
// "copylab: " and leaves it as it was. It used to add copylab's tables
// to it, and an account to them.
func TestAdminCommandRefusesAnotherProgramsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other-app.sqlite")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`create table notes (id integer primary key, body text)`, `insert into notes (body) values ('hello')`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"user", "add", "--db", path, "--email", "ana@example.com"},
		{"token", "create", "--db", path, "--email", "ana@example.com", "--name", "ci"},
	} {
		_, _, err := runCmd(t, env(nil), "", args...)
		var msg bytes.Buffer
		exitMessage(&msg, err)
		if want := "copylab: " + path + " is not a copylab database\n"; msg.String() != want {
			t.Errorf("%s: printed %q, want %q", strings.Join(args[:2], " "), msg.String(), want)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Fatalf("%s changed the other program's file", strings.Join(args[:2], " "))
		}
	}
}

// TestServeRefusesATextFile: serve on a file that is not a database says
// so once, without the package's "experiments: open FILE:" before it.
func TestServeRefusesATextFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, env(nil), "", "serve", "--addr", "127.0.0.1:0", "--db", path)
	if want := path + " is not a copylab database"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
