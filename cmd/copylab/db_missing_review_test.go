package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
)

// createDB makes the database at path as copylab serve does at its first
// start, for the commands that act on an existing one.
func createDB(t *testing.T, path string) {
	t.Helper()
	s, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// TestCommandsNeedTheServersDatabase: the commands that act on copylab's
// database (user add, password and invite, token create) refuse a path
// with no database, in one line that names the file they looked for and
// says how to give the server's, and create nothing. Run without --db
// from another folder, user add used to create ./data/copylab.db there,
// empty, and print a password that could not sign in to the running
// server. On the server's database they say which file they used.
func TestCommandsNeedTheServersDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nowhere", "copylab.db")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"user add", []string{"user", "add", "--email", "ana@example.com"}},
		{"user password", []string{"user", "password", "--email", "ana@example.com"}},
		{"user invite", []string{"user", "invite", "--email", "ana@example.com"}},
		{"token create", []string{"token", "create", "--email", "ana@example.com", "--name", "ci"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
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
			if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s made the database's folder (%v)", tt.name, err)
			}
		})
	}

	// As reported: no --db, in a folder that is not the server's.
	t.Run("default path elsewhere", func(t *testing.T) {
		t.Chdir(t.TempDir())
		_, _, err := runCmd(t, env(nil), "", "user", "add", "--email", "ana@example.com")
		cwd, _ := os.Getwd()
		wantNoDatabase(t, "no --db", err, filepath.Join(cwd, "data", "copylab.db"))
		if _, err := os.Stat("data"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("user add made ./data (%v)", err)
		}
	})

	// On the server's database each says which file it used; a token is
	// still alone on stdout, for scripts.
	db := filepath.Join(dir, "copylab.db")
	createDB(t, db)
	stdout, _, err := runCmd(t, env(nil), "correct horse battery staple\n", "user", "add", "--db", db, "--email", "ana@example.com", "--password-stdin")
	if err != nil || stdout != "created user ana@example.com, an admin, in "+db+"\n" {
		t.Errorf("user add: %v\n%q", err, stdout)
	}
	stdout, stderr, err := runCmd(t, env(nil), "", "token", "create", "--db", db, "--email", "ana@example.com", "--name", "ci")
	if err != nil || !strings.HasPrefix(stdout, "cl_") || strings.Count(stdout, "\n") != 1 || !strings.Contains(stderr, " in "+db) {
		t.Errorf("token create: %v\nstdout %q\nstderr %q", err, stdout, stderr)
	}
	stdout, _, err = runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "new horse battery staple\n", "user", "password", "--email", "ana@example.com", "--password-stdin")
	if err != nil || !strings.Contains(stdout, "password changed for ana@example.com in "+db) {
		t.Errorf("user password: %v\n%q", err, stdout)
	}
	_, stderr, err = runCmd(t, env(nil), "", "user", "invite", "--db", db, "--email", "bo@example.com")
	if err != nil || !strings.Contains(stderr, "invite for bo@example.com in "+db) {
		t.Errorf("user invite: %v\n%q", err, stderr)
	}
	// A relative path is named as the absolute one it stands for.
	t.Chdir(dir)
	stdout, _, err = runCmd(t, env(nil), "", "user", "add", "--db", "copylab.db", "--email", "cy@example.com")
	if err != nil || !strings.HasPrefix(stdout, "created user cy@example.com, a member, in "+db+"\n") {
		t.Errorf("user add with a relative --db: %v\n%q", err, stdout)
	}

	// serve still creates its database, folder and all.
	fresh := filepath.Join(t.TempDir(), "data", "copylab.db")
	serveInProcess(t, fresh)
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("serve did not create its database: %v", err)
	}
}

// wantNoDatabase checks err is the one-line refusal for a missing
// database at path (absolute), a failure (exit 1) rather than a usage
// error.
func wantNoDatabase(t *testing.T, name string, err error, path string) {
	t.Helper()
	want := "there is no database at " + path + ": pass --db (or set COPYLAB_DB) with the database copylab serve uses"
	switch {
	case err == nil:
		t.Errorf("%s: no error; want %q", name, want)
	case errors.As(err, new(usageError)):
		t.Errorf("%s: a usage error (exit 2), want a failure (exit 1): %v", name, err)
	case err.Error() != want:
		t.Errorf("%s: error\n%q\nwant\n%q", name, err, want)
	}
}
