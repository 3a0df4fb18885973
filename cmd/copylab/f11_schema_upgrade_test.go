package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"copylab/experiments/schematest"
)

// olderDB makes, in a folder of its own, the database an older copylab
// left, one migration behind this one, in WAL mode as copylab leaves it
// (schematest.Behind), and returns its path and the two schema versions.
func olderDB(t *testing.T) (path string, from, to int) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "copylab.db")
	from, to = schematest.Behind(t, path)
	return path, from, to
}

// folderState is every file of dir, by name, with a digest of its bytes:
// equal before and after a command that writes nothing.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	state := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		state[e.Name()] = fmt.Sprintf("%d bytes, %x", len(b), sha256.Sum256(b))
	}
	return state
}

func sameState(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, b := range before {
		if a, ok := after[name]; !ok {
			t.Errorf("%s is gone", name)
		} else if a != b {
			t.Errorf("%s changed: %s, then %s", name, b, a)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s was left behind", name)
		}
	}
}

// schemaNow is the schema version of the database at path, read by an
// open that upgrades nothing.
func schemaNow(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow(`select max(version) from schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestF11RecountDryRunKeepsOlderSchema: a dry run on a database an older
// copylab left refuses, in one sentence that names both schema versions
// and says how to upgrade, exits 1, and leaves every file as it was: an
// older copylab still opens it.
func TestF11RecountDryRunKeepsOlderSchema(t *testing.T) {
	db, from, to := olderDB(t)
	before := folderState(t, filepath.Dir(db))
	out, _, err := runCmd(t, env(nil), "", "recount", "--dry-run", "--db", db)
	var msg strings.Builder
	if code := exitMessage(&msg, err); code != 1 {
		t.Fatalf("exit %d (%v), want 1; stdout:\n%s", code, err, out)
	}
	want := fmt.Sprintf("copylab: recount: %s is at schema %d and this copylab needs schema %d, and a dry run never upgrades a database: "+
		"upgrade it first by starting this version's copylab serve (older copylabs refuse it afterwards), then dry-run again\n", db, from, to)
	if msg.String() != want {
		t.Errorf("stderr:\n%s\nwant\n%s", msg.String(), want)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing: no dry run ran", out)
	}
	sameState(t, before, folderState(t, filepath.Dir(db)))
	if got := schemaNow(t, db); got != from {
		t.Errorf("schema %d after the dry run, want %d", got, from)
	}
}

// TestF11RecountRefusesNonCopylabFile: recount, dry or not, refuses a
// file that holds no copylab database (an empty file included: it would
// have been made a new, empty database with nothing to recount) and
// leaves it, and its folder, as they were: no lock file either.
func TestF11RecountRefusesNonCopylabFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		args []string
	}{
		{"zero bytes, dry run", "", []string{"--dry-run"}},
		{"zero bytes", "", nil},
		{"text, dry run", "not a database\n", []string{"--dry-run"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "copylab.db")
			if err := os.WriteFile(db, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			before := folderState(t, filepath.Dir(db))
			out, _, err := runCmd(t, env(nil), "", append([]string{"recount", "--db", db}, tt.args...)...)
			var msg strings.Builder
			if code := exitMessage(&msg, err); code != 1 {
				t.Fatalf("exit %d (%v), want 1; stdout:\n%s", code, err, out)
			}
			if want := "copylab: recount: " + db + " is not a copylab database\n"; msg.String() != want {
				t.Errorf("stderr:\n%s\nwant\n%s", msg.String(), want)
			}
			sameState(t, before, folderState(t, filepath.Dir(db)))
		})
	}
}

// TestF11RecountDryRunLeavesNoLockFile: a dry run on a current database
// leaves the folder as it found it, without the lock file it took.
func TestF11RecountDryRunLeavesNoLockFile(t *testing.T) {
	db, _ := recountDB(t)
	before := folderState(t, filepath.Dir(db))
	out, _, err := runCmd(t, env(nil), "", "recount", "--dry-run", "--db", db)
	if err != nil || !strings.Contains(out, "Nothing was written.") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	sameState(t, before, folderState(t, filepath.Dir(db)))
}

// TestF11TokenListKeepsOlderSchema: token list only reads, so it refuses
// a database that needs an upgrade, saying how to upgrade it, and one
// that is not copylab's yet, and changes neither.
func TestF11TokenListKeepsOlderSchema(t *testing.T) {
	db, from, to := olderDB(t)
	empty := filepath.Join(t.TempDir(), "copylab.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, db, want string
	}{
		{"older schema", db, fmt.Sprintf("copylab: %s is at schema %d and this copylab needs schema %d, and token list only reads, so it upgrades nothing: "+
			"start this version's copylab serve to upgrade it (older copylabs refuse it afterwards), or list the tokens with the copylab that wrote it\n", db, from, to)},
		{"empty file", empty, "copylab: " + empty + " is not a copylab database\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := folderState(t, filepath.Dir(tt.db))
			out, _, err := runCmd(t, env(nil), "", "token", "list", "--db", tt.db)
			var msg strings.Builder
			if code := exitMessage(&msg, err); code != 1 {
				t.Fatalf("exit %d (%v), want 1; stdout:\n%s", code, err, out)
			}
			if msg.String() != tt.want {
				t.Errorf("stderr:\n%s\nwant\n%s", msg.String(), tt.want)
			}
			sameState(t, before, folderState(t, filepath.Dir(tt.db)))
		})
	}
}

// TestF11AdminCommandsSayTheyUpgraded: a command that writes upgrades an
// older copylab's database, as before, and now says so on stderr, in one
// line that names the file and both versions; run again, it says
// nothing of it.
func TestF11AdminCommandsSayTheyUpgraded(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  []string
		fails bool // the command fails after the upgrade
	}{
		{"user add", []string{"user", "add", "--email", "ada{n}@example.com"}, false},
		{"user invite", []string{"user", "invite", "--email", "bob{n}@example.com"}, false},
		{"user role", []string{"user", "role", "--email", "nobody@example.com", "--role", "admin"}, true},
		{"token create", []string{"token", "create", "--email", "nobody@example.com", "--name", "ci"}, true},
		{"token revoke", []string{"token", "revoke", "7"}, true},
		{"recount", []string{"recount"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, from, to := olderDB(t)
			want := fmt.Sprintf("copylab: upgraded the database at %s from schema %d to %d; older copylabs refuse it from now on\n", db, from, to)
			for run := 1; run <= 2; run++ {
				args := make([]string, len(tt.args))
				for i, a := range tt.args {
					args[i] = strings.ReplaceAll(a, "{n}", fmt.Sprint(run))
				}
				_, stderr, err := runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "", args...)
				if (err != nil) != tt.fails {
					t.Fatalf("run %d: error %v", run, err)
				}
				if got := strings.Count(stderr, "upgraded the database"); run == 1 && (got != 1 || !strings.HasPrefix(stderr, want)) {
					t.Errorf("run %d: stderr:\n%s\nwant it to begin with\n%s", run, stderr, want)
				} else if run == 2 && got != 0 {
					t.Errorf("run %d: stderr:\n%s\nwant no upgrade", run, stderr)
				}
			}
			if got := schemaNow(t, db); got != to {
				t.Errorf("schema %d, want %d", got, to)
			}
		})
	}
}
