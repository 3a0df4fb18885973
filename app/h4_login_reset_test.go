package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestLoginLockoutEndsWithNewPassword: a user locked out by their own
// wrong passwords is told to ask for a new one with copylab user
// password; that command runs in another process, on the database, and
// cannot clear the server's in-memory count. Once the password has been
// changed since the failures, the new one signs in. The count starts
// again from the change: wrong guesses of the new password are limited
// as before.
func TestLoginLockoutEndsWithNewPassword(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	e.addUser("gina@team.test")
	const ip = "203.0.113.7"
	for i := 0; i < loginMaxFailures; i++ {
		if got := e.login(ip, "gina@team.test", "wrong password "+itoa(i)); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, got)
		}
	}
	if got := e.login(ip, "gina@team.test", testPassword); got != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: status %d, want 429", loginMaxFailures, got)
	}

	// copylab user password, as the command line runs it: its own store
	// on the same file.
	cli, err := experiments.Open(ctx, e.app.cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	const fresh = "a new password for gina"
	_, _, err = ResetPassword(ctx, cli, "gina@team.test", fresh, false)
	cli.Close()
	if err != nil {
		t.Fatal(err)
	}

	if got := e.login(ip, "gina@team.test", testPassword); got != http.StatusUnauthorized {
		t.Errorf("the old password after the change: status %d, want 401", got)
	}
	if got := e.login(ip, "gina@team.test", fresh); got != http.StatusSeeOther {
		t.Fatalf("the new password: status %d, want 303", got)
	}

	// Guessing the new password is held to the limit again.
	for i := 0; i < loginMaxFailures; i++ {
		if got := e.login(ip, "gina@team.test", "guess "+itoa(i)); got != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d, want 401", i+1, got)
		}
	}
	if got := e.login(ip, "gina@team.test", fresh); got != http.StatusTooManyRequests {
		t.Errorf("after %d wrong guesses of the new password: status %d, want 429", loginMaxFailures, got)
	}
}
