//go:build linux

package experiments

import (
	"fmt"
	"runtime"
	"syscall"
)

// asUser runs fn with the file rights of user uid and group gid, and no
// other group, and returns its error. Run as root in a folder of the
// service's user, copylab writes there with that user's rights: what it
// creates is that user's from the start, and a name that user swapped for
// a symbolic link (to any file of the system) leads root nowhere that
// user could not go. SQLite, which writes a snapshot by its name and
// follows links to do it, gives no other way to refuse them.
//
// Linux keeps these rights per thread: fn runs on a thread of its own,
// which ends with it and so never serves another goroutine with them. A
// connection fn uses keeps the rights it was opened with; what fn opens
// has the user's.
func asUser(uid, gid int, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: the thread exits with this goroutine (Go's
		// LockOSThread), and with it the rights changed below.
		runtime.LockOSThread()
		if err := fileRights(uid, gid); err != nil {
			errc <- err
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// fileRights gives the calling thread the file rights of uid and gid,
// with no supplementary group (root's would otherwise still open files to
// it), through the raw system calls: Go's and the C library's wrappers
// change every thread of the process.
func fileRights(uid, gid int) error {
	if _, _, e := syscall.RawSyscall(sysSetgroups, 0, 0, 0); e != 0 {
		return fmt.Errorf("setgroups: %w", e)
	}
	// setfsgid and setfsuid answer the previous value, never an error:
	// asking a second time tells whether the first took.
	syscall.RawSyscall(sysSetfsgid, uintptr(gid), 0, 0)
	if r, _, _ := syscall.RawSyscall(sysSetfsgid, uintptr(gid), 0, 0); int(r) != gid {
		return fmt.Errorf("setfsgid %d: refused", gid)
	}
	syscall.RawSyscall(sysSetfsuid, uintptr(uid), 0, 0)
	if r, _, _ := syscall.RawSyscall(sysSetfsuid, uintptr(uid), 0, 0); int(r) != uid {
		return fmt.Errorf("setfsuid %d: refused", uid)
	}
	return nil
}
