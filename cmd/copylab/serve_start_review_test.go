package main

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"copylab/app/syncbuf"
	"copylab/data"
)

// serveLogs runs `copylab serve` in this process on a free loopback port
// with env and args, until it answers /healthz, then stops it and returns
// what it logged.
func serveLogs(t *testing.T, kv map[string]string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs *syncbuf.Buffer
	_, done := serveOnFreePort(t, func(addr string) (<-chan error, func() string) {
		logs = &syncbuf.Buffer{} // this attempt's only
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), strings.NewReader(""), logs, logs, env(kv))
		}()
		return done, logs.String
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	return logs.String()
}

// latestSchema is the number of the last embedded migration.
func latestSchema(t *testing.T) int {
	t.Helper()
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s", e.Name())
		}
		v = max(v, n)
	}
	return v
}

// oldDB makes at path the database an older copylab left: the embedded
// migrations up to version upTo, recorded as copylab records them.
func oldDB(t *testing.T, path string, upTo int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`create table schema_migrations (version integer primary key, name text not null, applied_at integer not null)`); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // ReadDir sorts by name: 0001_…, 0002_…
		num, _, _ := strings.Cut(e.Name(), "_")
		if n, _ := strconv.Atoi(num); n <= upTo {
			body, err := fs.ReadFile(data.Migrations, "migrations/"+e.Name())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(string(body)); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if _, err := db.Exec(`insert into schema_migrations values (?, ?, 0)`, n, e.Name()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestServeStartLog: the start says which database (an absolute path, as
// the admin commands print it), which copy generator is in use (a model's
// host and name, never its key; or the offline one), and, when migrations
// ran, from which schema version to which; nothing of the schema when none
// ran.
func TestServeStartLog(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	latest := latestSchema(t)

	logs := serveLogs(t, nil, "--db", "c.db")
	if want := "db=" + filepath.Join(dir, "c.db"); !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}
	if !strings.Contains(logs, "offline generator") || !strings.Contains(logs, "no model is configured") {
		t.Errorf("start log does not say the offline generator is in use:\n%s", logs)
	}
	if want := "created the database at schema " + strconv.Itoa(latest); !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}

	// Started again, nothing to migrate: no word of the schema.
	key := "sk-test-0123456789abcdefSECRET"
	logs = serveLogs(t, map[string]string{"COPYLAB_LLM_BASE_URL": "http://127.0.0.1:11434/v1", "COPYLAB_LLM_API_KEY": key,
		"COPYLAB_LLM_MODEL": "llama3.2"}, "--db", "c.db")
	if strings.Contains(logs, "schema") {
		t.Errorf("nothing was migrated, but the log speaks of the schema:\n%s", logs)
	}
	for _, want := range []string{"llm_host=127.0.0.1:11434", "llm_model=llama3.2"} {
		if !strings.Contains(logs, want) {
			t.Errorf("start log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "SECRET") || strings.Contains(logs, "offline") {
		t.Errorf("start log shows the key, or the offline generator, with a model set:\n%s", logs)
	}
	if n := strings.Count(logs, "llm_host="); n != 1 {
		t.Errorf("the generator is logged %d times, want once:\n%s", n, logs)
	}

	// A database an older copylab left is upgraded, and the log says from what.
	oldDB(t, filepath.Join(dir, "old.db"), 7)
	logs = serveLogs(t, nil, "--db", "old.db")
	if want := "upgraded the database from schema 7 to " + strconv.Itoa(latest); !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}
}
