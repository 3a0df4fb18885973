package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"copylab/app"
	"copylab/experiments"
	"copylab/experiments/schematest"
)

// h10Call sends one API call with secret through the app on db and
// returns its status and error code ("" when it answered no error).
func h10Call(t *testing.T, db, secret, method, path, body string) (int, string) {
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
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://copylab.test"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := a.Fiber().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Error struct{ Code string } `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Error.Code
}

// TestH10TokenCreateReadOnly: copylab token create --read-only (or its
// twin COPYLAB_READ_ONLY) makes a token the API lets read and refuses
// every change (403 token_read_only); without it the token is full, as
// before. The sentence on stderr says which kind it made, and token list
// shows each token's kind in a last column, ACCESS.
func TestH10TokenCreateReadOnly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	create := func(environ []string, name string, extra ...string) (string, string) {
		t.Helper()
		out, errOut, err := runCmd(t, environ, "", append([]string{"token", "create", "--db", db, "--email", "ana@example.com", "--name", name}, extra...)...)
		if err != nil {
			t.Fatalf("token create %s: %v", name, err)
		}
		return strings.TrimSpace(out), errOut
	}
	dash, errOut := create(env(nil), "dashboard", "--read-only")
	if !regexp.MustCompile(`^cl_[a-z2-7]{40}$`).MatchString(dash) {
		t.Fatalf("stdout %q, want the token alone", dash)
	}
	if !strings.HasPrefix(errOut, `read-only token "dashboard" for ana@example.com in `) ||
		!strings.Contains(errOut, "it can read, but not change anything") {
		t.Errorf("stderr of --read-only: %q", errOut)
	}
	ci, errOut := create(env(nil), "ci")
	if !strings.HasPrefix(errOut, `token "ci" for ana@example.com in `) || strings.Contains(errOut, "read-only") {
		t.Errorf("stderr of a full token: %q", errOut)
	}
	sheets, _ := create(env(map[string]string{"COPYLAB_READ_ONLY": "true"}), "sheets")

	for _, tc := range []struct {
		name, secret string
		readOnly     bool
	}{{"dashboard", dash, true}, {"ci", ci, false}, {"sheets", sheets, true}} {
		if status, _ := h10Call(t, db, tc.secret, http.MethodGet, "/api/v1/sites", ""); status != http.StatusOK {
			t.Errorf("%s: GET answered %d", tc.name, status)
		}
		status, code := h10Call(t, db, tc.secret, http.MethodPost, "/api/v1/sites", `{"name":"`+tc.name+`","domain":"shop.example.com"}`)
		if tc.readOnly && (status != http.StatusForbidden || code != "token_read_only") {
			t.Errorf("%s: POST answered %d %s, want 403 token_read_only", tc.name, status, code)
		}
		if !tc.readOnly && status != http.StatusCreated {
			t.Errorf("%s: POST answered %d %s, want 201", tc.name, status, code)
		}
	}

	out, _, err := runCmd(t, env(nil), "", "token", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 || !regexp.MustCompile(`^ID +PREFIX +NAME +USER +CREATED +LAST USED +ACCESS$`).MatchString(lines[0]) {
		t.Fatalf("token list:\n%s", out)
	}
	for i, want := range []struct{ name, access string }{{"dashboard", "read-only"}, {"ci", "full"}, {"sheets", "read-only"}} {
		if line := lines[i+1]; !regexp.MustCompile(` ` + want.name + ` .* ` + want.access + `$`).MatchString(line) {
			t.Errorf("line %q, want %s %s", line, want.name, want.access)
		}
	}

	// --help says what the flag does, with its twin.
	help, _, err := runCmd(t, env(nil), "", "token", "create", "--help")
	if err != nil || !strings.Contains(help, "--read-only") || !strings.Contains(help, "COPYLAB_READ_ONLY") {
		t.Errorf("token create --help: %v\n%s", err, help)
	}
}

// TestH10TokenListOlderToken: a token made before tokens had a kind is
// full after the upgrade, and token list says so.
func TestH10TokenListOlderToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	v := schematest.Latest(t)
	for ; v > 0 && h10HasAccess(t, v); v-- {
	}
	if v == schematest.Latest(t) {
		t.Fatal("no migration adds api_tokens.access")
	}
	schematest.Older(t, db, v)
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`insert into users (email, password_hash, created_at) values ('old@example.com', 'hash', 1);
		insert into api_tokens (user_id, name, token_hash, prefix, created_at) values (1, 'old script', 'hash', 'cl_abcd', 1)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	// token list only reads, and refuses a database that needs an
	// upgrade: a command that writes upgrades it, as serve does.
	if _, stderr, _ := runCmd(t, env(nil), "", "token", "revoke", "--db", db, "999999"); !strings.Contains(stderr, "upgraded the database") {
		t.Fatalf("token revoke did not upgrade the database:\n%s", stderr)
	}
	out, _, err := runCmd(t, env(nil), "", "token", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\d+ +cl_abcd… +old script +old@example\.com .* full$`).MatchString(out) {
		t.Errorf("token list after the upgrade:\n%s", out)
	}
}

// h10HasAccess tells whether the database migrations up to v leave has
// api_tokens.access.
func h10HasAccess(t *testing.T, v int) bool {
	t.Helper()
	path := filepath.Join(t.TempDir(), "probe.db")
	schematest.Older(t, path, v)
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`select count(*) from pragma_table_info('api_tokens') where name = 'access'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}
