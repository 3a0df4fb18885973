//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package experiments_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

func TestServeLock(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "copylab.db")
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if b, _ := os.ReadFile(experiments.LockPath(db)); strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file holds %q, want this process's id", b)
	}
	// A second open of the file conflicts, as another process's would
	// (flock locks belong to the open file, not the process).
	_, err = experiments.ServeLock(db)
	var inUse *experiments.InUseError
	if !errors.As(err, &inUse) || inUse.PID != os.Getpid() || inUse.Path != db {
		t.Fatalf("second lock: %v, want an InUseError naming process %d", err, os.Getpid())
	}
	if msg := err.Error(); !strings.Contains(msg, "another copylab serve (process "+strconv.Itoa(os.Getpid())+") is using "+db) ||
		!strings.Contains(msg, "stop it first") {
		t.Errorf("message %q", msg)
	}
	// The same file by another name is the same lock.
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.ServeLock(link); !errors.As(err, &inUse) {
		t.Errorf("lock through a symbolic link: %v, want an InUseError", err)
	}
	release()
	again, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}
