//go:build linux

package experiments_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"copylab/experiments"
)

// serviceUser is the user (and group) that owns the service's folder in
// these tests: nobody, on Debian and most others.
const serviceUser = 65534

// rootTree makes, in a fresh temporary folder every user may enter, a
// folder of the service's user ("svc") and a folder only root may enter
// ("root-only"), and returns the three.
func rootTree(t *testing.T) (dir, svc, rootOnly string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("run as root: it checks what root leaves in another user's folder")
	}
	dir = t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	svc, rootOnly = filepath.Join(dir, "svc"), filepath.Join(dir, "root-only")
	if err := os.Mkdir(svc, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(svc, serviceUser, serviceUser); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(rootOnly, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, svc, rootOnly
}

// ownedBy fails t unless the file at path (a link itself, not its target)
// is a regular file of user and group uid with the permissions perm.
func ownedBy(t *testing.T, path string, uid int, perm fs.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Error(err)
		return
	}
	st := fi.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != uid || !fi.Mode().IsRegular() || fi.Mode().Perm() != perm {
		t.Errorf("%s: %s owned by %d:%d, want a file %s owned by %d:%d", path, fi.Mode(), st.Uid, st.Gid, perm, uid, uid)
	}
}

// TestBackupAsRootIsTheFolderOwners: a backup that root writes in the
// service's folder is the service's user's, as a database root creates
// there is, readable by that user only; in root's own folder it stays
// root's. So is one in a folder of the service's user that this user
// cannot reach (root may).
func TestBackupAsRootIsTheFolderOwners(t *testing.T) {
	dir, svc, rootOnly := rootTree(t)
	live := openStore(t)
	addSite(t, live, "Shop")
	ctx := context.Background()

	unreachable := filepath.Join(rootOnly, "svc")
	if err := os.Mkdir(unreachable, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(unreachable, serviceUser, serviceUser); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, out string
		uid       int
	}{
		{"a file in the service's folder", filepath.Join(svc, "b.db"), serviceUser},
		{"the service's folder", svc + "/", serviceUser},
		{"a folder its owner cannot reach", unreachable + "/", serviceUser},
		{"root's folder", dir + "/", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			info, err := experiments.Backup(ctx, live.Path(), tt.out)
			if err != nil {
				t.Fatal(err)
			}
			ownedBy(t, info.Path, tt.uid, 0o600)
			if names := siteNames(t, info.Path); len(names) != 1 || names[0] != "Shop" {
				t.Errorf("the backup holds the sites %q, want Shop", names)
			}
			if st, err := os.Stat(info.Path); err != nil || st.Size() != info.Bytes {
				t.Errorf("BackupInfo.Bytes %d, the file %v (%v)", info.Bytes, st, err)
			}
		})
	}
}

// TestRootWritesNothingThroughASwappedName: the service's user owns the
// folder root restores or backs up into, and can put a symbolic link in
// place of the temporary file copylab has just created there, pointing
// at a file of root's. Root must never write through it (it used to
// snapshot the database into the name, through the link): it fails, or
// copies into a file of its own, but the link's target is never created.
func TestRootWritesNothingThroughASwappedName(t *testing.T) {
	for _, tt := range []struct {
		name   string
		marker string // in the temporary file's name
		run    func(ctx context.Context, backup, live, svc string) error
	}{
		{"restore", ".restoring-", func(ctx context.Context, backup, _, svc string) error {
			_, err := experiments.Restore(ctx, backup, filepath.Join(svc, "c.db"))
			return err
		}},
		{"backup", ".partial-", func(ctx context.Context, _, live, svc string) error {
			_, err := experiments.Backup(ctx, live, filepath.Join(svc, "b.db"))
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, svc, rootOnly := rootTree(t)
			live, backup := backedUp(t, "Shop")
			planted := filepath.Join(rootOnly, "planted.db")
			swapped := swapOnCreate(t, svc, tt.marker, planted)
			err := tt.run(context.Background(), backup, live.Path(), svc)
			if !swapped() {
				t.Skip("the swap did not happen in time")
			}
			if _, serr := os.Lstat(planted); serr == nil {
				t.Fatalf("root wrote %s through the link (the run's error: %v)", planted, err)
			}
			t.Logf("with the name swapped: %v", err)
		})
	}
}

// swapOnCreate watches the folder dir and replaces the first file created
// there whose name holds marker with a symbolic link to target, as the
// folder's owner could. It returns a function that tells whether it did.
func swapOnCreate(t *testing.T, dir, marker, target string) func() bool {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE); err != nil {
		syscall.Close(fd)
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "inotify")
	var mu sync.Mutex
	done, did := make(chan struct{}), false
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			for off := 0; off+syscall.SizeofInotifyEvent <= n; {
				ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
				name := strings.TrimRight(string(buf[off+syscall.SizeofInotifyEvent:off+syscall.SizeofInotifyEvent+int(ev.Len)]), "\x00")
				off += syscall.SizeofInotifyEvent + int(ev.Len)
				if !strings.Contains(name, marker) {
					continue
				}
				p := filepath.Join(dir, name)
				if os.Remove(p) == nil && os.Symlink(target, p) == nil {
					mu.Lock()
					did = true
					mu.Unlock()
				}
				return
			}
		}
	}()
	stop := func() {
		f.SetReadDeadline(time.Now())
		<-done
		f.Close()
	}
	t.Cleanup(stop)
	return func() bool {
		select {
		case <-done:
		case <-time.After(time.Second):
		}
		mu.Lock()
		defer mu.Unlock()
		return did
	}
}
