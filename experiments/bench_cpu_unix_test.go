//go:build unix

package experiments_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used (user and system): a
// measure that other programs sharing the machine disturb less than the
// wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
