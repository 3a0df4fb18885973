package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestRecountDryRunWhileServed: a dry run needs no stopped server. While
// copylab serves the database, it counts a copy taken then, says so in a
// line of its own, writes nothing to the database (a second run says the
// same), and leaves no copy behind. A recount that writes is still
// refused (TestRecountRefusesWhileServed).
func TestRecountDryRunWhileServed(t *testing.T) {
	db, id := recountDB(t)
	bump(t, db)
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	want := regexp.MustCompile(`^Dry run: nothing will be written\.\n` +
		`copylab serve is using ` + regexp.QuoteMeta(db) + `: this dry run counts a copy taken just now \(\d+ KB\), removed afterwards\.\n` +
		regexp.QuoteMeta("Hero (Shop, "+id+"): control 3 → 2 visitors.\n1 of 1 experiment would change. Nothing was written.\n") + `$`)
	for i := 0; i < 2; i++ {
		out, _, err := runCmd(t, env(nil), "", "recount", "--db", db, "--dry-run")
		if err != nil || !want.MatchString(out) {
			t.Fatalf("dry run %d while served: %v\n%s", i+1, err, out)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".copylab-dry-run-") {
			t.Errorf("the dry run left %s behind", e.Name())
		}
	}
	if _, _, err := runCmd(t, env(nil), "", "recount", "--db", db); err == nil || !strings.Contains(err.Error(), "is in use by copylab serve") {
		t.Errorf("a recount that writes, while served: %v, want the refusal", err)
	}
}
