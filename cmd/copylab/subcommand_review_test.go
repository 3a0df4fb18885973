package main

import (
	"errors"
	"strings"
	"testing"
)

// TestGroupWithoutCommand: copylab user or token without a command, or
// with an unknown one, is a mistake on the command line (exit 2) whose
// error main prints after "copylab: " as one sentence; the usage goes to
// stderr, as after any other mistake. The error used to be the usage
// itself, which main printed as "copylab: usage: copylab user add …".
func TestGroupWithoutCommand(t *testing.T) {
	for _, tt := range []struct {
		args       []string
		want, uses string
	}{
		{[]string{"user"}, "user needs a command: add, password, invite or role", "Usage: copylab user add"},
		{[]string{"user", "frob"}, `unknown user command "frob": use add, password, invite or role`, "Usage: copylab user add"},
		{[]string{"user", "--email", "a@example.com"}, "user needs a command: add, password, invite or role", "Usage: copylab user add"},
		{[]string{"token"}, "token needs a command: create, list or revoke", "Usage: copylab token create"},
		{[]string{"token", "delete"}, `unknown token command "delete": use create, list or revoke`, "Usage: copylab token create"},
	} {
		name := strings.Join(tt.args, " ")
		stdout, stderr, err := runCmd(t, env(nil), "", tt.args...)
		if !errors.As(err, new(usageError)) {
			t.Errorf("%s: %v, want a usage error (exit 2)", name, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s: error %q, want %q", name, err, tt.want)
		}
		if stdout != "" || !strings.Contains(stderr, tt.uses) {
			t.Errorf("%s: want the usage on stderr alone:\nstdout %q\nstderr %q", name, stdout, stderr)
		}
	}
	// Asked for, the usage goes to stdout.
	if stdout, stderr, err := runCmd(t, env(nil), "", "user", "--help"); err != nil || !strings.HasPrefix(stdout, "Usage: copylab user add") || stderr != "" {
		t.Errorf("user --help: %v\nstdout %q\nstderr %q", err, stdout, stderr)
	}
}
