//go:build unix

package experiments

import (
	"io/fs"
	"os"
	"syscall"
)

// sameOwner gives the file at path the owner and group of like, when this
// process runs as root (a restore, or a first start, run with sudo must
// leave files the service's user can open); otherwise it does nothing. A
// symbolic link at path is changed itself, never the file it points to:
// the folder it is in may be another user's, who could have put one there
// in place of the file copylab made, pointing at any file of the system.
func sameOwner(path string, like fs.FileInfo) {
	if uid, gid, ok := owner(like); ok {
		os.Lchown(path, uid, gid)
	}
}

// sameOwnerFile is sameOwner for an open file: the file itself, whatever
// its name points to now.
func sameOwnerFile(f *os.File, like fs.FileInfo) {
	if uid, gid, ok := owner(like); ok {
		f.Chown(uid, gid)
	}
}

// owner is the owner and group of fi, and whether files are to be given
// them: only by root, the only user who may give a file to another.
func owner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}
