package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"copylab/app/syncbuf"
	"copylab/experiments/schematest"
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

// TestServeStartLog: the start says which database (an absolute path, as
// the admin commands print it), which copy generator is in use (a model's
// host and name, never its key; or the offline one), and, when migrations
// ran, from which schema version to which; nothing of the schema when none
// ran.
func TestServeStartLog(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	latest := schematest.Latest(t)

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
	schematest.Older(t, filepath.Join(dir, "old.db"), 7)
	logs = serveLogs(t, nil, "--db", "old.db")
	if want := "upgraded the database from schema 7 to " + strconv.Itoa(latest); !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}
}
