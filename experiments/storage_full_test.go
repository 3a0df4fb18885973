package experiments_test

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	sqlite3 "github.com/mattn/go-sqlite3"

	"copylab/experiments"
)

// TestIsStorageFull: the codes SQLite gives for lack of space, however
// wrapped, and only those, are a full storage. SQLite's I/O errors carry
// the system's errno; a full volume is told from a failing one by it.
func TestIsStorageFull(t *testing.T) {
	ioerr := func(ext sqlite3.ErrNoExtended, errno syscall.Errno) error {
		return sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: ext, SystemErrno: errno}
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"SQLITE_FULL", sqlite3.Error{Code: sqlite3.ErrFull}, true},
		{"SQLITE_FULL wrapped", fmt.Errorf("experiments: create session: %w", sqlite3.Error{Code: sqlite3.ErrFull}), true},
		{"write, no space", ioerr(sqlite3.ErrIoErrWrite, syscall.ENOSPC), true},
		{"fsync, quota", ioerr(sqlite3.ErrIoErrFsync, syscall.EDQUOT), true},
		{"truncate, no space", ioerr(sqlite3.ErrIoErrTruncate, syscall.ENOSPC), true},
		{"shm size", ioerr(sqlite3.ErrIoErrSHMSize, 0), true},
		{"write, a bad disk", ioerr(sqlite3.ErrIoErrWrite, syscall.EIO), false},
		{"read, no errno", ioerr(sqlite3.ErrIoErrRead, 0), false},
		{"busy", sqlite3.Error{Code: sqlite3.ErrBusy}, false},
		{"read-only", sqlite3.Error{Code: sqlite3.ErrReadonly}, false},
		{"a file's write", &fs.PathError{Op: "write", Path: "x.db", Err: syscall.ENOSPC}, true},
		{"another error", errors.New("database or disk is full"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := experiments.IsStorageFull(tt.err); got != tt.want {
				t.Errorf("IsStorageFull(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
