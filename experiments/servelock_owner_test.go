//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"copylab/experiments"
)

// serviceUID is the user that tests run copylab as when they run as root:
// nobody, on Debian and most others.
const serviceUID = 65534

// lockAsEnv names the database that TestLockAsServiceUser locks, in the
// copy of the test binary that lockAs starts.
const lockAsEnv = "COPYLAB_TEST_LOCK_AS"

// TestLockAsServiceUser is not a test of its own: lockAs runs it as
// another user, to take the lock as that user's server would.
func TestLockAsServiceUser(t *testing.T) {
	db := os.Getenv(lockAsEnv)
	if db == "" {
		t.Skip("run by lockAs, as another user")
	}
	release, err := experiments.ServeLock(db)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	release()
	fmt.Println("locked")
	os.Exit(0)
}

// lockAs takes the serve lock on db as the user uid (group uid too), in
// a copy of this test binary that user can run, and returns the error it
// got ("" when it locked). The test must run as root.
func lockAs(t *testing.T, uid int, db string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(openTempDir(t), "copylab.test")
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(bin, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(bin, "-test.run=^TestLockAsServiceUser$")
	cmd.Env = append(os.Environ(), lockAsEnv+"="+db)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
	b, err := cmd.CombinedOutput()
	got := strings.TrimSpace(string(b))
	switch {
	case err == nil && got == "locked":
		return ""
	case strings.HasPrefix(got, "error: "):
		return strings.TrimPrefix(got, "error: ")
	}
	t.Fatalf("lock as user %d: %v: %s", uid, err, got)
	return ""
}

// asRoot skips a test that needs to be root (to give files to another
// user).
func asRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root, to give files to another user")
	}
}

// openTempDir is t.TempDir, which every user may enter.
func openTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// ownerOf returns the user and group that own the file at path, and its
// permission bits.
func ownerOf(t *testing.T, path string) (uid, gid int, perm os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	return int(sys.Uid), int(sys.Gid), st.Mode().Perm()
}

// TestRestoreAsRootLeavesFilesTheServiceCanOpen: a restore run as root
// (with sudo) into the folder of a service that runs as another user
// leaves a lock file and a database that user owns, so that its server
// starts. Before, a lock file the restore created belonged to root, mode
// 0600, and the server failed with "open copylab.db.lock: permission
// denied"; a database restored where there was none belonged to root.
func TestRestoreAsRootLeavesFilesTheServiceCanOpen(t *testing.T) {
	asRoot(t)
	ctx := context.Background()
	_, backup := backedUp(t, "Shop")

	for _, tt := range []struct {
		name     string
		existing bool // a database is in place, the service's
	}{
		{"over the service's database", true},
		{"where there was none", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(openTempDir(t), "data")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(dir, serviceUID, serviceUID); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "copylab.db")
			if tt.existing {
				s, err := experiments.Open(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				if err := os.Chown(db, serviceUID, serviceUID); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := os.Lstat(experiments.LockPath(db)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a lock file before the restore: %v", err)
			}
			if _, err := experiments.Restore(ctx, backup, db); err != nil {
				t.Fatalf("restore: %v", err)
			}
			for _, path := range []string{db, experiments.LockPath(db)} {
				if uid, gid, perm := ownerOf(t, path); uid != serviceUID || gid != serviceUID || perm&0o600 != 0o600 {
					t.Errorf("%s belongs to %d:%d, mode %o; want %d:%d, readable and writable by its owner",
						filepath.Base(path), uid, gid, perm, serviceUID, serviceUID)
				}
			}
			if msg := lockAs(t, serviceUID, db); msg != "" {
				t.Errorf("the service's server, after the restore: %s", msg)
			}
		})
	}
}

// TestLockInAFolderNotWritable: a server whose database's folder it
// cannot write to is told so, with the folder named. Before, it was told
// "no such file or directory": the read-only second try, for a lock file
// of another user, hid the first error. Root may write anywhere: as root,
// the test takes the lock as the service's user.
func TestLockInAFolderNotWritable(t *testing.T) {
	dir := filepath.Join(openTempDir(t), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "copylab.db")
	s, err := experiments.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	var msg string
	if os.Geteuid() == 0 {
		if err := os.Chown(db, serviceUID, serviceUID); err != nil {
			t.Fatal(err)
		}
		msg = lockAs(t, serviceUID, db)
	} else {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		release, err := experiments.ServeLock(db)
		if err == nil {
			release()
			t.Fatal("locked in a folder this process cannot write to")
		}
		msg = err.Error()
	}
	want := dir + " is not writable by this user: check the owner and mode of the folder, or choose another --db (COPYLAB_DB)"
	if msg != want {
		t.Errorf("lock: %q, want %q", msg, want)
	}
}
