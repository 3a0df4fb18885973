package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/app"
	"copylab/experiments"
)

// TestUserInvite: copylab user invite prints the link alone on stdout,
// whole when it knows the public URL (the flag or its twin, the one serve
// reads), else its path with a sentence on stderr about what goes before
// it. The link opens the invite page of the app on that database; a
// second invite for the email replaces the first and says so; an email
// that can sign in, a bad email and a bad public URL are refused, the
// last before anything is stored.
func TestUserInvite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db) // as copylab serve made it: the commands never create one
	ctx := context.Background()
	noEnv := env(nil)

	out, errOut, err := runCmd(t, noEnv, "", "user", "invite", "--db", db, "--email", "Ana@Example.com", "--name", "Ana", "--public-url", "https://copylab.example.com/")
	if err != nil {
		t.Fatalf("invite: %v (%s)", err, errOut)
	}
	whole := regexp.MustCompile(`^https://copylab\.example\.com(/invite/[a-z2-7]{32})\n$`).FindStringSubmatch(out)
	if whole == nil {
		t.Fatalf("stdout %q, want the whole link alone", out)
	}
	for _, want := range []string{"invite for ana@example.com", "works once", "shown once"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if strings.Contains(errOut, "replaces") || strings.Contains(errOut, "public URL before") {
		t.Errorf("stderr of a first invite with a public URL: %s", errOut)
	}

	// The twin, and a second invite for the same email.
	out, errOut, err = runCmd(t, env(map[string]string{"COPYLAB_PUBLIC_URL": "http://10.0.0.5:8080"}), "", "user", "invite", "--db", db, "--email", "ana@example.com")
	if err != nil || !regexp.MustCompile(`^http://10\.0\.0\.5:8080/invite/[a-z2-7]{32}\n$`).MatchString(out) {
		t.Fatalf("with COPYLAB_PUBLIC_URL: %q, %v", out, err)
	}
	if !strings.Contains(errOut, "it replaces the invite sent before, whose link no longer works") {
		t.Errorf("the second invite does not say it replaced the first: %s", errOut)
	}

	// No public URL: the path, and what to put before it.
	out, errOut, err = runCmd(t, noEnv, "", "user", "invite", "--db", db, "--email", "bo@example.com")
	path := regexp.MustCompile(`^(/invite/[a-z2-7]{32})\n$`).FindStringSubmatch(out)
	if err != nil || path == nil {
		t.Fatalf("without a public URL: %q, %v", out, err)
	}
	if !strings.Contains(errOut, "put copylab's public URL before this path") || !strings.Contains(errOut, "--public-url (COPYLAB_PUBLIC_URL)") {
		t.Errorf("stderr does not say what goes before the path: %s", errOut)
	}

	// Refusals.
	if _, _, err := runCmd(t, noEnv, "correct horse battery\n", "user", "add", "--db", db, "--email", "cy@example.com", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"taken", []string{"--email", "CY@example.com"}, "cy@example.com can already sign in", false},
		{"bad email", []string{"--email", "cy@"}, "--email: Enter an email address such as you@example.com.", true},
		{"bad public URL", []string{"--email", "dee@example.com", "--public-url", "copylab.example.com"}, `--public-url "copylab.example.com"`, true},
		{"no email", nil, "--email is required", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runCmd(t, noEnv, "", append([]string{"user", "invite", "--db", db}, tc.args...)...)
			var u usageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &u) != tc.usage || out != "" {
				t.Errorf("stdout %q, error %v; want %q (usage error: %v) and no link", out, err, tc.want, tc.usage)
			}
		})
	}

	store, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	pending, err := store.Invites(ctx, time.Now())
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending invites: %+v, %v; want ana's and bo's (none for dee)", pending, err)
	}
	for _, inv := range pending {
		if inv.InvitedBy != "" || inv.ExpiresAt.Sub(inv.CreatedAt) != 7*24*time.Hour {
			t.Errorf("invite %+v: want no inviter (the command line) and 7 days", inv)
		}
	}

	// The printed path opens the app's invite page; the replaced one does not.
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	defer ing.Close(ctx)
	a, err := app.New(app.Config{Addr: "127.0.0.1:0", DBPath: db, PublicURL: "http://copylab.test", Logger: slog.New(slog.DiscardHandler)}, store, ing)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{path[1], http.StatusOK, "bo@example.com"},
		{whole[1], http.StatusNotFound, "no longer works"},
	} {
		resp, err := a.Fiber().Test(httptest.NewRequest(http.MethodGet, tc.path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET the printed path: status %d, want %d with %q", resp.StatusCode, tc.status, tc.want)
		}
	}
}
