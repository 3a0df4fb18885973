package experiments

import (
	"io/fs"
	"os"
	"path/filepath"
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
