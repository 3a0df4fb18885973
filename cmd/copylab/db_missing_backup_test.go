package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestBackupRecountNeedTheServersDatabase: backup and recount (a dry run
// too) refuse a path with no database in the same line as the admin
// commands (TestCommandsNeedTheServersDatabase): the absolute path they
// looked for, and --db and COPYLAB_DB to give the server's. They used to
// say only "there is no database at x.db", with the path as given, which
// left a person who ran them from another folder guessing at the fix.
// Neither makes the file, its folder or a lock beside it.
func TestBackupRecountNeedTheServersDatabase(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "backup.db")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"backup", []string{"backup", "--out", out}},
		{"recount", []string{"recount"}},
		{"recount --dry-run", []string{"recount", "--dry-run"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			missing := filepath.Join(t.TempDir(), "copylab.db")
			for _, how := range []struct {
				name string
				env  map[string]string
				args []string
			}{
				{"--db", nil, []string{"--db", missing}},
				{"COPYLAB_DB", map[string]string{"COPYLAB_DB": missing}, nil},
			} {
				stdout, _, err := runCmd(t, env(how.env), "", append(tt.args, how.args...)...)
				wantNoDatabase(t, how.name, err, missing)
				if stdout != "" {
					t.Errorf("%s: printed %q", how.name, stdout)
				}
			}
			left, err := os.ReadDir(filepath.Dir(missing))
			if err != nil || len(left) > 0 {
				t.Errorf("%s left %v in the database's folder (%v)", tt.name, left, err)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s wrote a backup (%v)", tt.name, err)
			}
		})
	}

	// As a person meets it: no --db, in a folder that is not the server's;
	// the default data/copylab.db is named by its absolute path.
	t.Run("default path elsewhere", func(t *testing.T) {
		t.Chdir(t.TempDir())
		cwd, _ := os.Getwd()
		for _, args := range [][]string{{"backup", "--out", out}, {"recount"}} {
			_, _, err := runCmd(t, env(nil), "", args...)
			wantNoDatabase(t, args[0]+" without --db", err, filepath.Join(cwd, "data", "copylab.db"))
		}
		if _, err := os.Stat("data"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("made ./data (%v)", err)
		}
	})
}
