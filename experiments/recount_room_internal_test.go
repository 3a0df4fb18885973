package experiments

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDryRunCopyNeedsRoom: a dry run while copylab serves the database
// counts a copy beside it, on the server's disk. Without room for the
// copy and a margin, it says how much it needs and makes no copy, rather
// than fill the disk under the server's events. With room, it counts.
func TestDryRunCopyNeedsRoom(t *testing.T) {
	ctx := context.Background()
	path := servedDB(t)
	t.Cleanup(func() { freeSpace = diskFree })

	freeSpace = func(string) (int64, bool) { return 5 << 20, true } // 5 MB left
	err := Recount(ctx, path, RecountOptions{DryRun: true}, func(RecountReport) {})
	if err == nil || !strings.Contains(err.Error(), "not enough free space beside "+path+" for the dry run's copy (it needs about 67.") ||
		!strings.Contains(err.Error(), "and 5.2 MB is free") {
		t.Errorf("a dry run on a nearly full disk: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".copylab-dry-run-*")); len(left) > 0 {
		t.Errorf("a copy was begun: %v", left)
	}

	freeSpace = func(string) (int64, bool) { return 1 << 40, true }
	if err := Recount(ctx, path, RecountOptions{DryRun: true}, func(RecountReport) {}); err != nil {
		t.Errorf("a dry run with room: %v", err)
	}
}

// TestDryRunRemovesKilledCopies: a dry run that was killed leaves its
// copy's folder beside the database. The next dry run removes such a
// folder once it is old enough and its copy unlocked, and leaves alone a
// new one (a dry run that has not locked it yet) and one a dry run holds.
func TestDryRunRemovesKilledCopies(t *testing.T) {
	if !canLockFiles {
		t.Skip("no file locks here: killed dry runs' copies are left")
	}
	ctx := context.Background()
	path := servedDB(t)
	dir := filepath.Dir(path)

	leave := func(name string, age time.Duration) string {
		t.Helper()
		d := filepath.Join(dir, ".copylab-dry-run-"+name)
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "copylab.db"), []byte("a copy"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
		return d
	}
	killed := leave("killed", time.Hour)
	fresh := leave("fresh", time.Minute)
	held := leave("held", time.Hour)
	unlock, err := lockDB(filepath.Join(held, "copylab.db"), HolderRecount)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if err := os.Chtimes(held, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err) // the lock file made it new again
	}

	if err := Recount(ctx, path, RecountOptions{DryRun: true}, func(RecountReport) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed dry run's copy is still there: %v", err)
	}
	for _, d := range []string{fresh, held} {
		if _, err := os.Stat(filepath.Join(d, "copylab.db")); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, dryRunCopies))
	if len(left) != 2 {
		t.Errorf("beside the database after the dry run: %v, want the fresh and the held copy only", left)
	}
}

// servedDB makes a database in a new folder and holds it as copylab
// serve does, for the test's length: a dry run then counts a copy.
func servedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	release, err := ServeLock(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	return path
}
