//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package experiments_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"copylab/experiments"
)

func TestServeLock(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "copylab.db")
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if b, _ := os.ReadFile(experiments.LockPath(db)); string(b) != strconv.Itoa(os.Getpid())+"\nserve\n" {
		t.Errorf("lock file holds %q, want this process's id and serve", b)
	}
	// A second open of the file conflicts, as another process's would
	// (flock locks belong to the open file, not the process).
	_, err = experiments.ServeLock(db)
	var inUse *experiments.InUseError
	if !errors.As(err, &inUse) || inUse.PID != os.Getpid() || inUse.Path != db || inUse.Holder != experiments.HolderServe {
		t.Fatalf("second lock: %v, want an InUseError naming serve and process %d", err, os.Getpid())
	}
	if msg, want := err.Error(), db+" is in use by copylab serve (process "+strconv.Itoa(os.Getpid())+"): stop it first, or give this one its own --db"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
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

// TestServeLockHolder: the refusal names the copylab command that holds
// the database, from its lock file: a server starting, a recount or a
// restore during a recount are told to wait for it to finish, not that a
// server holds it. A lock file of an older copylab, which has only the
// process id, still reads, as does one naming no command copylab has (it
// is not quoted). Before, every refusal said a server held the database.
func TestServeLockHolder(t *testing.T) {
	ctx := context.Background()
	f := evNewFixture(t)
	db := f.s.Path()
	pid := strconv.Itoa(os.Getpid())
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := experiments.Backup(ctx, db, backup); err != nil {
		t.Fatal(err)
	}

	reports := 0
	err := experiments.Recount(ctx, db, experiments.RecountOptions{}, func(experiments.RecountReport) {
		reports++
		if reports > 1 {
			return
		}
		_, err := experiments.ServeLock(db)
		var inUse *experiments.InUseError
		if !errors.As(err, &inUse) || inUse.Holder != experiments.HolderRecount || inUse.PID != os.Getpid() {
			t.Errorf("serve during a recount: %v, want an InUseError naming recount", err)
		}
		if want := db + " is in use by copylab recount (process " + pid + "): wait for it to finish"; err == nil || err.Error() != want {
			t.Errorf("serve during a recount: %v, want %q", err, want)
		}
		_, err = experiments.Restore(ctx, backup, db)
		if want := "restore: " + db + " is in use by copylab recount (process " + pid + "): wait for it to finish"; err == nil || err.Error() != want {
			t.Errorf("restore during a recount: %v, want %q", err, want)
		}
		err = experiments.Recount(ctx, db, experiments.RecountOptions{}, nil)
		if want := "recount: " + db + " is in use by copylab recount (process " + pid + "): wait for it to finish"; err == nil || err.Error() != want {
			t.Errorf("recount during a recount: %v, want %q", err, want)
		}
	})
	if err != nil || reports == 0 {
		t.Fatalf("recount: %v after %d reports", err, reports)
	}

	for _, tt := range []struct{ name, file, want string }{
		{"older copylab", "4242\n", db + " is in use by copylab (process 4242): stop it first, or give this one its own --db"},
		{"unknown command", "4242\nrm -rf /\n", db + " is in use by copylab (process 4242): stop it first, or give this one its own --db"},
		{"restore", "4242\nrestore\n", db + " is in use by copylab restore (process 4242): wait for it to finish"},
		{"no process id", "\nrecount\n", db + " is in use by copylab recount: wait for it to finish"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			release, err := experiments.ServeLock(db)
			if err != nil {
				t.Fatal(err)
			}
			defer release()
			// The held lock is on the open file, not its text: rewrite it
			// as another holder would have written it.
			if err := os.WriteFile(experiments.LockPath(db), []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := experiments.ServeLock(db); err == nil || err.Error() != tt.want {
				t.Errorf("ServeLock: %v, want %q", err, tt.want)
			}
		})
	}
}
