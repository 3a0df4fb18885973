package experiments

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ownerModel is the file whose owner and group a file that copylab writes
// for the database at path takes (its lock file, a restored copy): the
// database itself, or, where there is none yet, its folder. Run as root
// (a restore with sudo), copylab must leave files that the service's user,
// who owns the database or its folder, can open.
func ownerModel(path string) (fs.FileInfo, error) {
	if st, err := os.Stat(path); err == nil {
		return st, nil
	}
	return os.Stat(filepath.Dir(path))
}

// mkdirAll is os.MkdirAll, except that each folder it creates takes the
// owner and group of the folder it is created in (see sameOwner): a
// folder that root creates for the database, in a folder of the
// service's user, is that user's, who could not write in it otherwise.
// Folders that were there already are left as they are.
func mkdirAll(dir string, perm fs.FileMode) error {
	if fi, err := os.Stat(dir); err == nil {
		if fi.IsDir() {
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirAll(parent, perm); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, perm); err != nil {
		if fi, serr := os.Lstat(dir); serr == nil && fi.IsDir() {
			return nil // another process made it meanwhile: theirs
		}
		return err
	}
	if like, err := os.Stat(parent); err == nil {
		sameOwner(dir, like)
	}
	return nil
}

// inFolder runs fn, which creates and writes files in the folder dir,
// with the file rights of dir's owner when copylab runs as root and dir is
// another user's (see asUser): that user may swap any name in the folder
// for a symbolic link, at any moment, and root must not write through it.
// A user who cannot reach dir (a folder of theirs inside one of root's)
// cannot change its names either; there, and where a thread cannot take
// another user's rights, fn runs with this process's.
func inFolder(dir string, fn func() error) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fn() // fn says what is wrong with dir
	}
	uid, gid, ok := owner(st)
	if !ok || uid == 0 {
		return fn()
	}
	reached := false
	err = asUser(uid, gid, func() error {
		if _, err := os.Stat(dir); err != nil {
			return err
		}
		reached = true
		return fn()
	})
	if !reached {
		return fn()
	}
	return err
}
