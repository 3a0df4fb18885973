//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package experiments

// ServeLock does nothing where flock is missing: there, two servers on one
// database are not stopped (see servelock_flock.go).
func ServeLock(path string) (release func(), err error) { return func() {}, nil }
