package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"copylab/experiments"
)

// TestServePortInUseLeavesNothingNew: serve that stops on a port in use
// leaves no new folder and no lock file behind, as the README promises
// ("leaves no new database behind"). Before, --db /new/other.db left
// /new/ and other.db.lock. What was there before the start stays.
func TestServePortInUseLeavesNothingNew(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()

	base := t.TempDir()
	serveBusy := func(db string) {
		t.Helper()
		_, _, err := runCmd(t, env(nil), "", "serve", "--addr", addr, "--db", db)
		if !errors.Is(err, syscall.EADDRINUSE) {
			t.Fatalf("serve: %v, want the port in use", err)
		}
	}
	gone := func(path string) {
		t.Helper()
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is left behind (%v)", path, err)
		}
	}
	there := func(path string) {
		t.Helper()
		if _, err := os.Lstat(path); err != nil {
			t.Errorf("%s is gone: %v", path, err)
		}
	}

	t.Run("new folders", func(t *testing.T) {
		serveBusy(filepath.Join(base, "new", "deeper", "other.db"))
		gone(filepath.Join(base, "new"))
		there(base)
	})
	t.Run("a folder that was there", func(t *testing.T) {
		dir := filepath.Join(base, "data")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(dir, "copylab.db")
		serveBusy(db)
		gone(experiments.LockPath(db))
		gone(db)
		there(dir)
	})
	t.Run("the lock file of an earlier run", func(t *testing.T) {
		dir := filepath.Join(base, "old")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(dir, "copylab.db")
		if err := os.WriteFile(experiments.LockPath(db), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		serveBusy(db)
		there(experiments.LockPath(db))
	})
}

// TestServeRefusesBadDBPathsInASentence: a --db that cannot hold a
// database is refused after "copylab: " in one sentence with the
// absolute path and what to do, not Go's chain of errors, and leaves no
// lock file behind.
func TestServeRefusesBadDBPathsInASentence(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "index.html")
	if err := os.WriteFile(file, []byte("<p>hi</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(base, "some", "directory")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, db, want string }{
		{"a file where a folder should be", filepath.Join(file, "x.db"),
			file + " is a file, not a folder, so it cannot hold x.db: choose another --db (COPYLAB_DB)"},
		{"a folder", folder,
			folder + " is a folder, not a database file: give --db (COPYLAB_DB) the path of the file, such as " + filepath.Join(folder, "copylab.db")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(nil), "", "serve", "--addr", "127.0.0.1:0", "--db", tt.db)
			if err == nil || err.Error() != tt.want {
				t.Errorf("serve: %v\nwant %q", err, tt.want)
			}
			if _, err := os.Lstat(experiments.LockPath(tt.db)); !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
				t.Errorf("a lock file is left behind (%v)", err)
			}
		})
	}
	t.Run("a relative path", func(t *testing.T) {
		t.Chdir(base)
		_, _, err := runCmd(t, env(nil), "", "serve", "--addr", "127.0.0.1:0", "--db", "index.html/x.db")
		if want := file + " is a file, not a folder, so it cannot hold x.db: choose another --db (COPYLAB_DB)"; err == nil || err.Error() != want {
			t.Errorf("serve: %v\nwant %q", err, want)
		}
	})
}
