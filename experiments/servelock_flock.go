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
	release, _, err = lockDBUndo(path, holder)
	return release, err
}

// lockDBUndo is lockDB, and undo, which releases the lock too, and removes
// what taking it created: the lock file, and the folders made for the
// database when they are still empty. Only what this call created is
// removed, never a lock file or a folder that was there before it.
func lockDBUndo(path, holder string) (release, undo func(), err error) {
	// The folders to make, the deepest first: those undo may remove.
	var made []string
	if dir := filepath.Dir(path); dir != "" {
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
				break
			}
			made = append(made, d)
			if filepath.Dir(d) == d {
				break
			}
		}
		if err := mkdirAll(dir, 0o700); err != nil {
			return nil, nil, lockError(path, err)
		}
	}
	removeMade := func() {
		for _, d := range made {
			if os.Remove(d) != nil { // not empty: another's now
				return
			}
		}
	}
	// One lock for one file, whatever the path that names it.
	lockPath := LockPath(path)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		lockPath = LockPath(real)
	}
	var f *os.File
	var created bool
	for try := 1; ; try++ {
		f, created, err = openLockFile(lockPath)
		if err != nil {
			removeMade()
			return nil, nil, lockError(path, err)
		}
		// The lock file takes the database's owner, where this process
		// may: a restore or a recount run as root must not leave one
		// that the service's user cannot open, which would keep its
		// server from starting. Run as root again, it mends a lock file
		// an older copylab left to root.
		if like, err := ownerModel(path); err == nil {
			sameOwnerFile(f, like)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			b := make([]byte, 64)
			n, _ := f.ReadAt(b, 0)
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				pid, holder := parseLockFile(string(b[:n]))
				return nil, nil, &InUseError{Path: absPath(path), PID: pid, Holder: holder}
			}
			return nil, nil, fmt.Errorf("experiments: lock %s: %w", path, err)
		}
		// A start that stopped early removes the lock file it created
		// (undo): one opened before that and locked after holds a file
		// that no longer has the name, and another process may have
		// made a new one. Lock the file that has it.
		fi, ferr := f.Stat()
		li, lerr := os.Stat(lockPath)
		if ferr != nil || lerr != nil || os.SameFile(fi, li) || try == 3 {
			break
		}
		f.Close()
	}
	fd := int(f.Fd())
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(lockFileText(os.Getpid(), holder)), 0)
	}
	release = func() {
		f.Truncate(0)
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}
	undo = func() {
		if created {
			// Removed while still locked: a process that opened it
			// meanwhile finds it locked, and one that comes later
			// creates its own.
			os.Remove(lockPath)
		}
		release()
		if created {
			removeMade()
		}
	}
	return release, undo, nil
}

// lockError words a failure to make the database's folder, or the lock
// file in it, for the operator, who reads it after "copylab: " (or
// "restore: "): in one sentence that names the folder at fault by its
// absolute path and says what to do. It keeps the system's error in its
// chain.
func lockError(path string, err error) error {
	abs := absPath(path)
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return fmt.Errorf("experiments: lock %s: %w", abs, err)
	}
	// pe.Path is the folder for mkdir, the lock file for open.
	dir := absPath(pe.Path)
	_, serr := os.Lstat(pe.Path)
	var msg string
	switch {
	case errors.Is(err, syscall.EROFS):
		// Checked before the owner and mode, which are not at fault:
		// even root may not write there.
		msg = filepath.Dir(dir) + " is on a read-only file system, and copylab writes the database and its lock file there: " +
			"remount it read-write, or choose another --db (COPYLAB_DB)"
	case pe.Op != "mkdir" && serr == nil && errors.Is(err, fs.ErrPermission):
		// The lock file is there, but not to be opened by this user.
		msg = dir + " is not readable by this user: check the owner and mode of the file and its folder"
	case pe.Op != "mkdir" && serr == nil:
		msg = "copylab cannot open " + dir + " (" + pe.Err.Error() + "): check the file and its folder"
	case pe.Op == "mkdir" && errors.Is(err, syscall.ENOTDIR):
		rest, rerr := filepath.Rel(dir, abs)
		if rerr != nil {
			rest = filepath.Base(abs)
		}
		msg = dir + " is a file, not a folder, so it cannot hold " + rest + ": choose another --db (COPYLAB_DB)"
	case pe.Op == "mkdir" && errors.Is(err, fs.ErrPermission):
		msg = dir + " does not exist, and this user may not create it: check the owner and mode of " + filepath.Dir(dir) +
			", or choose another --db (COPYLAB_DB)"
	case pe.Op == "mkdir":
		msg = "copylab cannot create the folder " + dir + " for the database (" + pe.Err.Error() + "): choose another --db (COPYLAB_DB)"
	case errors.Is(err, fs.ErrPermission):
		msg = filepath.Dir(dir) + " is not writable by this user: check the owner and mode of the folder, or choose another --db (COPYLAB_DB)"
	default:
		msg = filepath.Dir(dir) + " does not let copylab create " + filepath.Base(dir) + " beside the database (" + pe.Err.Error() +
			"): choose another --db (COPYLAB_DB), in a folder this user may write to"
	}
	return &wordedError{msg, err}
}

// openLockFile opens the lock file at lockPath, creating it (mode 0600)
// if there is none, and says whether it created it. Another user's lock
// file (the service's, for a restore run as root) may be open to this
// process for reading only: a read-only descriptor locks as well; only
// the process id and holder go unwritten. A lock file that cannot be
// created is reported with the error of its creation, which lockError
// says of its folder (one this process may not write to, say), rather
// than the read-only second try's.
func openLockFile(lockPath string) (f *os.File, created bool, err error) {
	for range 3 {
		f, err = os.OpenFile(lockPath, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrPermission) {
			f, err = os.Open(lockPath)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return f, false, err
		}
		f, err = os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process created it meanwhile: open theirs
		}
		return f, err == nil, err
	}
	return nil, false, err
}
