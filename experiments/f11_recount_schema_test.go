package experiments_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"copylab/experiments"
	"copylab/experiments/schematest"
)

// f11Files is every file of dir, by name, with a digest of its bytes.
func f11Files(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = fmt.Sprintf("%d bytes, %x", len(b), sha256.Sum256(b))
	}
	return files
}

func f11Same(t *testing.T, before, after map[string]string) {
	t.Helper()
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("the folder changed:\n%v\nthen\n%v", before, after)
	}
}

// f11Older makes the database of a copylab one migration behind this
// one, in WAL mode as a store leaves it (schematest.Behind).
func f11Older(t *testing.T) (path string, from, to int) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "copylab.db")
	from, to = schematest.Behind(t, path)
	return path, from, to
}

// TestF11RecountDryRunKeepsSchema: a dry run on an older copylab's
// database refuses with a SchemaBehindError, and leaves its folder as it
// was; a recount upgrades it and says so.
func TestF11RecountDryRunKeepsSchema(t *testing.T) {
	ctx := context.Background()
	path, from, to := f11Older(t)
	before := f11Files(t, filepath.Dir(path))
	upgraded := false
	err := experiments.Recount(ctx, path, experiments.RecountOptions{DryRun: true, OnUpgrade: func(int, int) { upgraded = true }},
		func(experiments.RecountReport) {})
	var behind *experiments.SchemaBehindError
	if !errors.As(err, &behind) || behind.Schema != from || behind.Newest != to || behind.Path != path {
		t.Fatalf("dry run: %v (%#v), want schema %d behind %d", err, behind, from, to)
	}
	if upgraded {
		t.Error("the dry run said it upgraded")
	}
	f11Same(t, before, f11Files(t, filepath.Dir(path)))

	var got [2]int
	err = experiments.Recount(ctx, path, experiments.RecountOptions{OnUpgrade: func(f, t int) { got = [2]int{f, t} }},
		func(experiments.RecountReport) {})
	if err != nil || got != [2]int{from, to} {
		t.Fatalf("recount: %v, upgraded %v, want %d → %d", err, got, from, to)
	}
	if err := experiments.Recount(ctx, path, experiments.RecountOptions{DryRun: true}, func(experiments.RecountReport) {}); err != nil {
		t.Fatalf("dry run after the upgrade: %v", err)
	}
}

// TestF11RecountRefusesEmptyFile: recount, dry or not, refuses an empty
// file, which it used to make a new database, and leaves no lock file.
func TestF11RecountRefusesEmptyFile(t *testing.T) {
	for _, dry := range []bool{true, false} {
		t.Run(fmt.Sprint("dry run ", dry), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "copylab.db")
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			before := f11Files(t, filepath.Dir(path))
			err := experiments.Recount(context.Background(), path, experiments.RecountOptions{DryRun: dry}, func(experiments.RecountReport) {})
			if want := "recount: " + path + " is not a copylab database"; err == nil || err.Error() != want {
				t.Errorf("error %v, want %q", err, want)
			}
			f11Same(t, before, f11Files(t, filepath.Dir(path)))
		})
	}
}

// TestF11OpenWithNoMigrations: an open that may not migrate refuses an
// older copylab's database and an empty file untouched, and opens a
// current one, also while another store has it open.
func TestF11OpenWithNoMigrations(t *testing.T) {
	ctx := context.Background()
	no := experiments.OpenOptions{Existing: true, NoMigrations: true}

	older, from, to := f11Older(t)
	before := f11Files(t, filepath.Dir(older))
	_, err := experiments.OpenWith(ctx, older, no)
	var behind *experiments.SchemaBehindError
	if !errors.As(err, &behind) {
		t.Fatalf("older: %v, want a SchemaBehindError", err)
	}
	if want := fmt.Sprintf("%s is at schema %d and this copylab needs schema %d", older, from, to); err.Error() != want {
		t.Errorf("older: %q, want %q", err, want)
	}
	f11Same(t, before, f11Files(t, filepath.Dir(older)))

	empty := filepath.Join(t.TempDir(), "copylab.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.OpenWith(ctx, empty, no); err == nil || err.Error() != empty+" is not a copylab database" {
		t.Errorf("empty: %v", err)
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("empty file after: %v, %v", st, err)
	}

	current := filepath.Join(t.TempDir(), "copylab.db")
	first, err := experiments.Open(ctx, current)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	s, err := experiments.OpenWith(ctx, current, no) // its -wal and -shm are there
	if err != nil {
		t.Fatalf("current, while open: %v", err)
	}
	if f, tt := s.Migrated(); f != to || tt != to {
		t.Errorf("Migrated() = %d, %d; want %d, %d", f, tt, to, to)
	}
	s.Close()
	first.Close()
	if s, err = experiments.OpenWith(ctx, current, no); err != nil {
		t.Fatalf("current, closed: %v", err)
	}
	s.Close()
}
