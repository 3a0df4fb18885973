package experiments_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/experiments/schematest"
)

// openers are the two ways to open the store: serve's, which creates a
// missing file, and the admin commands', which does not.
var openers = []struct {
	name string
	open func(context.Context, string) (*experiments.Store, error)
}{
	{"Open", experiments.Open},
	{"OpenExisting", experiments.OpenExisting},
}

// sqliteFile makes an SQLite database at path with stmts, as another
// program would.
func sqliteFile(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpenRefusesAnotherProgramsFile: a file that is not SQLite, or an
// SQLite database of another program, is refused in one sentence that
// names it once ("copylab: X is not a copylab database"), by serve and by
// the admin commands alike, and nothing is written to it: before, user
// add --db other-app.sqlite added copylab's tables to the other program's
// file, and a text file was refused as "experiments: open X: file is not a
// database".
func TestOpenRefusesAnotherProgramsFile(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		make func(t *testing.T, path string)
	}{
		{"text", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"another program's database", func(t *testing.T, path string) {
			sqliteFile(t, path, `create table notes (id integer primary key, body text)`, `insert into notes (body) values ('hello')`)
		}},
		{"another program's database, in WAL mode", func(t *testing.T, path string) {
			sqliteFile(t, path, `pragma journal_mode = wal`, `create table notes (id integer primary key, body text)`)
		}},
		{"another program's migrations", func(t *testing.T, path string) {
			// golang-migrate's table has copylab's name, not its columns.
			sqliteFile(t, path, `create table schema_migrations (version bigint not null primary key, dirty boolean not null)`,
				`insert into schema_migrations values (20240101120000, 0)`, `create table notes (body text)`)
		}},
	} {
		for _, o := range openers {
			t.Run(tt.name+"/"+o.name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "other.sqlite")
				tt.make(t, path)
				before, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				s, err := o.open(ctx, path)
				if err == nil {
					s.Close()
					t.Fatal("opened another program's file")
				}
				if want := path + " is not a copylab database"; err.Error() != want {
					t.Errorf("err = %q, want %q", err, want)
				}
				if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
					t.Error("the file changed")
				}
				// A read-only look at a WAL database leaves SQLite's
				// empty log and shared memory beside it, nothing more.
				if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
					t.Errorf("a write-ahead log of %d bytes was left", st.Size())
				}
				if l := leftovers(t, dir, "other.sqlite", "other.sqlite-wal", "other.sqlite-shm"); len(l) > 0 {
					t.Errorf("left behind: %v", l)
				}
			})
		}
	}
}

// TestOpenExistingTakesAnEmptyFile: an empty file, or an SQLite database
// with nothing in it yet, is still made a copylab database, as before, by
// both ways of opening.
func TestOpenExistingTakesAnEmptyFile(t *testing.T) {
	ctx := context.Background()
	latest := schematest.Latest(t)
	for _, tt := range []struct {
		name string
		make func(t *testing.T, path string)
	}{
		{"zero bytes", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"no tables", func(t *testing.T, path string) {
			sqliteFile(t, path, `create table t (x)`, `drop table t`)
		}},
	} {
		for _, o := range openers {
			t.Run(tt.name+"/"+o.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "copylab.db")
				tt.make(t, path)
				s, err := o.open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if from, to := s.Migrated(); from != 0 || to != latest {
					t.Errorf("Migrated() = %d, %d; want 0, %d", from, to, latest)
				}
				addSite(t, s, "Shop")
			})
		}
	}
}
