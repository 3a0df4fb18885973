package main

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// TestRecountDryRunRefusedSaysOnlyWhy: a dry run refused because copylab
// still serves the database printed "Dry run: nothing will be written."
// first, as if it had started. Now it prints nothing on stdout; the error
// alone says why.
func TestRecountDryRunRefusedSaysOnlyWhy(t *testing.T) {
	db, _ := recountDB(t)
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	out, _, err := runCmd(t, env(nil), "", "recount", "--db", db, "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "is in use by copylab serve") {
		t.Errorf("error %v, want the refusal", err)
	}
	if out != "" {
		t.Errorf("printed before the refusal:\n%s", out)
	}
}
