package main

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// TestHelpOnStdout: help asked for goes to stdout, so that `copylab
// simulate --help | less` or `| grep rates` works, and writes each flag as
// the README and the errors do, --db; copylab --help, what someone new types
// first, lists the commands before the flags of serve.
func TestHelpOnStdout(t *testing.T) {
	oneDash := regexp.MustCompile(`(?m)^  -[a-z]`)
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"copylab token create", "copylab simulate", "Usage: copylab serve", "  --addr string", "COPYLAB_DB"}},
		{[]string{"-h"}, []string{"copylab user invite", "  --public-url string"}},
		{[]string{"serve", "--help"}, []string{"Usage: copylab serve", "  --llm-timeout duration"}},
		{[]string{"simulate", "--help"}, []string{"Usage: copylab simulate", "  --rates string", "COPYLAB_RATES"}},
		{[]string{"help", "simulate"}, []string{"Usage: copylab simulate", "  --visitors int"}},
		{[]string{"user", "add", "--email", "a@example.com", "--help"}, []string{"Usage: copylab user add", "  --password-stdin"}},
		{[]string{"recount", "-h"}, []string{"Usage: copylab recount", "  --dry-run"}},
	} {
		name := strings.Join(tt.args, " ")
		stdout, stderr, err := runCmd(t, env(nil), "", tt.args...)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if stderr != "" {
			t.Errorf("%s wrote to stderr:\n%s", name, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%s: stdout lacks %q:\n%s", name, w, stdout)
			}
		}
		if l := oneDash.FindString(stdout); l != "" {
			t.Errorf("%s lists a flag with one dash (%q):\n%s", name, l, stdout)
		}
	}
	if stdout, _, _ := runCmd(t, env(nil), "", "serve", "--help"); strings.Contains(stdout, "copylab token create") {
		t.Errorf("copylab serve --help lists the other commands too:\n%s", stdout)
	}
}

// TestFlagMistakes: a mistake in a flag exits 2 with the error alone (no
// usage, on stderr or stdout), and the error names the flag as typed.
func TestFlagMistakes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--adr", "x"}, "unknown flag --adr: did you mean --addr? (copylab serve --help lists every flag)"},
		{[]string{"serve", "-adr", "x"}, "unknown flag --adr"},
		{[]string{"simulate", "--visitors"}, "flag --visitors needs a value"},
		{[]string{"simulate", "--visitors", "many"}, `--visitors (COPYLAB_VISITORS) "many" is not a whole number`},
	} {
		name := strings.Join(tt.args, " ")
		stdout, stderr, err := runCmd(t, env(nil), "", tt.args...)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%s: %v, want a usage error (exit 2)", name, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want it to start %q", name, err, tt.want)
		}
		if stdout != "" || stderr != "" {
			t.Errorf("%s printed besides its error:\nstdout %q\nstderr %q", name, stdout, stderr)
		}
		if strings.Contains(err.Error(), "provided but not defined") {
			t.Errorf("%s: the flag package's words: %q", name, err)
		}
	}
}
