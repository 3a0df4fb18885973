package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestServeFailedOpenLeavesNothingNew: a serve that creates the database
// and then fails to open it (here SQLite cannot make its write-ahead log,
// where a folder has the name) leaves no empty database behind, which the
// next start would take for copylab's, and so no lock file either; what
// was there before the start stays.
func TestServeFailedOpenLeavesNothingNew(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "copylab.db")
	if err := os.Mkdir(db+"-wal", 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, env(nil), "", "serve", "--addr", "127.0.0.1:0", "--db", db); err == nil {
		t.Fatal("serve with a folder in place of the log: no error")
	}
	for _, p := range []string{db, db + "-shm", experiments.LockPath(db)} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is left behind (%v)", filepath.Base(p), err)
		}
	}
	if fi, err := os.Lstat(db + "-wal"); err != nil || !fi.IsDir() {
		t.Errorf("the folder that was there is gone: %v", err)
	}
}
