package experiments

import "fmt"

// InUseError says that another copylab serve holds the database.
type InUseError struct {
	Path string // the database file
	PID  int    // the process that holds it, when its lock file says (else 0)
}

func (e *InUseError) Error() string {
	return "another copylab serve" + e.pidText() + " is using " + e.Path + ": stop it first, or give this one its own --db"
}

// pidText is " (process N)" when the holder's process is known.
func (e *InUseError) pidText() string {
	if e.PID > 0 {
		return fmt.Sprintf(" (process %d)", e.PID)
	}
	return ""
}

// LockPath is the file beside the database that ServeLock locks.
func LockPath(dbPath string) string { return dbPath + ".lock" }
