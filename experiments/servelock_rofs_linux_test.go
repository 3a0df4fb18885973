//go:build linux

package experiments_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"copylab/experiments"
)

// readOnlyVolume mounts a small file system of its own on a new folder,
// lets fill write to it, then remounts it read-only, as an operator's
// volume can be (by an administrator, or by the kernel after errors). It
// needs root, and skips without: a unit test injects the error instead
// (TestLockErrorReadOnly).
func readOnlyVolume(t *testing.T, fill func(dir string)) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=8m"); err != nil {
		t.Skipf("cannot mount a file system here (%v): the read-only case is tested by injection", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	fill(dir)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=8m"); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	return dir
}

// TestReadOnlyVolume: with the database's volume read-only, the lock
// (serve, restore, recount) and backup say that the file system is
// read-only, not that the lock file is unreadable by this user, nor that
// a file that is there does not exist.
func TestReadOnlyVolume(t *testing.T) {
	ctx := context.Background()
	dir := readOnlyVolume(t, func(dir string) {
		db := filepath.Join(dir, "c.db")
		s, err := experiments.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		release, err := experiments.ServeLock(db)
		if err != nil {
			t.Fatal(err)
		}
		release()
		s.Close()
	})
	db := filepath.Join(dir, "c.db")
	if _, err := os.Stat(db + ".lock"); err != nil {
		t.Fatalf("no lock file: %v", err)
	}
	wantRO := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "read-only file system") ||
			strings.Contains(err.Error(), "not readable by this user") || strings.Contains(err.Error(), "no such file") {
			t.Errorf("%s on a read-only volume: %v", what, err)
		}
	}
	_, err := experiments.ServeLock(db)
	wantRO("serve", err)
	_, err = experiments.Backup(ctx, db, filepath.Join(t.TempDir(), "b.db"))
	wantRO("backup", err)
	err = experiments.Recount(ctx, db, experiments.RecountOptions{}, nil)
	wantRO("recount", err)
	// Opening the database itself (serve's open after its lock) names
	// the file system, not the owner and mode.
	if s, err := experiments.Open(ctx, db); err == nil {
		s.Close()
		t.Error("open on a read-only volume: no error")
	} else {
		wantRO("open", err)
		if strings.Contains(err.Error(), "owner and mode") {
			t.Errorf("open on a read-only volume blames the owner and mode: %v", err)
		}
	}

	// A restore onto the read-only volume, from a backup elsewhere.
	src := filepath.Join(t.TempDir(), "src.db")
	s, err := experiments.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = experiments.Restore(ctx, src, db)
	wantRO("restore", err)
}
