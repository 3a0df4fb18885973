package experiments_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copylab/data"
	"copylab/experiments"
)

// latestMigration is the number of the last embedded migration.
func latestMigration(t *testing.T) int {
	t.Helper()
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s", e.Name())
		}
		v = max(v, n)
	}
	return v
}

// olderDatabase makes at path the database an older copylab left: the
// embedded migrations up to version upTo, recorded as copylab records them.
func olderDatabase(t *testing.T, path string, upTo int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`create table schema_migrations (version integer primary key, name text not null, applied_at integer not null)`); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // ReadDir sorts by name: 0001_…, 0002_…
		num, _, _ := strings.Cut(e.Name(), "_")
		if n, _ := strconv.Atoi(num); n <= upTo {
			body, err := fs.ReadFile(data.Migrations, "migrations/"+e.Name())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(string(body)); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if _, err := db.Exec(`insert into schema_migrations values (?, ?, 0)`, n, e.Name()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestStoreMigrated: the store says which schema version the database had
// before it opened (0 for a new one) and which it has now, so that serve
// can say what the migrations did without reading the file itself.
func TestStoreMigrated(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	latest := latestMigration(t)
	older := filepath.Join(dir, "older.db")
	olderDatabase(t, older, 7)

	for _, tt := range []struct {
		name     string
		path     string
		open     func(context.Context, string) (*experiments.Store, error)
		from, to int
	}{
		{"new file", filepath.Join(dir, "new.db"), experiments.Open, 0, latest},
		{"opened again", filepath.Join(dir, "new.db"), experiments.Open, latest, latest},
		{"older copylab's", older, experiments.OpenExisting, 7, latest},
		{"older, opened again", older, experiments.Open, latest, latest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.open(ctx, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if from, to := s.Migrated(); from != tt.from || to != tt.to {
				t.Errorf("Migrated() = %d, %d; want %d, %d", from, to, tt.from, tt.to)
			}
		})
	}
}
