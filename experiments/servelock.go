package experiments

import "fmt"

// InUseError says that another copylab serve holds the database.
type InUseError struct {
	Path string // the database file
	PID  int    // the process that holds it, when its lock file says (else 0)
}

func (e *InUseError) Error() string {
	who := "another copylab serve"
	if e.PID > 0 {
		who = fmt.Sprintf("another copylab serve (process %d)", e.PID)
	}
	return who + " is using " + e.Path + ": stop it first, or give this one its own --db"
}

// LockPath is the file beside the database that ServeLock locks.
func LockPath(dbPath string) string { return dbPath + ".lock" }
