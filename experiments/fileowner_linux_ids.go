//go:build linux && !386 && !arm

package experiments

import "syscall"

// The system calls that take 32-bit user and group ids.
const (
	sysSetgroups = syscall.SYS_SETGROUPS
	sysSetfsuid  = syscall.SYS_SETFSUID
	sysSetfsgid  = syscall.SYS_SETFSGID
)
