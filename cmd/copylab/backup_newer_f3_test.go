package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments/schematest"
)

// TestBackupRefusesNewerDatabase: backup copied a database that a newer
// copylab had migrated (schema_migrations holds a migration this one does
// not know), where restore refuses such a file, so the backup it made
// could not be restored by the copylab that made it. It now refuses it,
// in the words restore and every other command use, on one line, and
// writes nothing: no backup, no partial file beside it, and the database
// as it was. A database of this copylab's schema is still copied.
func TestBackupRefusesNewerDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "copylab.db")
	latest := schematest.Latest(t)
	schematest.OlderWAL(t, db, latest)
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	newer := latest + 1
	if _, err := raw.Exec(`insert into schema_migrations (version, name, applied_at) values (?, ?, 0)`,
		newer, strconv.Itoa(newer)+"_from_a_newer_copylab.sql"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	sum := func() [32]byte {
		b, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := sum()

	want := db + " comes from a newer copylab (schema version " + strconv.Itoa(newer) + "; this one knows up to " + strconv.Itoa(latest) + ")"
	for _, tt := range []struct {
		name string
		out  func(t *testing.T) string // --out; the folder it writes in is empty
	}{
		{"a file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "backup.db") }},
		{"a folder", func(t *testing.T) string { return t.TempDir() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.out(t)
			stdout, _, err := runCmd(t, env(nil), "", "backup", "--db", db, "--out", out)
			if err == nil {
				t.Fatalf("backup of a newer database: no error; printed %q", stdout)
			}
			var printed bytes.Buffer
			if code := exitMessage(&printed, err); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			got := printed.String()
			if !strings.Contains(got, want) || strings.Contains(got, "experiments:") || strings.Count(got, "\n") != 1 {
				t.Errorf("printed\n%s\nwant one line saying %q…", got, want)
			}
			folder := out
			if filepath.Ext(out) == ".db" {
				folder = filepath.Dir(out)
			}
			if left, err := os.ReadDir(folder); err != nil || len(left) > 0 {
				t.Errorf("backup left %v in %s (%v)", left, folder, err)
			}
		})
	}
	if sum() != before {
		t.Error("the refused database changed")
	}

	// This copylab's own schema is copied as before.
	same := filepath.Join(dir, "same.db")
	schematest.OlderWAL(t, same, latest)
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, _, err := runCmd(t, env(nil), "", "backup", "--db", same, "--out", out); err != nil {
		t.Fatalf("backup of this copylab's schema: %v", err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no backup written: %v", err)
	}
}
