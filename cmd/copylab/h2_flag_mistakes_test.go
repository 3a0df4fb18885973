package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagMistakesAllAtOnce: mistakes on the command line are reported
// as those in the environment twins are: every one at once, one a line,
// each naming the flag and its twin, exit 2, with no usage dumped on
// stderr. The flag package stopped at the first bad value, printed the
// whole usage, and named the flag alone ("invalid value "x" for flag
// -rate-ip: parse error").
func TestFlagMistakesAllAtOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // the lines of the error, in order
	}{
		{"serve, three bad values", nil, []string{"serve", "--db", db, "--rate-ip", "x", "--rate-site", "y", "--log-level", "trace"},
			[]string{
				`--rate-ip (COPYLAB_RATE_IP) "x" is not a whole number`,
				`--rate-site (COPYLAB_RATE_SITE) "y" is not a whole number`,
				`--log-level (COPYLAB_LOG_LEVEL) "trace" is not debug, info, warn or error`,
			}},
		{"the same as variables", map[string]string{"COPYLAB_RATE_IP": "x", "COPYLAB_RATE_SITE": "y", "COPYLAB_LOG_LEVEL": "trace"},
			[]string{"serve", "--db", db},
			[]string{
				`--rate-ip (COPYLAB_RATE_IP) "x" is not a whole number`,
				`--rate-site (COPYLAB_RATE_SITE) "y" is not a whole number`,
				`--log-level (COPYLAB_LOG_LEVEL) "trace" is not debug, info, warn or error`,
			}},
		{"every kind of value, with = too", nil,
			[]string{"serve", "--db", db, "--secure-cookies=maybe", "--llm-timeout", "90", "-rate-ip=1.5"},
			[]string{
				`--secure-cookies (COPYLAB_SECURE_COOKIES) "maybe" is not true or false`,
				`--llm-timeout (COPYLAB_LLM_TIMEOUT) "90" is not a duration such as 30s`,
				`--rate-ip (COPYLAB_RATE_IP) "1.5" is not a whole number`,
			}},
		{"an unknown flag among bad values", nil, []string{"serve", "--db", db, "--rate-ip", "x", "--adr", "127.0.0.1:1", "--rate-site", "y"},
			[]string{
				`--rate-ip (COPYLAB_RATE_IP) "x" is not a whole number`,
				`unknown flag --adr: did you mean --addr? (copylab serve --help lists every flag)`,
				`--rate-site (COPYLAB_RATE_SITE) "y" is not a whole number`,
			}},
		{"a flag and a variable", map[string]string{"COPYLAB_SECURE_COOKIES": "maybe"}, []string{"serve", "--db", db, "--rate-ip", "many"},
			[]string{
				`--rate-ip (COPYLAB_RATE_IP) "many" is not a whole number`,
				`--secure-cookies (COPYLAB_SECURE_COOKIES) "maybe" is not true or false`,
			}},
		{"simulate", nil, []string{"simulate", "--site", "k", "--experiment", "x", "--rates", "b=0.1", "--visitors", "many", "--seed", "one", "--timeout", "soon"},
			[]string{
				`--visitors (COPYLAB_VISITORS) "many" is not a whole number`,
				`--seed (COPYLAB_SEED) "one" is not a whole number`,
				`--timeout (COPYLAB_TIMEOUT) "soon" is not a duration such as 30s`,
			}},
		{"recount", nil, []string{"recount", "--db", db, "--dry-run=perhaps", "--nosuch"},
			[]string{
				`--dry-run (COPYLAB_DRY_RUN) "perhaps" is not true or false`,
				`unknown flag --nosuch (copylab recount --help lists every flag)`,
			}},
		{"a flag with no value", nil, []string{"simulate", "--site", "k", "--visitors"},
			[]string{`flag --visitors needs a value`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCmd(t, env(tt.env), "", tt.args...)
			if !errors.As(err, new(usageError)) {
				t.Fatalf("want a usage error, got %v", err)
			}
			var said strings.Builder
			if code := exitMessage(&said, err); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) < len(tt.want) || strings.Join(got[:len(tt.want)], "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("error lines\n%s\nwant them to begin\n%s", err, strings.Join(tt.want, "\n"))
			}
			if stdout != "" || stderr != "" {
				t.Errorf("printed besides the error:\nstdout %q\nstderr %q", stdout, stderr)
			}
		})
	}
}
