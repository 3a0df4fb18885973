package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"copylab/experiments"
)

// TestInUseNamesTheAbsolutePath: a command that finds the database in use
// names it by its absolute path, as every other message about the file
// does, not by the --db typed: an operator with two checkouts, each with
// its own data/copylab.db, is told which one is held.
func TestInUseNamesTheAbsolutePath(t *testing.T) {
	base := t.TempDir()
	db := filepath.Join(base, "data", "copylab.db")
	createDB(t, db)
	backup := filepath.Join(base, "backup.db")
	createDB(t, backup)
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	t.Chdir(base)

	held := db + " is in use by copylab serve (process " + strconv.Itoa(os.Getpid()) + "): "
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"serve", []string{"serve", "--addr", "127.0.0.1:0", "--db", "data/copylab.db"},
			held + "stop it first, or give this one its own --db"},
		{"recount", []string{"recount", "--db", "data/copylab.db"},
			"recount: " + held + "stop it first"},
		{"restore", []string{"restore", "--from", "backup.db", "--db", "data/copylab.db"},
			"restore: " + held + "stop it first"},
		{"restore through ./", []string{"restore", "--from", "backup.db", "--db", "./data/../data/copylab.db"},
			"restore: " + held + "stop it first"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(nil), "", tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("%s: %v\nwant %q", tt.name, err, tt.want)
			}
		})
	}
}
