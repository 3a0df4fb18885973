package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"copylab/experiments"
)

// TestHelpHelp: copylab help help, and help --help, print help's own
// usage, the list of commands, and succeed. They used to print serve's
// flags: "help X" ran "X --help", and "help" followed by "--help" ran
// copylab --help's serve.
func TestHelpHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "help"}, {"help", "--help"}, {"help", "-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, err := runCmd(t, env(nil), "", args...)
			if err != nil || stderr != "" {
				t.Fatalf("err %v, stderr %q", err, stderr)
			}
			if stdout != topUsage() {
				t.Errorf("printed\n%s\nwant help's usage\n%s", stdout, topUsage())
			}
		})
	}
}

// TestNewerDatabaseWords: every command refuses a database that a newer
// copylab migrated in the words restore uses, without the storage
// package's "experiments: " in front, which said nothing to an operator
// ("copylab: experiments: nd/copylab.db comes from a newer copylab …").
func TestNewerDatabaseWords(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`insert into schema_migrations (version, name, applied_at) values (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	want := db + " comes from a newer copylab (schema version 9999; this one knows up to "
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"},
		{"user", "add", "--email", "a@example.com"},
		{"token", "list"},
		{"recount"},
	} {
		t.Run(args[0], func(t *testing.T) {
			_, _, err := runCmd(t, env(nil), "", append(args, "--db", db)...)
			if err == nil {
				t.Fatal("no error")
			}
			var printed bytes.Buffer
			if code := exitMessage(&printed, err); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			got := printed.String()
			if !strings.Contains(got, want) || strings.Contains(got, "experiments:") || strings.Count(got, "\n") != 1 {
				t.Errorf("printed\n%s\nwant one line naming the file as restore does (%s…), without \"experiments:\"", got, want)
			}
		})
	}
}

// proxyWarning is the start's warning about a reverse proxy on the same
// host that copylab does not trust, as far as /metrics goes.
const proxyWarning = "--metrics-allow's default lets them read /metrics only through a proxy that drops X-Forwarded-For and Forwarded " +
	"(a request carrying either is refused, 403 metrics_proxied)"

// TestServeWarnsOfAnUntrustedLocalProxyTruly: the start's warning about
// an untrusted proxy on this host says what --metrics-allow's default
// lets through: only a proxy that drops X-Forwarded-For (and Forwarded)
// gets /metrics, since a request carrying either is refused. It used to
// say the default lets every visitor through the proxy read /metrics.
func TestServeWarnsOfAnUntrustedLocalProxyTruly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "c.db")
	_, logs, err := runCmd(t, env(nil), "", "serve", "--db", db, "--addr", ln.Addr().String(), "--public-url", "https://copylab.example.com")
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("serve: %v, want the port in use\n%s", err, logs)
	}
	if !strings.Contains(logs, "no proxy is trusted") || !strings.Contains(logs, proxyWarning) {
		t.Errorf("the warning does not say\n%s\n%s", proxyWarning, logs)
	}
	if strings.Contains(logs, "--metrics-allow's default lets them read /metrics,") {
		t.Errorf("the warning still says every proxied visitor reads /metrics:\n%s", logs)
	}
}
