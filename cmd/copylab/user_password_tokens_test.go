package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestUserPasswordTokens: a new password from the command line signs the
// user out of every browser but leaves their API tokens working, and says
// how many still work and how to revoke them; --revoke-tokens (or its
// twin COPYLAB_REVOKE_TOKENS) revokes them in the same change.
func TestUserPasswordTokens(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		flags     []string
		tokens    int // the user's tokens before
		wantLeft  int
		wantOut   []string
		wantNoOut []string
	}{
		{
			name: "without the flag", tokens: 2, wantLeft: 2,
			wantOut: []string{"password changed for ana@example.com", "2 API tokens of ana@example.com still work",
				"--revoke-tokens", "Settings → API tokens"},
			wantNoOut: []string{"revoked"},
		},
		{
			name: "one token", tokens: 1, wantLeft: 1,
			wantOut: []string{"1 API token of ana@example.com still works"},
		},
		{
			name: "with the flag", flags: []string{"--revoke-tokens"}, tokens: 2, wantLeft: 0,
			wantOut:   []string{"password changed for ana@example.com", "their 2 API tokens are revoked"},
			wantNoOut: []string{"still work"},
		},
		{
			name: "with the environment twin", env: map[string]string{"COPYLAB_REVOKE_TOKENS": "true"}, tokens: 1, wantLeft: 0,
			wantOut: []string{"their 1 API token is revoked"},
		},
		{
			name: "no tokens", tokens: 0, wantLeft: 0,
			wantOut:   []string{"password changed for ana@example.com"},
			wantNoOut: []string{"API token"},
		},
		{
			name: "no tokens, with the flag", flags: []string{"--revoke-tokens"}, tokens: 0, wantLeft: 0,
			wantNoOut: []string{"API token"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "copylab.db")
			createDB(t, db)
			if _, _, err := runCmd(t, env(nil), "correct horse battery staple\n", "user", "add", "--db", db, "--email", "ana@example.com", "--password-stdin"); err != nil {
				t.Fatal(err)
			}
			var secrets []string
			for i := range tc.tokens {
				out, _, err := runCmd(t, env(nil), "", "token", "create", "--db", db, "--email", "ana@example.com", "--name", "ci "+strconv.Itoa(i))
				if err != nil {
					t.Fatal(err)
				}
				secrets = append(secrets, strings.TrimSpace(out))
			}
			kv := map[string]string{"COPYLAB_DB": db}
			for k, v := range tc.env {
				kv[k] = v
			}
			args := append([]string{"user", "password", "--email", "ana@example.com", "--password-stdin"}, tc.flags...)
			out, _, err := runCmd(t, env(kv), "new horse battery staple\n", args...)
			if err != nil {
				t.Fatalf("user password: %v\n%s", err, out)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.wantNoOut {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}

			s, err := experiments.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			u, _, err := s.UserByEmail(context.Background(), "ana@example.com")
			if err != nil {
				t.Fatal(err)
			}
			toks, err := s.APITokens(context.Background(), u.ID)
			if err != nil || len(toks) != tc.wantLeft {
				t.Errorf("%d tokens left (%v), want %d", len(toks), err, tc.wantLeft)
			}
		})
	}

	t.Run("help", func(t *testing.T) {
		out, _, err := runCmd(t, env(nil), "", "user", "password", "--help")
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"--revoke-tokens", "COPYLAB_REVOKE_TOKENS"} {
			if !strings.Contains(out, w) {
				t.Errorf("help lacks %q:\n%s", w, out)
			}
		}
	})
}
