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
)

// TestOpenRefusesANewerDatabase: a database that a newer copylab has
// migrated is refused by every command that opens it (serve, user add,
// recount), in the words restore uses, before anything is written to it.
// Before, they opened it, skipped the migrations they knew and wrote to a
// schema they did not.
func TestOpenRefusesANewerDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	newer := filepath.Join(dir, "copylab.db")
	s, err := experiments.Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	addSite(t, s, "Shop")
	s.Close()
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`insert into schema_migrations (version, name, applied_at) values (99, '0099_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(newer)
	if err != nil {
		t.Fatal(err)
	}

	// Restore's refusal, whose words the others share.
	_, err = experiments.Restore(ctx, newer, filepath.Join(t.TempDir(), "copylab.db"))
	if err == nil || !strings.HasPrefix(err.Error(), "restore: "+newer+" comes from a newer copylab (schema version 99; this one knows up to ") {
		t.Fatalf("restore: %v, want a refusal of a newer copylab's database", err)
	}
	want := "experiments: " + strings.TrimPrefix(err.Error(), "restore: ")

	for _, tt := range []struct {
		name string
		open func() error
		want string
	}{
		{"open (serve)", func() error {
			s, err := experiments.Open(ctx, newer)
			if err == nil {
				s.Close()
			}
			return err
		}, want},
		{"open existing (user add)", func() error {
			s, err := experiments.OpenExisting(ctx, newer)
			if err == nil {
				s.Close()
			}
			return err
		}, want},
		{"recount", func() error {
			return experiments.Recount(ctx, newer, experiments.RecountOptions{}, nil)
		}, "recount: " + want},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.open(); err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if b, _ := os.ReadFile(newer); !bytes.Equal(b, before) {
				t.Error("the database changed")
			}
			if st, err := os.Stat(newer + "-wal"); err == nil && st.Size() > 0 {
				t.Errorf("a write-ahead log of %d bytes was left", st.Size())
			}
		})
	}
}
