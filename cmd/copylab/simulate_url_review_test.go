package main

import (
	"errors"
	"strings"
	"testing"
)

// TestSimulateURLNeedsScheme: a --url without http:// or https:// is a
// mistake on the command line (exit 2) that says what to write, rather
// than Go's "first path segment in URL cannot contain colon".
func TestSimulateURLNeedsScheme(t *testing.T) {
	const want = `: use http:// or https://, such as http://127.0.0.1:8080`
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"address alone", nil, []string{"--url", "127.0.0.1:18100"}},
		{"host name and port", nil, []string{"--url", "localhost:8080"}},
		{"host name alone", nil, []string{"--url", "copylab.example.com"}},
		{"another scheme", nil, []string{"--url", "ftp://127.0.0.1:8080"}},
		{"no host", nil, []string{"--url", "http://"}},
		{"the twin", map[string]string{"COPYLAB_URL": "127.0.0.1:18100"}, nil},
		{"the tag", nil, []string{"--url", "127.0.0.1:18100", "--snippet", "5"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"simulate", "--site", "k", "--experiment", "x", "--rates", "control=0.1,b=0.1"}, tt.args...)
			stdout, _, err := runCmd(t, env(tt.env), "", args...)
			if !errors.As(err, new(usageError)) {
				t.Fatalf("want a usage error (exit 2), got %v; printed %q", err, stdout)
			}
			if !strings.HasPrefix(err.Error(), `--url (COPYLAB_URL) "`) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "parse") {
				t.Errorf("error\n%q\nwant it to hold\n%q", err, want)
			}
			if stdout != "" {
				t.Errorf("printed %q", stdout)
			}
		})
	}
	// With a scheme the address is taken (here nothing listens there).
	_, _, err := runCmd(t, env(nil), "", "simulate", "--url", "http://127.0.0.1:1/", "--site", "k", "--experiment", "x", "--rates", "control=0.1,b=0.1")
	if err == nil || errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "cannot reach copylab at http://127.0.0.1:1 ") {
		t.Errorf("a URL with its scheme: %v", err)
	}
}

// TestSimulateURLWithoutPassword: a --url carrying a user name or
// password is refused as a mistake, and the refusal does not print the
// password. Before, it was used, and a failure printed it whole
// ("cannot reach copylab at http://user:s3cret@…").
func TestSimulateURLWithoutPassword(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://user:s3cret@127.0.0.1:1", "--experiment", "x", "--rates", "control=0.1,b=0.1"},
		{"--url", "http://user:s3cret@127.0.0.1:1", "--snippet", "3"},
		{"--url", "http://user@127.0.0.1:1", "--snippet", "3"},
	} {
		stdout, _, err := runCmd(t, env(nil), "", append([]string{"simulate", "--site", "k"}, args...)...)
		if !errors.As(err, new(usageError)) {
			t.Fatalf("%v: want a usage error (exit 2), got %v; printed %q", args, err, stdout)
		}
		if strings.Contains(err.Error()+stdout, "s3cret") || !strings.Contains(err.Error(), "--url (COPYLAB_URL)") ||
			!strings.Contains(err.Error(), "user name or password") {
			t.Errorf("%v: %q", args, err)
		}
	}
}
