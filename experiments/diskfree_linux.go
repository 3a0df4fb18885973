//go:build linux

package experiments

import "syscall"

// diskFree is how many bytes an unprivileged process may still write on
// the file system that holds dir, and whether that could be read.
func diskFree(dir string) (int64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}
