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
