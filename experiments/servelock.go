package experiments

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The copylab commands that take the lock on a database, as its lock file
// names them for the message the next one gets (InUseError.Holder).
const (
	HolderServe   = "serve"
	HolderRecount = "recount"
	HolderRestore = "restore"
)

// holders are the names a lock file may give; anything else in it is not
// quoted.
var holders = []string{HolderServe, HolderRecount, HolderRestore}

// InUseError says that another copylab command holds the database.
type InUseError struct {
	// Path is the database file, absolute: an operator with two
	// checkouts, each with its own data/copylab.db, is told which.
	Path string
	PID  int // the process that holds it, when its lock file says (else 0)
	// Holder is the command that holds it (HolderServe, …), when its lock
	// file says (else "": a lock file written before the command was).
	Holder string
}

// Error is the message a server that cannot start gets.
func (e *InUseError) Error() string {
	return e.message("stop it first, or give this one its own --db")
}

// message is "PATH is in use by copylab HOLDER (process N): ADVICE", where
// stop is the advice about a server (or a holder not named). A recount or
// a restore ends by itself: the advice is to wait for it.
func (e *InUseError) message(stop string) string {
	who := "copylab"
	if e.Holder != "" {
		who += " " + e.Holder
	}
	if e.PID > 0 {
		who += fmt.Sprintf(" (process %d)", e.PID)
	}
	if e.Holder == HolderRecount || e.Holder == HolderRestore {
		stop = "wait for it to finish"
	}
	return e.Path + " is in use by " + who + ": " + stop
}

// lockFileText is what a holder writes in the lock file: its process id
// on the first line, its command on the second.
func lockFileText(pid int, holder string) string {
	return strconv.Itoa(pid) + "\n" + holder + "\n"
}

// parseLockFile reads a lock file's text: the process id, and the command
// when there is a second line naming one (an older copylab wrote only the
// process id).
func parseLockFile(text string) (pid int, holder string) {
	first, rest, _ := strings.Cut(text, "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(first))
	rest, _, _ = strings.Cut(rest, "\n")
	if rest = strings.TrimSpace(rest); slices.Contains(holders, rest) {
		holder = rest
	}
	return pid, holder
}

// ServeLock claims the database at path for this process's server (see
// lockDB).
func ServeLock(path string) (release func(), err error) { return lockDB(path, HolderServe) }

// ServeLockUndo is ServeLock, and undo, which releases the lock too and
// removes what taking it created: the lock file, and the folders made
// for the database while still empty. A server that stops before it
// opens the database (its port in use, say) undoes the lock rather than
// release it, and so leaves nothing new behind.
func ServeLockUndo(path string) (release, undo func(), err error) {
	return lockDBUndo(path, HolderServe)
}

// LockPath is the file beside the database that ServeLock locks.
func LockPath(dbPath string) string { return dbPath + ".lock" }
