package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeReportsEveryMistake: serve reports every mistake in its
// configuration in one run, one a line, each naming the flag and its
// variable, instead of the next one at each run.
func TestServeReportsEveryMistake(t *testing.T) {
	bad := map[string]string{
		"COPYLAB_ADDR":           "127.0.0.1:99999",
		"COPYLAB_RATE_IP":        "-5",
		"COPYLAB_LOG_LEVEL":      "loud",
		"COPYLAB_LOG_FORMAT":     "xml",
		"COPYLAB_LLM_TIMEOUT":    "1s",
		"COPYLAB_METRICS_TOKEN":  "short",
		"COPYLAB_SECURE_COOKIES": "maybe",
		"COPYLAB_PUBLIC_URL":     "ftp://x",
	}
	_, _, err := runCmd(t, env(bad), "", "serve", "--db", filepath.Join(t.TempDir(), "c.db"))
	var u usageError
	if !errors.As(err, &u) {
		t.Fatalf("want a usage error (exit 2), got %v", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(bad) {
		t.Errorf("%d lines, want one for each of the %d mistakes:\n%s", len(lines), len(bad), err)
	}
	for v := range bad {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("no line names %s:\n%s", v, err)
		}
	}
	for _, w := range []string{"--rate-ip (COPYLAB_RATE_IP)", "--log-level (COPYLAB_LOG_LEVEL)", "--log-format (COPYLAB_LOG_FORMAT)",
		"--llm-timeout (COPYLAB_LLM_TIMEOUT)", "--metrics-token (COPYLAB_METRICS_TOKEN)", "--public-url (COPYLAB_PUBLIC_URL)"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("no line names %s:\n%s", w, err)
		}
	}

	// A mistake on the command line comes first, with those in the variables.
	_, _, err = runCmd(t, env(map[string]string{"COPYLAB_SECURE_COOKIES": "maybe"}), "", "serve", "--rate-ip", "many")
	if err == nil || !strings.HasPrefix(err.Error(), `--rate-ip (COPYLAB_RATE_IP) "many" is not a whole number`) || !strings.Contains(err.Error(), "COPYLAB_SECURE_COOKIES") {
		t.Errorf("a bad flag and a bad variable: %v", err)
	}
}

// TestExitMessage: each line of an error is printed after "copylab: ",
// and a usage error exits 2, any other 1.
func TestExitMessage(t *testing.T) {
	var b bytes.Buffer
	if code := exitMessage(&b, usageError{"one\ntwo"}); code != 2 || b.String() != "copylab: one\ncopylab: two\n" {
		t.Errorf("usage error: exit %d, printed %q", code, b.String())
	}
	b.Reset()
	if code := exitMessage(&b, os.ErrPermission); code != 1 || b.String() != "copylab: permission denied\n" {
		t.Errorf("other error: exit %d, printed %q", code, b.String())
	}
}

// TestGeoIPDBMissing: a country database that cannot be read is a
// mistake in the configuration, said once, without the packages' names.
func TestGeoIPDBMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent.mmdb")
	_, _, err := runCmd(t, env(nil), "", "serve", "--db", filepath.Join(t.TempDir(), "c.db"), "--geoip-db", missing)
	var u usageError
	if !errors.As(err, &u) {
		t.Fatalf("want a usage error (exit 2), got %v", err)
	}
	msg := err.Error()
	if strings.Count(msg, missing) != 1 || !strings.Contains(msg, "--geoip-db (COPYLAB_GEOIP_DB)") ||
		strings.Contains(msg, "app:") || strings.Contains(msg, "geo:") {
		t.Errorf("error %q: want the path once, the flag and its variable, and no package names", msg)
	}
}

// TestOpenDatabaseNotDoubled: an admin command's refusal of a file says
// "open" once (it said "open database: experiments: open notdb.txt: …").
func TestOpenDatabaseNotDoubled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notdb.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, env(nil), "", "user", "add", "--db", path, "--email", "ana@example.com")
	if err == nil || strings.Count(err.Error(), "open") > 1 {
		t.Errorf("user add on a text file: %v", err)
	}
}

// TestMistakesOneALine runs the binary: each mistake is printed on its own
// line after "copylab: ", and the exit status is 2.
func TestMistakesOneALine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the copylab binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve", "--db", filepath.Join(t.TempDir(), "c.db"))
	cmd.Env = append(os.Environ(), "COPYLAB_RATE_IP=-5", "COPYLAB_LOG_LEVEL=loud", "COPYLAB_PUBLIC_URL=ftp://x")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Errorf("%d lines, want 3:\n%s", len(lines), stderr.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "copylab: ") {
			t.Errorf("line %q does not start with copylab: ", l)
		}
	}
}

// TestServeAddrPort: an address whose port is not one is a mistake in
// the configuration (exit 2), named by its flag and its variable, not a
// failure to listen (exit 1).
func TestServeAddrPort(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"variable", map[string]string{"COPYLAB_ADDR": "127.0.0.1:99999"}, []string{"serve"}},
		{"flag", nil, []string{"serve", "--addr", "127.0.0.1:http-alt-typo"}},
		{"negative", nil, []string{"serve", "--addr", ":-1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(tt.env), "", append(tt.args, "--db", filepath.Join(t.TempDir(), "c.db"))...)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("want a usage error (exit 2), got %v", err)
			}
			if !strings.Contains(err.Error(), "--addr (COPYLAB_ADDR)") || strings.Contains(err.Error(), "listen") {
				t.Errorf("error %q should name --addr (COPYLAB_ADDR)", err)
			}
		})
	}
}
