//go:build linux

package experiments_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestLockRefusalsInASentence: a database path that the lock, or the
// store, cannot use is refused in one sentence that names the absolute
// path at fault and says what to do, as "… is not writable by this user"
// does, rather than in Go's chain of errors ("experiments: lock
// data/copylab.db: mkdir data: permission denied").
func TestLockRefusalsInASentence(t *testing.T) {
	asRoot(t) // to take the lock as a user who may not write the folder
	base := openTempDir(t)
	file := filepath.Join(base, "index.html")
	if err := os.WriteFile(file, []byte("<p>hi</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder that exists, which the service's user may not write to.
	closed := filepath.Join(base, "closed")
	if err := os.Mkdir(closed, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, db, want string
		as             int // the user that takes the lock; 0: this process
	}{
		{"no right to create the folder", filepath.Join(base, "data", "copylab.db"),
			filepath.Join(base, "data") + " does not exist, and this user may not create it: check the owner and mode of " + base + ", or choose another --db (COPYLAB_DB)",
			serviceUID},
		{"no right to create the lock file", filepath.Join(closed, "copylab.db"),
			closed + " is not writable by this user: check the owner and mode of the folder, or choose another --db (COPYLAB_DB)",
			serviceUID},
		{"a file where a folder should be", filepath.Join(file, "x.db"),
			file + " is a file, not a folder, so it cannot hold x.db: choose another --db (COPYLAB_DB)", 0},
		{"a folder that takes no files", "/proc/copylab.db",
			"/proc does not let copylab create copylab.db.lock beside the database (no such file or directory): choose another --db (COPYLAB_DB), in a folder this user may write to", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var msg string
			if tt.as != 0 {
				msg = lockAs(t, tt.as, tt.db)
			} else {
				release, err := experiments.ServeLock(tt.db)
				if err == nil {
					release()
					t.Fatal("locked")
				}
				msg = err.Error()
			}
			if msg != tt.want {
				t.Errorf("lock: %q\nwant %q", msg, tt.want)
			}
		})
	}
}

// TestOpenAFolder: --db naming a folder is refused as one, with the file
// to give instead. Before: "experiments: cannot read DIR: disk I/O
// error: is a directory".
func TestOpenAFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := experiments.Open(context.Background(), dir)
	want := dir + " is a folder, not a database file: give --db (COPYLAB_DB) the path of the file, such as " + filepath.Join(dir, "copylab.db")
	if err == nil || err.Error() != want {
		t.Errorf("open: %v\nwant %q", err, want)
	}
}
