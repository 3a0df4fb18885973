// Package schematest makes, for tests, the databases that older copylabs
// left: the embedded migrations up to a version, recorded as copylab
// records them. The store's and the command line's tests of upgrades
// share it.
package schematest

import (
	"database/sql"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the driver Older opens the file with

	"copylab/data"
)

// Latest is the number of the last embedded migration.
func Latest(t testing.TB) int {
	t.Helper()
	v := 0
	for _, m := range migrations(t) {
		v = max(v, m.version)
	}
	return v
}

// Older makes at path the database a copylab whose last migration was
// upTo left.
func Older(t testing.TB, path string, upTo int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`create table schema_migrations (version integer primary key, name text not null, applied_at integer not null)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations(t) { // in the order of their names: 0001_…, 0002_…
		if m.version > upTo {
			continue
		}
		body, err := fs.ReadFile(data.Migrations, "migrations/"+m.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := db.Exec(`insert into schema_migrations values (?, ?, 0)`, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
}

// Behind makes at path, as OlderWAL, the database of a copylab one
// migration behind this one, and returns the two schema versions.
func Behind(t testing.TB, path string) (from, to int) {
	t.Helper()
	to = Latest(t)
	OlderWAL(t, path, to-1)
	return to - 1, to
}

// OlderWAL is Older in WAL mode, as a copylab store leaves its file
// (closed, without its -wal and -shm files).
func OlderWAL(t testing.TB, path string, upTo int) {
	t.Helper()
	Older(t, path, upTo)
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`pragma journal_mode = wal`); err != nil {
		t.Fatal(err)
	}
}

type migration struct {
	version int
	name    string
}

func migrations(t testing.TB) []migration {
	t.Helper()
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]migration, 0, len(entries))
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s", e.Name())
		}
		out = append(out, migration{n, e.Name()})
	}
	return out
}
