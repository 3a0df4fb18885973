package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestServeStoppedWhileOpeningLeavesNoFolder: a serve stopped (Ctrl-C)
// while it opens a database it has just created, in folders it has just
// made, leaves none of them: the empty database used to stay, and kept
// the start from removing the folders.
func TestServeStoppedWhileOpeningLeavesNoFolder(t *testing.T) {
	base := t.TempDir()
	db := filepath.Join(base, "new", "deeper", "copylab.db")
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if err := run(stopped, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, strings.NewReader(""), &out, &errOut, env(nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("serve stopped while it opened the database: %v, want it cancelled", err)
	}
	if _, err := os.Lstat(filepath.Join(base, "new")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder serve made is left behind (%v)", err)
	}
}
