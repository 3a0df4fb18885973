package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"copylab/app"
	"copylab/experiments"
)

// tokenFixture is a server's database with two users and three API
// tokens: ana's "ci" and "deploy", bo's "sheets". secrets are the tokens,
// by name.
func tokenFixture(t *testing.T) (db string, secrets map[string]string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	for _, email := range []string{"ana@example.com", "bo@example.com"} {
		if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", email); err != nil {
			t.Fatal(err)
		}
	}
	secrets = map[string]string{}
	for _, tk := range []struct{ email, name string }{{"ana@example.com", "ci"}, {"ana@example.com", "deploy"}, {"bo@example.com", "sheets"}} {
		out, _, err := runCmd(t, env(nil), "", "token", "create", "--db", db, "--email", tk.email, "--name", tk.name)
		if err != nil {
			t.Fatal(err)
		}
		secrets[tk.name] = strings.TrimSpace(out)
	}
	return db, secrets
}

// tokenWorks tells whether the API takes secret, through the app on db.
func tokenWorks(t *testing.T, db, secret string) bool {
	t.Helper()
	ctx := context.Background()
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ing := experiments.NewIngester(s, experiments.IngestOptions{})
	defer ing.Close(ctx)
	a, err := app.New(app.Config{Addr: "127.0.0.1:0", DBPath: db, PublicURL: "http://copylab.test"}, s, ing)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, "http://copylab.test/api/v1/sites", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := a.Fiber().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestTokenList: copylab token list prints every API token, one a line
// under a header, with its id, the start it is shown by in Settings, its
// name, its user, when it was made and last used; --email keeps one
// user's. It never prints a secret (none is stored). It used to be
// refused as an unknown token command.
func TestTokenList(t *testing.T) {
	db, secrets := tokenFixture(t)
	if !tokenWorks(t, db, secrets["deploy"]) { // used once: last used is set
		t.Fatal("the deploy token does not work")
	}

	out, _, err := runCmd(t, env(nil), "", "token", "list", "--db", db)
	if err != nil {
		t.Fatalf("token list: %v", err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 tokens:\n%s", out)
	}
	if !regexp.MustCompile(`^ID +PREFIX +NAME +USER +CREATED +LAST USED +ACCESS$`).MatchString(lines[0]) {
		t.Errorf("header %q", lines[0])
	}
	for i, want := range []struct{ name, email string }{{"ci", "ana@example.com"}, {"deploy", "ana@example.com"}, {"sheets", "bo@example.com"}} {
		line := lines[i+1]
		prefix := secrets[want.name][:len(app.TokenPrefix)+4]
		if !regexp.MustCompile(`^\d+ +` + regexp.QuoteMeta(prefix) + `… +` + want.name + ` +` + regexp.QuoteMeta(want.email) + ` +\d`).MatchString(line) {
			t.Errorf("line %q, want %s's %s starting %s", line, want.email, want.name, prefix)
		}
		if used := !regexp.MustCompile(` never +full$`).MatchString(line); used != (want.name == "deploy") {
			t.Errorf("line %q: last used wrong", line)
		}
	}
	for name, secret := range secrets {
		if strings.Contains(out, secret[len(app.TokenPrefix)+4:]) {
			t.Errorf("token list prints the secret of %s", name)
		}
	}

	out, _, err = runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "", "token", "list", "--email", "BO@example.com")
	if err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, "sheets") {
		t.Errorf("token list --email bo: %v\n%s", err, out)
	}

	// A user without tokens: nothing on stdout, a sentence on stderr.
	if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "cy@example.com"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCmd(t, env(nil), "", "token", "list", "--db", db, "--email", "cy@example.com")
	if err != nil || out != "" || !strings.Contains(errOut, "cy@example.com has no API tokens") {
		t.Errorf("token list of a user without tokens: %v\nstdout %q\nstderr %q", err, out, errOut)
	}
	// No database there: refused as by the other commands on it.
	if _, _, err := runCmd(t, env(nil), "", "token", "list", "--db", filepath.Join(t.TempDir(), "none.db")); err == nil ||
		!strings.Contains(err.Error(), "there is no database at") {
		t.Errorf("token list of a missing database: %v", err)
	}
	// An unknown user is an error (exit 1), as for token create.
	if _, _, err := runCmd(t, env(nil), "", "token", "list", "--db", db, "--email", "nobody@example.com"); err == nil ||
		errors.As(err, new(usageError)) || !strings.Contains(err.Error(), `no user has the email "nobody@example.com"`) {
		t.Errorf("token list of an unknown user: %v", err)
	}
}

// TestTokenRevoke: copylab token revoke ID revokes that one token, before
// or after --db, and says whose it was; the API refuses it from then on,
// and the user's other tokens keep working.
func TestTokenRevoke(t *testing.T) {
	db, secrets := tokenFixture(t)
	out, _, err := runCmd(t, env(nil), "", "token", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n")[1:] {
		f := strings.Fields(line)
		ids[f[2]] = f[0]
	}

	out, _, err = runCmd(t, env(nil), "", "token", "revoke", ids["ci"], "--db", db)
	if err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	prefix := secrets["ci"][:len(app.TokenPrefix)+4]
	for _, w := range []string{"revoked API token " + ids["ci"], prefix + "…", `"ci"`, "ana@example.com", absPath(db)} {
		if !strings.Contains(out, w) {
			t.Errorf("token revoke says %q, without %q", out, w)
		}
	}
	if tokenWorks(t, db, secrets["ci"]) {
		t.Error("the revoked token still works")
	}
	if !tokenWorks(t, db, secrets["deploy"]) || !tokenWorks(t, db, secrets["sheets"]) {
		t.Error("revoking one token stopped another")
	}
	out, _, _ = runCmd(t, env(nil), "", "token", "list", "--db", db)
	if strings.Contains(out, " ci ") || strings.Count(out, "\n") != 3 {
		t.Errorf("token list after the revoke:\n%s", out)
	}

	// The id after the flags, from the environment twin's database.
	if _, _, err := runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "", "token", "revoke", ids["sheets"]); err != nil {
		t.Errorf("token revoke with COPYLAB_DB: %v", err)
	}

	// Again: no such token now (exit 1), and nothing else revoked.
	_, _, err = runCmd(t, env(nil), "", "token", "revoke", "--db", db, ids["ci"])
	if err == nil || errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "no API token has the id "+ids["ci"]) ||
		!strings.Contains(err.Error(), "copylab token list") {
		t.Errorf("revoking it again: %v", err)
	}
	if !tokenWorks(t, db, secrets["deploy"]) {
		t.Error("the deploy token stopped working")
	}
}

// TestTokenCommandsMistakes: the token commands' mistakes on the command
// line are usage errors (exit 2) in the CLI's words, and their usage
// lines are in copylab help.
func TestTokenCommandsMistakes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"token"}, "token needs a command: create, list or revoke"},
		{[]string{"token", "delete"}, `unknown token command "delete": use create, list or revoke`},
		{[]string{"token", "revoke", "--db", "x.db"}, "token revoke needs the id of the token to revoke: copylab token list shows them"},
		{[]string{"token", "revoke", "seven"}, `"seven" is not a token's id: copylab token list shows them`},
		{[]string{"token", "revoke", "cl_abcd"}, `"cl_abcd" is the start of a token; give its id, the first column of copylab token list`},
		{[]string{"token", "revoke", "1", "2"}, `unexpected argument "2"`},
		{[]string{"token", "list", "extra"}, `unexpected argument "extra"`},
	} {
		name := strings.Join(tt.args, " ")
		_, _, err := runCmd(t, env(nil), "", tt.args...)
		if !errors.As(err, new(usageError)) {
			t.Errorf("%s: %v, want a usage error (exit 2)", name, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want %q", name, err, tt.want)
		}
	}

	help, _, err := runCmd(t, env(nil), "", "help", "token")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"copylab token create", "copylab token list [--db PATH] [--email EMAIL]", "copylab token revoke ID [--db PATH]"} {
		if !strings.Contains(help, w) {
			t.Errorf("copylab help token lacks %q:\n%s", w, help)
		}
	}
	own, _, err := runCmd(t, env(nil), "", "token", "revoke", "--help")
	if err != nil || !strings.Contains(own, "Usage: copylab token revoke [flags] ID") || !strings.Contains(own, "COPYLAB_DB") {
		t.Errorf("token revoke --help: %v\n%s", err, own)
	}
}
