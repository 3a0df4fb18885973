//go:build linux && (386 || arm)

package experiments

import "syscall"

// The system calls that take 32-bit user and group ids: on these
// architectures the ones without the suffix take 16-bit ids.
const (
	sysSetgroups = syscall.SYS_SETGROUPS32
	sysSetfsuid  = syscall.SYS_SETFSUID32
	sysSetfsgid  = syscall.SYS_SETFSGID32
)
