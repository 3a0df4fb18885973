package experiments_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestFailedOpenLeavesNoNewFile: an open that fails after it created the
// database file (stopped while it looked at the file, SQLite unable to
// make its write-ahead log, a migration refused) removes the file, and
// the -wal and -shm files it made, so that the next start does not find
// an empty database nobody asked for (nor serve's undo a folder it
// cannot remove). A file that was there before the open stays, as does
// anything else beside it.
func TestFailedOpenLeavesNoNewFile(t *testing.T) {
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	gone := func(t *testing.T, path string) {
		t.Helper()
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is left behind (%v)", filepath.Base(path), err)
		}
	}
	there := func(t *testing.T, path string) {
		t.Helper()
		if _, err := os.Lstat(path); err != nil {
			t.Errorf("%s is gone: %v", filepath.Base(path), err)
		}
	}
	// walFolder puts a folder where SQLite makes the write-ahead log.
	walFolder := func(t *testing.T, db string) {
		t.Helper()
		if err := os.Mkdir(db+"-wal", 0o700); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("stopped while it looked", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "copylab.db")
		if _, err := experiments.Open(stopped, db); err == nil {
			t.Fatal("Open with a cancelled context: no error")
		}
		for _, p := range []string{db, db + "-wal", db + "-shm"} {
			gone(t, p)
		}
	})
	t.Run("no write-ahead log", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "copylab.db")
		walFolder(t, db)
		_, err := experiments.Open(context.Background(), db)
		if err == nil {
			t.Fatal("Open with a folder in place of the log: no error")
		}
		t.Logf("Open: %v", err)
		gone(t, db)
		gone(t, db+"-shm")
		there(t, db+"-wal")
	})
	t.Run("no shared memory", func(t *testing.T) {
		// SQLite makes the log, then fails on the shared memory.
		db := filepath.Join(t.TempDir(), "copylab.db")
		if err := os.Mkdir(db+"-shm", 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := experiments.Open(context.Background(), db)
		if err == nil {
			t.Fatal("Open with a folder in place of the shared memory: no error")
		}
		t.Logf("Open: %v", err)
		gone(t, db)
		gone(t, db+"-wal")
		there(t, db+"-shm")
	})
	t.Run("an empty file that was there", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "copylab.db")
		if err := os.WriteFile(db, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		walFolder(t, db)
		if _, err := experiments.Open(context.Background(), db); err == nil {
			t.Fatal("Open with a folder in place of the log: no error")
		}
		there(t, db)
		there(t, db+"-wal")
	})
	t.Run("a shared-memory file that was there", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "copylab.db")
		if err := os.WriteFile(db+"-shm", nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := experiments.Open(stopped, db); err == nil {
			t.Fatal("Open with a cancelled context: no error")
		}
		gone(t, db)
		there(t, db+"-shm")
	})
}
