package experiments

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDryRunCopyNeedsRoom: a dry run while copylab serves the database
// counts a copy beside it, on the server's disk. Without room for the
// copy and a margin, it says how much it needs and makes no copy, rather
// than fill the disk under the server's events. With room, it counts.
func TestDryRunCopyNeedsRoom(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	release, err := ServeLock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	t.Cleanup(func() { freeSpace = diskFree })

	freeSpace = func(string) (int64, bool) { return 5 << 20, true } // 5 MB left
	err = Recount(ctx, path, RecountOptions{DryRun: true}, func(RecountReport) {})
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
