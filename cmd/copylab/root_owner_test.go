//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// serviceUser is the user (and group) the service runs as in these tests:
// nobody, on Debian and most others.
const serviceUser = 65534

// TestRootLeavesFilesToTheFolderOwner: copylab run as root (with sudo, by
// an operator) leaves what it creates in the service's folder to the
// service's user, who owns that folder: a folder it creates takes the
// owner of the folder it is created in, and so does a new database, with
// its log, shared memory and lock files. The service's user can then open
// the database. In root's own folders, what it creates stays root's.
func TestRootLeavesFilesToTheFolderOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("run as root: it checks what root leaves to another user")
	}
	if testing.Short() {
		t.Skip("builds the copylab binary and runs it as another user")
	}
	bin := buildBinary(t)
	openToAll(t, filepath.Dir(bin))
	dir := t.TempDir()
	openToAll(t, dir)
	svc := filepath.Join(dir, "svc")
	if err := os.Mkdir(svc, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(svc, serviceUser, serviceUser); err != nil {
		t.Fatal(err)
	}

	t.Run("serve creates the database", func(t *testing.T) {
		db := filepath.Join(svc, "c.db")
		_, _, stop := serveAnyPort(t, "--db", db)
		for _, p := range []string{db, db + "-wal", db + "-shm", db + ".lock"} {
			wantOwner(t, p, serviceUser)
		}
		stop()
		asService(t, bin, "user", "add", "--db", db, "--email", "serve@example.com")
	})
	t.Run("serve creates the folder and the database", func(t *testing.T) {
		db := filepath.Join(svc, "data", "more", "c.db")
		_, _, stop := serveAnyPort(t, "--db", db)
		for _, p := range []string{filepath.Dir(filepath.Dir(db)), filepath.Dir(db), db, db + "-wal", db + "-shm", db + ".lock"} {
			wantOwner(t, p, serviceUser)
		}
		stop()
		asService(t, bin, "user", "add", "--db", db, "--email", "folder@example.com")
	})
	t.Run("restore creates the folder", func(t *testing.T) {
		backup := filepath.Join(dir, "backup.db")
		createDB(t, backup)
		db := filepath.Join(svc, "restored", "c.db")
		if _, _, err := runCmd(t, env(nil), "", "restore", "--from", backup, "--db", db); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{filepath.Dir(db), db, db + ".lock"} {
			wantOwner(t, p, serviceUser)
		}
		asService(t, bin, "user", "add", "--db", db, "--email", "restore@example.com")
	})
	t.Run("in root's folder, root's", func(t *testing.T) {
		db := filepath.Join(dir, "root", "c.db")
		if _, _, err := runCmd(t, env(nil), "", "restore", "--from", filepath.Join(dir, "backup.db"), "--db", db); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{filepath.Dir(db), db, db + ".lock"} {
			wantOwner(t, p, 0)
		}
	})
}

// openToAll lets every user into dir and the folder t.TempDir made it in,
// for a test that runs copylab as another user.
func openToAll(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// wantOwner fails t unless the file at path (not a link's target) is
// owned by user uid and group uid.
func wantOwner(t *testing.T, path string, uid int) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Error(err)
		return
	}
	st := fi.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != uid {
		t.Errorf("%s is owned by %d:%d, want %d:%d", path, st.Uid, st.Gid, uid, uid)
	}
}

// asService runs the copylab binary bin with args as the service's user,
// and fails t unless it succeeds.
func asService(t *testing.T, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/"}
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: serviceUser, Gid: serviceUser}}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("copylab %v as user %s: %v\n%s", args, strconv.Itoa(serviceUser), err, out)
	}
}
