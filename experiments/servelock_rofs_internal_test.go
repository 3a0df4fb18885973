//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package experiments

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLockErrorReadOnly: the lock's refusals, with the system's error
// injected (TestReadOnlyVolume mounts a real read-only volume, as root
// only). A read-only file system is said to be one, whatever the
// operation; only a refusal of this user's rights is blamed on the owner
// and mode; any other error keeps the system's words.
func TestLockErrorReadOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	lock := LockPath(db)
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		err      error
		want     string
		dontWant string
	}{
		{"lock file on a read-only file system", &fs.PathError{Op: "open", Path: lock, Err: syscall.EROFS},
			dir + " is on a read-only file system", "not readable"},
		{"folder on a read-only file system", &fs.PathError{Op: "mkdir", Path: filepath.Join(dir, "new"), Err: syscall.EROFS},
			dir + " is on a read-only file system", "cannot create the folder"},
		{"lock file of another user", &fs.PathError{Op: "open", Path: lock, Err: syscall.EACCES},
			lock + " is not readable by this user", "read-only"},
		{"lock file on a failing disk", &fs.PathError{Op: "open", Path: lock, Err: syscall.EIO},
			"copylab cannot open " + lock + " (input/output error)", "not readable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lockError(db, tt.err)
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.dontWant) {
				t.Errorf("%q, want %q and no %q", msg, tt.want, tt.dontWant)
			}
			if !errors.Is(err, tt.err.(*fs.PathError).Err) {
				t.Errorf("%v does not keep the system's error in its chain", err)
			}
		})
	}
}
