//go:build unix

package experiments

import (
	"io/fs"
	"os"
	"syscall"
)

// sameOwner gives the file at path the owner and group of like, where this
// process may (as root it may: a restore run with sudo must leave a file
// the service's user can open). Elsewhere it does nothing.
func sameOwner(path string, like fs.FileInfo) {
	if uid, gid, ok := owner(like); ok {
		os.Chown(path, uid, gid)
	}
}

// sameOwnerFile is sameOwner for an open file.
func sameOwnerFile(f *os.File, like fs.FileInfo) {
	if uid, gid, ok := owner(like); ok {
		f.Chown(uid, gid)
	}
}

func owner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}
