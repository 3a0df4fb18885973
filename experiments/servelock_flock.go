//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// canLockFiles is true where lockDB locks.
const canLockFiles = true

// lockDB claims the database at path for this process, which runs the
// copylab command holder (HolderServe, …), so that a second server on the
// same file refuses to start: two would each send the same notifications
// and keep their own rate limits and drafting jobs. A recount or a restore
// takes it too, to run while no server does. It takes an exclusive
// advisory lock (flock) on LockPath(path) and writes the process id and
// holder in it, for the message the next one gets (an *InUseError). The
// system releases the lock when the process ends, even by SIGKILL; release
// does it sooner. Commands that only open the database (user add, token
// create, backup) do not take it.
//
// The lock is on a file of its own: SQLite's locks on the database file are
// POSIX locks, which closing any other descriptor of that file would drop.
func lockDB(path, holder string) (release func(), err error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := mkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("experiments: lock %s: %w", path, err)
		}
	}
	// One lock for one file, whatever the path that names it.
	lockPath := LockPath(path)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		lockPath = LockPath(real)
	}
	f, err := openLockFile(lockPath)
	if err != nil {
		return nil, fmt.Errorf("experiments: lock %s: %w", path, err)
	}
	// The lock file takes the database's owner, where this process may: a
	// restore or a recount run as root must not leave one that the
	// service's user cannot open, which would keep its server from
	// starting. Run as root again, it mends a lock file an older copylab
	// left to root.
	if like, err := ownerModel(path); err == nil {
		sameOwnerFile(f, like)
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 64)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, holder := parseLockFile(string(b[:n]))
			return nil, &InUseError{Path: path, PID: pid, Holder: holder}
		}
		return nil, fmt.Errorf("experiments: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(lockFileText(os.Getpid(), holder)), 0)
	}
	return func() {
		f.Truncate(0)
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}, nil
}

// openLockFile opens the lock file at lockPath, creating it (mode 0600)
// if there is none. Another user's lock file (the service's, for a
// restore run as root) may be open to this process for reading only: a
// read-only descriptor locks as well; only the process id and holder go
// unwritten. A lock file that cannot be created is said of its folder
// (one this process may not write to, say), with the system's reason.
func openLockFile(lockPath string) (*os.File, error) {
	var err error
	for range 3 {
		var f *os.File
		f, err = os.OpenFile(lockPath, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrPermission) {
			f, err = os.Open(lockPath)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
		f, err = os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process created it meanwhile: open theirs
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot create %s in %s: %w", filepath.Base(lockPath), filepath.Dir(lockPath), pe.Err)
		}
		return f, err
	}
	return nil, err
}
