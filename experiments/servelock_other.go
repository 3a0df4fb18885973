//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package experiments

// canLockFiles is false: lockDB does not lock here.
const canLockFiles = false

// lockDB does nothing where flock is missing: there, two servers on one
// database are not stopped (see servelock_flock.go).
func lockDB(path, holder string) (release func(), err error) { return func() {}, nil }

// lockDBUndo does nothing either.
func lockDBUndo(path, holder string) (release, undo func(), err error) {
	return func() {}, func() {}, nil
}
