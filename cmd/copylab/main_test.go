package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// env returns an environment of a fixed map, as os.Environ lists one, so
// tests never read the process's.
func env(kv map[string]string) []string {
	var environ []string
	for k, v := range kv {
		environ = append(environ, k+"="+v)
	}
	slices.Sort(environ)
	return environ
}

func runCmd(t *testing.T, environ []string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, environ)
	return out.String(), errOut.String(), err
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // every part must appear in the error
	}{
		{"unknown command", nil, []string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
		{"user without add", nil, []string{"user"}, []string{"user needs a command: add, password, invite or role"}},
		{"user password without email", nil, []string{"user", "password", "--db", "x.db"}, []string{"--email is required"}},
		{"user add without email", nil, []string{"user", "add", "--db", "x.db"}, []string{"--email is required"}},
		{"token create reports both", nil, []string{"token", "create"}, []string{"--email is required", "--name is required"}},
		{"simulate reports all", nil, []string{"simulate", "--visitors", "0"}, []string{"--site (COPYLAB_SITE) is required", "--experiment (COPYLAB_EXPERIMENT) is required", "--visitors (COPYLAB_VISITORS) 0: use at least 1", "--rates (COPYLAB_RATES) is required"}},
		{"backup without out", nil, []string{"backup", "--db", "x.db"}, []string{"--out is required"}},
		{"restore without from", nil, []string{"restore", "--db", "x.db"}, []string{"--from is required"}},
		{"bad env twin", map[string]string{"COPYLAB_SECURE_COOKIES": "maybe"}, []string{"serve"}, []string{`--secure-cookies (COPYLAB_SECURE_COOKIES) "maybe" is not true or false`}},
		{"bad flag", nil, []string{"serve", "--no-such-flag"}, []string{"no-such-flag"}},
		{"stray argument", nil, []string{"serve", "extra"}, []string{`unexpected argument "extra"`}},
		{"bad log format", nil, []string{"serve", "--log-format", "xml"}, []string{`--log-format (COPYLAB_LOG_FORMAT) "xml"`}},
		{"bad llm timeout", map[string]string{"COPYLAB_LLM_TIMEOUT": "90"}, []string{"serve"}, []string{`--llm-timeout (COPYLAB_LLM_TIMEOUT) "90" is not a duration such as 30s`}},
		{"llm timeout out of range", nil, []string{"serve", "--llm-timeout", "2h"}, []string{"--llm-timeout (COPYLAB_LLM_TIMEOUT) 2h0m0s: use 5s to 30m"}},
		{"config problems at once", nil, []string{"serve", "--addr", "nope", "--db", "", "--public-url", "ftp://x"},
			[]string{"addr", "db", "public-url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(tt.env), "", tt.args...)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("want a usage error (exit 2), got %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	out, _, err := runCmd(t, env(nil), "", "help")
	if err != nil || !strings.Contains(out, "copylab token create") {
		t.Fatalf("help: %v\n%s", err, out)
	}
	stderr, _, err := runCmd(t, env(nil), "", "serve", "--help") // help asked for goes to stdout
	if err != nil {
		t.Fatalf("serve --help: %v", err)
	}
	for _, want := range []string{"-db", "COPYLAB_DB", "-public-url", "COPYLAB_PUBLIC_URL", "COPYLAB_LLM_API_KEY"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve --help does not mention %s:\n%s", want, stderr)
		}
	}
	// Every command and group answers help with its usage and success:
	// none opens a database (user add --help used to, and panicked on the
	// store it never opened).
	for _, args := range [][]string{
		{"help", "user"}, {"help", "token"}, {"user", "--help"}, {"token", "-h"},
		{"user", "add", "--help"}, {"user", "password", "--help"}, {"help", "user", "add"},
		{"help", "user", "password"}, {"help", "token", "create"}, {"help", "simulate"}, {"help", "backup"}, {"help", "restore"},
	} {
		out, stderr, err := runCmd(t, env(nil), "", args...)
		if err != nil {
			t.Errorf("%s: %v", strings.Join(args, " "), err)
		}
		if !strings.Contains(out+stderr, "sage") {
			t.Errorf("%s printed no usage:\n%s%s", strings.Join(args, " "), out, stderr)
		}
	}
}

func TestUserAndToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db) // as copylab serve made it: the commands never create one
	// The database comes from the environment twin here, and from --db below.
	out, _, err := runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "correct horse battery staple\n",
		"user", "add", "--email", "ana@example.com", "--name", "Ana", "--password-stdin")
	if err != nil || !strings.Contains(out, "created user ana@example.com") || strings.Contains(out, "password:") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "bo@example.com")
	if err != nil || !strings.Contains(out, "password: ") {
		t.Fatalf("user add with a generated password: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "ANA@example.com"); err == nil {
		t.Fatal("added the same email twice")
	} else if want := "ANA@example.com can already sign in; to set a new password, run copylab user password --email ANA@example.com"; err.Error() != want {
		t.Errorf("user add of a taken email: %q, want %q", err, want)
	}

	out, _, err = runCmd(t, env(nil), "", "token", "create", "--db", db, "--email", "ana@example.com", "--name", "ci")
	token := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(token, "cl_") {
		t.Fatalf("token create: %v %q", err, out)
	}
	if _, _, err := runCmd(t, env(nil), "", "token", "create", "--db", db, "--email", "nobody@example.com", "--name", "x"); err == nil {
		t.Fatal("made a token for an unknown user")
	}

	// A forgotten password: set a new one from the server.
	out, _, err = runCmd(t, env(nil), "new horse battery staple\n", "user", "password", "--db", db, "--email", "Ana@Example.com", "--password-stdin")
	if err != nil || !strings.Contains(out, "password changed for ana@example.com") || strings.Contains(out, "password: ") {
		t.Fatalf("user password: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, env(nil), "", "user", "password", "--db", db, "--email", "bo@example.com")
	if err != nil || !strings.Contains(out, "password: ") {
		t.Fatalf("user password, generated: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, env(nil), "short\n", "user", "password", "--db", db, "--email", "bo@example.com", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Fatalf("a short password: %v", err)
	}
	if _, _, err := runCmd(t, env(nil), "", "user", "password", "--db", db, "--email", "nobody@example.com"); err == nil || !strings.Contains(err.Error(), "no user has the email") {
		t.Fatalf("an unknown user: %v", err)
	}

	s, err := experiments.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, hash, err := s.UserByEmail(context.Background(), "ana@example.com"); err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte("new horse battery staple")) != nil {
		t.Errorf("the new password does not match the stored hash (%v)", err)
	}
	users, _ := s.Users(context.Background())
	if len(users) != 2 {
		t.Fatalf("users: %+v", users)
	}
	toks, _ := s.APITokens(context.Background(), users[0].ID)
	if len(toks) != 1 || toks[0].Name != "ci" || !strings.HasPrefix(token, toks[0].Prefix) {
		t.Fatalf("tokens: %+v", toks)
	}
}

// copylab backup copies a database that is open (a running server's) and
// says where the copy went; the copy opens with what was written.
func TestBackupCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	s, err := experiments.Open(context.Background(), db) // as a running server holds it
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := t.TempDir()
	out, _, err := runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "", "backup", "--out", dir)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "copylab-*Z.db"))
	if len(files) != 1 || !strings.Contains(out, "Backed up "+db+" to "+files[0]+": ") || !strings.Contains(out, "checked") {
		t.Fatalf("backup wrote %v and said:\n%s", files, out)
	}
	c, err := experiments.Open(context.Background(), files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if users, err := c.Users(context.Background()); err != nil || len(users) != 1 || users[0].Email != "ana@example.com" {
		t.Errorf("the backup's users: %+v (%v)", users, err)
	}
	if _, _, err := runCmd(t, env(nil), "", "backup", "--db", db, "--out", files[0]); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup to the same file: %v, want already exists", err)
	}

	// The backup restores onto a fresh machine's database path.
	fresh := filepath.Join(t.TempDir(), "data", "copylab.db")
	out, _, err = runCmd(t, env(nil), "", "restore", "--db", fresh, "--from", files[0])
	if err != nil || !strings.Contains(out, "Restored "+fresh+" from "+files[0]) || strings.Contains(out, "replaced") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	r, err := experiments.Open(context.Background(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if users, err := r.Users(context.Background()); err != nil || len(users) != 1 {
		t.Errorf("the restored users: %+v (%v)", users, err)
	}
}
